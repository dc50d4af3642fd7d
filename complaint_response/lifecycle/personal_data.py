"""The complainant's personal data: change logs without the values, and anonymisation on request.

Who may read the complainant's name, phone and email is the platform's: those fields are at permission
level 1 of Complaint, read only by customer service and managers. Who opened a complaint in the desk
is in Frappe's View Log (the DocType tracks views); who changed a personal field, and when, is in its
Version, whose values this module masks, so that the log shows no personal data to those who may not
read it and keeps none after an anonymisation."""

import json

import frappe
from frappe import _
from frappe.utils import now_datetime

from complaint_response.rules import personal_data as rules

DOCTYPE = "Complaint"
ANONYMISED = "Anonymised"  # the complainant's name once anonymised (stored untranslated)
MANAGER_ROLES = ("Complaint Manager", "System Manager")


def mask_version(version, method=None) -> None:
	"""Version.before_insert: personal values of a complaint's change are masked."""
	if version.ref_doctype != DOCTYPE or not version.data:
		return
	data = json.loads(version.data)
	version.data = frappe.as_json(rules.mask_changes(data), indent=None)


def anonymise(doc, reason: str) -> None:
	"""Remove the complainant's identity from a closed complaint, keeping what its statistics need
	(category, product, store, dates, clocks, amounts, satisfaction, stage)."""
	if not any(role in frappe.get_roles() for role in MANAGER_ROLES):
		frappe.throw(
			_("Only a Complaint Manager can anonymise a complaint."),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)
	doc.check_permission("write")
	reason = (reason or "").strip()
	if not reason:
		frappe.throw(_("Say why the complaint is anonymised (for example, the customer's request)."))
	refusal = rules.may_anonymise(doc.stage, bool(doc.anonymised_on))
	if refusal == rules.ALREADY:
		frappe.throw(_("This complaint is already anonymised."), title=_("Cannot Anonymise"))
	if refusal == rules.STILL_OPEN:
		frappe.throw(
			_("Only a closed, reviewed or rejected complaint can be anonymised; this one is {0}.").format(
				_(doc.stage)
			),
			title=_("Cannot Anonymise"),
		)

	files = [row.attachment for row in doc.evidence if row.attachment] + [
		doc.get(f) for f in ("attachment_1", "attachment_2", "attachment_3") if doc.get(f)
	]
	values = {field: None for field in rules.PERSONAL_FIELDS}
	values["complainant_name"] = ANONYMISED
	values.update({field: None for field in rules.FREE_TEXT_FIELDS})
	values["description"] = "<p>{}</p>".format(_("Removed on request."))
	values.update({f: None for f in ("attachment_1", "attachment_2", "attachment_3", "intake_key")})
	values.update({field: None for field in rules.LINK_FIELDS if doc.meta.has_field(field)})
	values["anonymised_on"] = now_datetime()
	frappe.db.set_value(DOCTYPE, doc.name, values, update_modified=True)
	for table, fields in rules.CHILD_TEXT_FIELDS.items():
		child = doc.meta.get_field(table).options
		frappe.db.set_value(child, {"parent": doc.name, "parenttype": DOCTYPE}, dict.fromkeys(fields))
	forget_elsewhere(doc.name, files)
	doc.add_comment(
		"Info",
		_("Anonymised by {0}: {1}. The complainant's identity and free text were removed.").format(
			frappe.utils.get_fullname(), frappe.utils.escape_html(reason)
		),
	)
	doc.reload()


def forget_elsewhere(name: str, files: list[str]) -> None:
	"""What the app keeps about the complaint outside it: its files, its e-mails, its change log and the
	crisis alerts' lists of affected customers."""
	for file in frappe.get_all(
		"File", filters={"attached_to_doctype": DOCTYPE, "attached_to_name": name}, pluck="name"
	):
		frappe.delete_doc("File", file, ignore_permissions=True, force=True)
	for url in files:
		for file in frappe.get_all("File", filters={"file_url": url}, pluck="name"):
			frappe.delete_doc("File", file, ignore_permissions=True, force=True)
	frappe.db.set_value(
		"Communication",
		{"reference_doctype": DOCTYPE, "reference_name": name},
		{
			"content": _("Removed on request."),
			"subject": _("Removed on request."),
			"sender": None,
			"sender_full_name": None,
			"recipients": None,
			"cc": None,
			"bcc": None,
			"phone_no": None,
		},
		update_modified=False,
	)
	frappe.db.delete("Version", {"ref_doctype": DOCTYPE, "docname": name})
	mails = frappe.get_all(
		"Email Queue", filters={"reference_doctype": DOCTYPE, "reference_name": name}, pluck="name"
	)
	if mails:
		frappe.db.delete("Email Queue Recipient", {"parent": ["in", mails]})
		frappe.db.delete("Email Queue", {"name": ["in", mails]})
	frappe.db.set_value(
		"Notification Log",
		{"document_type": DOCTYPE, "document_name": name},
		"email_content",
		None,
		update_modified=False,
	)
	frappe.db.set_value(
		"Crisis Affected Customer",
		{"complaint": name},
		{"customer_name": ANONYMISED, "contact_email": None, "contact_phone": None},
	)
