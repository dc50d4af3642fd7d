"""The shipped Improvement Action workflow (整改): created once, then the admin's to edit.

Like the Complaint workflow (setup/workflow.py) it is created only when missing, so an admin's edits
survive migrate. Each state sets the code-owned `status` field through its "update field"; the
controller checks every status change against rules/effect.py, with or without the workflow."""

import frappe

from complaint_response.rules import effect as e
from complaint_response.setup.workflow import ensure_workflow

WORKFLOW_NAME = "Improvement Action Lifecycle"

STYLES: dict[str, str] = {
	e.OPEN: "",
	e.PLANNED: "Info",
	e.IN_PROGRESS: "Primary",
	e.IMPLEMENTED: "Success",
	e.VERIFYING: "Warning",
	e.EFFECTIVE: "Success",
	e.NOT_EFFECTIVE: "Danger",
	e.CLOSED: "Inverse",
	e.CANCELLED: "Inverse",
}


def state_rows() -> list[dict]:
	return [
		{
			"state": status,
			"doc_status": "0",
			"allow_edit": role,
			"update_field": "status",
			"update_value": status,
		}
		for status in e.STATUSES
		for role in e.MOVE_ROLES
	]


def transition_rows() -> list[dict]:
	return [
		{
			"state": old,
			"action": action,
			"next_state": new,
			"allowed": role,
			"allow_self_approval": 1,
		}
		for (old, new), action in e.MOVES.items()
		for role in e.MOVE_ROLES
	]


def create_improvement_workflow() -> None:
	"""Create the Improvement Action workflow, its states and actions if they do not exist yet."""
	created = ensure_workflow(
		WORKFLOW_NAME,
		"Improvement Action",
		{state: STYLES[state] for state in e.STATUSES},
		set(e.MOVES.values()),
		state_rows,
		transition_rows,
	)
	if not created:
		return
	# Actions that existed before the workflow start in the state of their status.
	frappe.db.sql(
		"update `tabImprovement Action` set workflow_state = status where status in %(statuses)s",
		{"statuses": e.STATUSES},
	)
