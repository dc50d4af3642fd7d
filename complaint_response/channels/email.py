"""Email (邮件) channel, on Frappe's own incoming mail: an Email Account whose "Append To" is Complaint.

Frappe receives the mail and, for a new thread, inserts a bare Complaint (subject, sender, sender
name; mandatory fields skipped) before it inserts the Communication holding the text. So:

1. `prepare` (Complaint.before_insert) recognises that bare complaint, marks it channel Email and
   received now, so it is valid and acknowledged like any other;
2. `on_received` (Communication.after_insert) completes it from the mail: what happened, the
   subject, the time sent, and the Message-ID as its idempotency key, then saves it so that the
   grading rules read the whole text.

Replies thread into their complaint by Frappe's own matching (In-Reply-To, the reference number in
the subject, or sender + subject), and land in the contact log (lifecycle.contact). The same
Message-ID never makes a second complaint: Frappe finds the existing Communication and stops, and
the complaint's unique intake key would refuse it anyway."""

import frappe
from frappe import _
from frappe.utils import get_datetime, strip_html_tags
from frappe.utils.html_utils import sanitize_html

from complaint_response.channels.intake import DOCTYPE
from complaint_response.rules import intake as rules
from complaint_response.rules.registration import MAX_DESCRIPTION_CHARS

CHANNEL = "Email"
FLAG = "complaint_from_mail"


def is_bare_mail_complaint(doc) -> bool:
	"""Frappe's incoming mail inserts the document with only the email fields and mandatory skipped;
	no other path does (the desk, the REST resource and the web form all check mandatory fields)."""
	return bool(doc.flags.ignore_mandatory and not doc.flags.intake_channel and not doc.description)


def prepare(doc) -> None:
	if not is_bare_mail_complaint(doc):
		return
	doc.channel = CHANNEL
	doc.flags.intake_channel = CHANNEL
	doc.complainant_name = (doc.complainant_name or doc.contact_email or _("Unknown sender"))[:140]
	doc.description = doc.description or f"<p>{frappe.utils.escape_html(doc.subject or '')}</p>"
	frappe.local.flags[FLAG] = doc  # completed when Frappe inserts the mail itself (on_received)


def on_received(comm, method=None) -> None:
	"""Complete the complaint this very mail created (Communication.after_insert). Other
	Communications on it first (the acknowledgement sent while it was inserted) are not the mail."""
	pending = frappe.local.flags.get(FLAG)
	if not pending or not comm.flags.in_receive or comm.sent_or_received != "Received":
		return
	if comm.reference_doctype != DOCTYPE or comm.reference_name != pending.name:
		return
	frappe.local.flags.pop(FLAG, None)
	doc = frappe.get_doc(DOCTYPE, pending.name)
	text = sanitize_html(comm.content or "") or frappe.utils.escape_html(comm.text_content or "")
	if strip_html_tags(text).strip():
		doc.description = text[:MAX_DESCRIPTION_CHARS]
	doc.subject = (comm.subject or doc.subject or "")[:140]
	if comm.communication_date:
		doc.received_on = get_datetime(comm.communication_date)
	if comm.message_id:
		doc.intake_key = rules.intake_key(CHANNEL, comm.message_id)
	doc.flags.intake_channel = CHANNEL
	doc.save(ignore_permissions=True)
