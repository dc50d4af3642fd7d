"""Customer portal (/my-complaints): a logged-in customer sees only the complaints whose contact
email is their own login's, with the stage in plain words, the dates and the messages meant for them
(emails to and from them, what they added here), never internal notes; and may add information and
files while the complaint is still being worked on.

Customers hold no Complaint role, so the desk, the REST resources, reports and print views stay
closed to them by Frappe's permissions; these pages read with the email filter as their only key."""

import frappe
from frappe import _
from frappe.utils import now_datetime
from frappe.utils.html_utils import sanitize_html

from complaint_response.channels.intake import DOCTYPE, Upload, check_uploads, refuse, store_uploads
from complaint_response.rules import intake as rules
from complaint_response.rules.customer_view import customer_stage, may_add_information

CHANNEL = "Portal"
MAX_MESSAGE_CHARS = 5000
MESSAGE = rules.Field("message", "Message", rules.LONG_TEXT, MAX_MESSAGE_CHARS)
LIST_FIELDS = ["name", "subject", "stage", "received_on", "customer_informed_on", "closed_on", "modified"]


def customer_email() -> str | None:
	if frappe.session.user in ("Guest", None):
		return None
	return frappe.db.get_value("User", frappe.session.user, "email")


def require_login() -> str:
	email = customer_email()
	if not email:
		frappe.throw(_("Log in to see your complaints."), frappe.PermissionError)
	return email


def my_complaints(email: str) -> list[dict]:
	rows = frappe.get_all(
		DOCTYPE,
		filters={"contact_email": email},
		fields=LIST_FIELDS,
		order_by="received_on desc",
		limit_page_length=500,
		ignore_permissions=True,
	)
	for row in rows:
		row.customer_stage = _(customer_stage(row.stage))
	return rows


def missing() -> Exception:
	"""Not found: the website's own 404 page for a page, a 404 answer for an API call."""
	if frappe.local.request and frappe.local.request.path.startswith("/api/"):
		return frappe.DoesNotExistError(_("Complaint not found."))
	return frappe.PageDoesNotExistError(_("Complaint not found."))


def my_complaint(name, email: str):
	"""The complaint `name` if its contact email is `email`; else Frappe's 404 (a stranger's complaint
	and a missing one look the same)."""
	if not isinstance(name, str) or not name or len(name) > 140:
		raise missing()
	found = frappe.db.get_value(DOCTYPE, {"name": name, "contact_email": email}, "name")
	if not found:
		raise missing()
	return frappe.get_doc(DOCTYPE, found)


def messages_for(doc, email: str) -> list[dict]:
	"""Emails sent to the customer or received from them, and what they added on the portal."""
	rows = frappe.get_all(
		"Communication",
		filters={
			"reference_doctype": DOCTYPE,
			"reference_name": doc.name,
			# the emails we sent them (acknowledgement, survey...) are "Automated Message"s
			"communication_type": ("in", ("Communication", "Automated Message")),
		},
		fields=["sent_or_received", "sender", "recipients", "subject", "content", "communication_date"],
		order_by="communication_date asc",
		ignore_permissions=True,
	)
	email = email.lower()
	mine = [
		row
		for row in rows
		if (row.sent_or_received == "Received" and (row.sender or "").lower() == email)
		or (row.sent_or_received == "Sent" and email in (row.recipients or "").lower())
	]
	for row in mine:  # shown as HTML on the page: only safe markup
		row.content = sanitize_html(row.content or "")
	return mine


def view(doc, email: str) -> dict:
	return {
		"name": doc.name,
		"subject": doc.subject,
		"customer_stage": _(customer_stage(doc.stage)),
		"received_on": doc.received_on,
		"customer_informed_on": doc.customer_informed_on,
		"closed_on": doc.closed_on,
		"may_add": may_add_information(doc.stage),
		"messages": messages_for(doc, email),
		"files": [row.attachment.rsplit("/", 1)[-1] for row in doc.evidence if row.attachment],
	}


def uploaded_files() -> list[Upload]:
	"""The files sent with the form; a file box left empty arrives as a nameless, empty part."""
	files = frappe.request.files.getlist("file") if frappe.request and frappe.request.files else []
	uploads = [Upload(f.filename or "attachment", f.stream.read()) for f in files]
	return [u for u in uploads if u.content or (u.filename and u.filename != "attachment")]


def add_information(name, message) -> dict:
	email = require_login()
	doc = my_complaint(name, email)
	if not may_add_information(doc.stage):
		refuse([rules.problem("This complaint is no longer open; contact us to reopen it.")])
	values, problems = rules.clean({"message": message}, (MESSAGE,))
	refuse(problems)
	text = values.get("message", "")
	uploads = uploaded_files()
	if not text and not uploads:
		refuse([rules.problem("{field} is required.", field="Message")])
	check_uploads(uploads)
	now = now_datetime()
	summary = text or _("Sent {0} file(s).").format(len(uploads))
	frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": "Other",
			"sent_or_received": "Received",
			"sender": email,
			"sender_full_name": doc.complainant_name,
			"subject": _("Information added by the customer on {0}").format(doc.name),
			"content": frappe.utils.escape_html(summary),
			"communication_date": now,
			"reference_doctype": DOCTYPE,
			"reference_name": doc.name,
		}
	).insert(ignore_permissions=True)
	row = doc.append(
		"contact_log",
		{"contact_on": now, "contact_channel": CHANNEL, "direction": "Inbound", "summary": summary[:500]},
	)
	row.db_insert()
	store_uploads(doc, uploads, CHANNEL)
	return {"name": doc.name, "added": True}
