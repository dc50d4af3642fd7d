"""One accountable owner (责任到人) per complaint, kept from Frappe's own assignments (ToDo).

Assignment itself is Frappe's: the Assignment Rule an admin edits (round robin, load balancing,
by field), or "Assign To" in the form. This module only mirrors the open assignment into
`complaint_owner` and, when someone new is assigned, closes the previous owner's assignment so that
one person is accountable at a time."""

import frappe
from frappe import _

from complaint_response.rules import stages

RULE_NAME = "Complaint Intake"
WEEK = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")  # assignment days


def on_todo_change(todo, method=None) -> None:
	if todo.reference_type != "Complaint" or not todo.reference_name:
		return
	if todo.status == "Open" and todo.allocated_to:
		take_over(todo)
	refresh_owner(todo.reference_name)


def take_over(todo) -> None:
	"""A new open assignment replaces the open assignments of other users on the same complaint."""
	ToDo = frappe.qb.DocType("ToDo")
	others = (
		frappe.qb.from_(ToDo)
		.select(ToDo.name)
		.where(ToDo.reference_type == "Complaint")
		.where(ToDo.reference_name == todo.reference_name)
		.where(ToDo.status == "Open")
		.where(ToDo.allocated_to != todo.allocated_to)
		.where(ToDo.name != todo.name)
	).run(pluck=True)
	for name in others:
		other = frappe.get_doc("ToDo", name)
		other.status = "Cancelled"
		other.flags.ignore_permissions = True
		other.add_comment("Info", _("Reassigned to {0}").format(todo.allocated_to))
		other.save()


def refresh_owner(complaint: str) -> None:
	owner = frappe.get_all(
		"ToDo",
		filters={"reference_type": "Complaint", "reference_name": complaint, "status": "Open"},
		pluck="allocated_to",
		order_by="creation desc",
		limit=1,
	)
	if not frappe.db.exists("Complaint", complaint):
		return
	# db_set, not frappe.db.set_value: it runs the complaint's on_change, so the "Value Change"
	# Notification on complaint_owner ("Complaint Assigned to You", setup/notifications.py) fires.
	frappe.get_doc("Complaint", complaint).db_set("complaint_owner", owner[0] if owner else None)


def create_assignment_rule() -> None:
	"""Ship a round-robin rule for new complaints, disabled until the admin adds the agents."""
	if frappe.db.exists("Assignment Rule", RULE_NAME):
		return
	frappe.get_doc(
		{
			"doctype": "Assignment Rule",
			"name": RULE_NAME,
			"document_type": "Complaint",
			"description": _("New complaint {{ name }} from {{ complainant_name }}: {{ subject }}"),
			"rule": "Round Robin",
			"priority": 0,
			"disabled": 1,
			"assign_condition": f'stage in ("{stages.RECEIVED}", "{stages.CLASSIFIED}")',
			"unassign_condition": f'stage in ("{stages.REJECTED}", "{stages.REVIEWED}")',
			"assignment_days": [{"day": day} for day in WEEK],
		}
	).insert(ignore_permissions=True)
