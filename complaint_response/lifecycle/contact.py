"""The communication log (沟通记录): every contact with the customer. Emails sent or received on a
complaint's timeline are logged here too, so the log is complete without retyping."""

import frappe
from frappe import _
from frappe.utils import get_datetime, now_datetime, strip_html_tags

LOGGED_MEDIA = {"Email": "Email", "Phone": "Phone", "SMS": "SMS"}


def on_communication(comm, method=None) -> None:
	"""Log an email (or call) on a complaint without re-validating the complaint: mail must never be
	refused because of the complaint's state. The SLA sweep picks up the new first response."""
	if comm.reference_doctype != "Complaint" or not comm.reference_name:
		return
	if comm.communication_type != "Communication" or comm.communication_medium not in LOGGED_MEDIA:
		return
	if not frappe.db.exists("Complaint", comm.reference_name):
		return
	when = get_datetime(comm.communication_date) if comm.communication_date else now_datetime()
	outbound = comm.sent_or_received == "Sent"
	doc = frappe.get_doc("Complaint", comm.reference_name)
	row = doc.append(
		"contact_log",
		{
			"contact_on": when,
			"contact_channel": LOGGED_MEDIA[comm.communication_medium],
			"direction": "Outbound" if outbound else "Inbound",
			"summary": (comm.subject or strip_html_tags(comm.content or "") or _("Email"))[:500],
			"contact_by": frappe.session.user if outbound else None,
		},
	)
	row.db_insert()
	if outbound and not doc.first_response_on:
		frappe.db.set_value(
			"Complaint",
			doc.name,
			{
				"first_response_on": when,
				"acknowledged_on": doc.acknowledged_on or when,
				"next_check_at": now_datetime(),  # let the sweep re-evaluate the clocks now
			},
			update_modified=False,
		)
