"""Raising a complaint from another app's ticket (Helpdesk `HD Ticket`, ERPNext `Issue`): one path for
both, on top of the one intake path (channels.intake).

Raising is idempotent (the ticket is the idempotency key: a second click, or a flag rule firing again,
returns the complaint already raised), links both ways (the complaint's link field, the ticket's
`complaint` and `complaint_stage`), and copies the conversation so far into the contact log with
its times and direction, and the ticket's files into the evidence."""

from dataclasses import dataclass, field

import frappe
from frappe import _
from frappe.utils import get_datetime, strip_html_tags

from complaint_response.channels.intake import DOCTYPE, EVIDENCE_TYPES, Receipt, intake
from complaint_response.rules import intake as rules
from complaint_response.rules.registration import MAX_DESCRIPTION_CHARS

KEY_SCOPE = "source"
BACK_FIELD, STAGE_FIELD = "complaint", "complaint_stage"


@dataclass
class Source:
	doctype: str  # "HD Ticket", "Issue"
	name: str
	link_field: str  # the Complaint field that links to it
	channel: str
	values: dict  # raw intake values (complainant, contact, subject, description...)
	extra: dict = field(default_factory=dict)  # values the integration vouches for (team, customer...)


def existing_complaint(source: Source) -> str | None:
	linked = frappe.db.get_value(source.doctype, source.name, BACK_FIELD) if has_back_link(source) else None
	if linked and frappe.db.exists(DOCTYPE, linked):
		return linked
	return frappe.db.get_value(DOCTYPE, {source.link_field: source.name}, "name")


def has_back_link(source: Source) -> bool:
	return frappe.get_meta(source.doctype).has_field(BACK_FIELD)


def raise_from(source: Source, reason: str | None = None) -> Receipt:
	if found := existing_complaint(source):
		return Receipt(found, False)
	values = dict(source.values)
	values["description"] = (values.get("description") or values.get("subject") or "")[:MAX_DESCRIPTION_CHARS]
	if not (values.get("complainant_name") or "").strip():
		values["complainant_name"] = values.get("contact_email") or _("Unknown customer")
	receipt = intake(
		values,
		channel=source.channel,
		key=f"{source.doctype}\n{source.name}",
		key_scope=KEY_SCOPE,
		extra={**source.extra, source.link_field: source.name, "raised_because": reason},
	)
	if receipt.created:
		complaint = frappe.get_doc(DOCTYPE, receipt.name)
		copy_conversation(complaint, source)
		link_back(source, complaint)
	return receipt


def copy_conversation(complaint, source: Source) -> None:
	"""The ticket's emails as contact-log entries (oldest first), its files as evidence."""
	comms = frappe.get_all(
		"Communication",
		filters={
			"reference_doctype": source.doctype,
			"reference_name": source.name,
			"communication_type": "Communication",
		},
		fields=[
			"name",
			"communication_date",
			"creation",
			"sent_or_received",
			"communication_medium",
			"subject",
			"content",
		],
		order_by="communication_date asc, creation asc",
	)
	for comm in comms:
		text = strip_html_tags(comm.content or "").strip() or comm.subject or _("Email")
		row = complaint.append(
			"contact_log",
			{
				"contact_on": get_datetime(comm.communication_date or comm.creation),
				"contact_channel": "Email" if comm.communication_medium == "Email" else "Other",
				"direction": "Outbound" if comm.sent_or_received == "Sent" else "Inbound",
				"summary": text[:500],
			},
		)
		row.db_insert()
	files = frappe.get_all(
		"File",
		filters=[
			["attached_to_doctype", "in", [source.doctype, "Communication"]],
			["attached_to_name", "in", [source.name, *(c.name for c in comms)]],
			["is_folder", "=", 0],
		],
		fields=["file_url", "file_name", "creation"],
		order_by="creation asc",
	)
	for file in files:
		if not file.file_url:
			continue
		row = complaint.append(
			"evidence",
			{
				"evidence_type": EVIDENCE_TYPES.get(rules.extension(file.file_name or ""), "Document"),
				"attachment": file.file_url,
				"evidence_description": _("From {0} {1}").format(_(source.doctype), source.name)[:140],
				"collected_on": file.creation,
			},
		)
		row.db_insert()


def link_back(source: Source, complaint) -> None:
	if has_back_link(source):
		frappe.db.set_value(
			source.doctype,
			source.name,
			{BACK_FIELD: complaint.name, STAGE_FIELD: complaint.stage},
			update_modified=False,
		)


def sync_stage(complaint, doctype: str, name: str) -> None:
	"""The ticket shows the complaint's current stage."""
	if name and frappe.db.exists(doctype, name) and frappe.get_meta(doctype).has_field(STAGE_FIELD):
		frappe.db.set_value(doctype, name, STAGE_FIELD, complaint.stage, update_modified=False)


def log_failure(title: str) -> None:
	"""A ticket must never fail because its complaint could not be raised or answered: log it."""
	frappe.log_error(title=title[:140], reference_doctype=DOCTYPE)


def raise_by_hand(doc, make_source, reason: str) -> Receipt:
	"""An agent raises a complaint from a ticket they can read, holding a role that may create one."""
	doc.check_permission("read")
	frappe.has_permission(DOCTYPE, "create", throw=True)
	return raise_from(make_source(doc), reason=reason)


def raise_by_rule(doc, make_source, ticket_type, priority, failure: str) -> Receipt | None:
	"""A new ticket that matches one of the admin's flag rules raises a complaint; a failure is logged
	(`failure`) and never stops the ticket."""
	reason = flag_reason(doc.doctype, ticket_type, priority, doc.subject, doc.description)
	if not reason:
		return None
	frappe.db.savepoint("complaint_flag")
	try:
		return raise_from(make_source(doc), reason=reason)
	except Exception:
		frappe.db.rollback(save_point="complaint_flag")
		log_failure(failure)
		return None


def flag_reason(applies_to: str, ticket_type, priority, subject, description) -> str | None:
	"""The first enabled Complaint Flag Rule for `applies_to` that the ticket matches, as a reason."""
	from complaint_response.rules.flagging import FlagRule, Ticket, first_match, keywords_from

	rows = frappe.get_all(
		"Complaint Flag Rule",
		filters={"enabled": 1, "applies_to": applies_to},
		fields=["name", "ticket_type", "priority", "keywords"],
		order_by="creation asc",
	)
	if not rows:
		return None
	rules_ = [
		FlagRule(r.name, r.ticket_type or None, r.priority or None, keywords_from(r.keywords)) for r in rows
	]
	ticket = Ticket(str(ticket_type or ""), str(priority or ""), subject or "", description or "")
	reason = first_match(rules_, ticket)
	return reason.text(_) if reason else None
