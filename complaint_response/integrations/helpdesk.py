"""Helpdesk teams as assignment pools. For each HD Team, an Assignment Rule for complaints whose
`hd_team` is that team, with the team's agents as its users, kept in step when the team changes.
Frappe's own Assignment Rule machinery does the round robin. Nothing here runs without Helpdesk."""

import frappe
from frappe import _
from frappe.utils import now_datetime

from complaint_response.checked_document import require
from complaint_response.integrations.source import (
	Source,
	log_failure,
	raise_by_hand,
	raise_by_rule,
	sync_stage,
)
from complaint_response.lifecycle.assignment import WEEK
from complaint_response.rules import stages

RULE_PREFIX = "Complaint Team "


def installed() -> bool:
	return "helpdesk" in frappe.get_installed_apps()


def rule_name(team: str) -> str:
	return f"{RULE_PREFIX}{team}"[:140]


def on_team_update(team, method=None) -> None:
	if installed():
		sync_team_rule(team)


def on_team_trash(team, method=None) -> None:
	if frappe.db.exists("Assignment Rule", rule_name(team.name)):
		frappe.delete_doc("Assignment Rule", rule_name(team.name), ignore_permissions=True)


def sync_team_rule(team) -> None:
	name = rule_name(team.name)
	rule = (
		frappe.get_doc("Assignment Rule", name)
		if frappe.db.exists("Assignment Rule", name)
		else frappe.new_doc("Assignment Rule")
	)
	if rule.is_new():
		rule.name = name
		rule.document_type = "Complaint"
		rule.rule = "Round Robin"
		rule.priority = 10  # before the general intake rule
		# the description is a Jinja template of the Assignment Rule: keep its placeholders intact
		rule.description = _("Complaint {0} for team {1}: {2}").format(
			"{{ name }}", team.name, "{{ subject }}"
		)
		rule.set("assignment_days", [{"day": day} for day in WEEK])
	# the team name goes into the condition as a Python string literal
	rule.assign_condition = (
		f'hd_team == {team.name!r} and stage in ("{stages.RECEIVED}", "{stages.CLASSIFIED}")'
	)
	rule.unassign_condition = f'stage in ("{stages.REJECTED}", "{stages.REVIEWED}")'
	rule.set("users", [{"user": row.user} for row in team.users if row.user])
	rule.disabled = 0 if rule.users else 1
	rule.flags.ignore_permissions = True
	rule.save()


def sync_all_team_rules() -> None:
	if not installed():
		return
	for name in frappe.get_all("HD Team", pluck="name"):
		sync_team_rule(frappe.get_doc("HD Team", name))


# --- Ticket → complaint ------------------------------------------------------------------------
# The agent raises a complaint from a ticket (agent UI action, desk form button), or an admin's
# Complaint Flag Rule does it when the ticket comes in; what the customer should hear of it goes
# back to the ticket as an agent reply, through Helpdesk's own reply path.

TICKET = "HD Ticket"
CHANNEL = "Helpdesk Ticket"
FORM_SCRIPT = "Complaint Response: Ticket Actions"
# Email Templates (created once, the admin's to edit) for the replies on the ticket, by stage.
REPLY_TEMPLATES = {
	"raised": "Complaint Ticket Acknowledgement",
	stages.CUSTOMER_INFORMED: "Complaint Ticket Resolution",
	stages.CLOSED: "Complaint Ticket Closed",
}


def ticket_source(ticket) -> Source:
	contact = (
		frappe.db.get_value("Contact", ticket.contact, ["full_name", "phone", "mobile_no"], as_dict=True)
		if ticket.get("contact")
		else None
	)
	email = ticket.raised_by if ticket.raised_by and "@" in ticket.raised_by else None
	return Source(
		doctype=TICKET,
		name=str(ticket.name),
		link_field="hd_ticket",
		channel=CHANNEL,
		values={
			"complainant_name": (contact and contact.full_name) or email,
			"contact_email": email,
			"contact_phone": contact and (contact.mobile_no or contact.phone),
			"subject": (ticket.subject or "")[:140],
			"description": ticket.description,
		},
		extra={"hd_team": ticket.agent_group} if ticket.agent_group else {},
	)


@frappe.whitelist(methods=["POST"])
def raise_complaint(ticket: str | int | None = None) -> dict:
	"""Raise a complaint from a ticket (or return the one already raised from it)."""
	require(ticket=ticket)
	if not installed():
		frappe.throw(_("Helpdesk is not installed on this site."))
	doc = frappe.get_doc(TICKET, ticket)
	reason = _("Raised from ticket {0} by {1}.").format(doc.name, frappe.session.user)
	receipt = raise_by_hand(doc, ticket_source, reason)
	if receipt.created:
		queue_reply(receipt.name, "raised")
	return {"name": receipt.name, "created": receipt.created}


def on_ticket_insert(ticket, method=None) -> None:
	"""The admin's flag rules raise a complaint from a new ticket that matches one; a failure is
	logged and never stops the ticket."""
	failure = _("Could not raise a complaint from ticket {0}").format(ticket.name)
	receipt = raise_by_rule(ticket, ticket_source, ticket.ticket_type, ticket.priority, failure)
	if receipt and receipt.created:
		queue_reply(receipt.name, "raised")


def on_complaint_update(doc, method=None) -> None:
	"""Keep the ticket's view of the complaint current, and tell the customer on the ticket."""
	ticket = doc.get("hd_ticket")
	if not ticket or not installed() or not doc.has_value_changed("stage"):
		return
	sync_stage(doc, TICKET, ticket)
	if doc.stage in REPLY_TEMPLATES and not doc.flags.in_insert:
		queue_reply(doc.name, doc.stage)


def queue_reply(complaint: str, event: str) -> None:
	frappe.enqueue(
		"complaint_response.integrations.helpdesk.send_reply",
		queue="short",
		enqueue_after_commit=True,
		now=bool(frappe.flags.in_test),
		complaint=complaint,
		template=REPLY_TEMPLATES[event],
	)


def send_reply(complaint: str, template: str) -> None:
	"""Reply on the complaint's ticket with the Email Template, as the agent who moved it, through
	Helpdesk's own `reply_via_agent` (its email, its thread, its status rules)."""
	doc = frappe.get_doc("Complaint", complaint)
	ticket = doc.get("hd_ticket")
	if not ticket or not frappe.db.exists(TICKET, ticket) or not frappe.db.exists("Email Template", template):
		return
	mail = frappe.get_doc("Email Template", template).get_formatted_email({**doc.as_dict(), "doc": doc})
	frappe.db.savepoint("complaint_ticket_reply")
	try:
		frappe.get_doc(TICKET, ticket).reply_via_agent(message=mail["message"])
	except Exception:
		frappe.db.rollback(save_point="complaint_ticket_reply")
		log_failure(_("Could not reply on ticket {0} for complaint {1}").format(ticket, complaint))
		return
	if not doc.acknowledged_on:  # the reply on the ticket acknowledged the complaint: its time node is met
		now = now_datetime()
		frappe.db.set_value(
			"Complaint",
			doc.name,
			{"acknowledged_on": now, "first_response_on": doc.first_response_on or now, "next_check_at": now},
			update_modified=False,
		)


FORM_SCRIPT_JS = """// Complaint Response: raise a complaint from this ticket, or open the one raised (投诉).
function setupForm({ doc, call, createToast }) {
	const t = window.__ || ((text, args) => (args || []).reduce((s, a, i) => s.replace(`{${i}}`, a), text));
	const open = (name) => window.open(`/app/complaint/${encodeURIComponent(name)}`, "_blank");
	if (doc.complaint) {
		return {
			actions: [
				{
					label: t("Complaint {0}: {1}", [doc.complaint, t(doc.complaint_stage || "")]),
					icon: "alert-triangle",
					onClick: () => open(doc.complaint),
				},
			],
		};
	}
	return {
		actions: [
			{
				label: t("Raise Complaint"),
				icon: "alert-triangle",
				onClick: async () => {
					try {
						const r = await call("complaint_response.integrations.helpdesk.raise_complaint", { ticket: doc.name });
						createToast({ title: t("Complaint {0} raised", [r.name]), icon: "check", iconClasses: "text-green-600" });
						open(r.name);
						setTimeout(() => window.location.reload(), 1500);
					} catch (e) {
						// e.g. an agent without a complaint role (give them Complaint Agent)
						const text = (e && (e.messages || []).join(" ")) || (e && e.message) || "";
						createToast({ title: t("Could not raise the complaint"), text, icon: "x", iconClasses: "text-red-600" });
					}
				},
			},
		],
	};
}
"""


def ensure_form_script() -> None:
	"""The agent UI's ticket actions: created once when Helpdesk is there, then the admin's."""
	if not installed() or not frappe.db.table_exists("HD Form Script"):
		return
	if frappe.db.exists("HD Form Script", FORM_SCRIPT):
		return
	script = frappe.new_doc("HD Form Script")
	script.update({"dt": TICKET, "apply_to": "Form", "enabled": 1, "script": FORM_SCRIPT_JS})
	script.name = FORM_SCRIPT
	script.flags.name_set = True
	script.insert(ignore_permissions=True)


def remove_form_script() -> None:
	if frappe.db.table_exists("HD Form Script") and frappe.db.exists("HD Form Script", FORM_SCRIPT):
		frappe.delete_doc("HD Form Script", FORM_SCRIPT, ignore_permissions=True, force=True)
