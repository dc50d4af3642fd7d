"""Web form (官网, 24 h) channel: Frappe's Web Form "complaint" (guests allowed), whose submission
is taken here instead of by Frappe's generic `accept` (hooks: override_whitelisted_methods), so that:

- only the fields a customer may fill are read (rules.intake.CUSTOMER_FIELDS); a forced stage,
  severity or owner in the request is ignored;
- the privacy notice must be accepted, and an email or a phone number given;
- the files are checked (type by content, size) before anything is stored, then kept as private
  evidence on the complaint;
- a bad submission is refused whole with the field named (422) and writes nothing;
- the answer carries the reference number, which the form shows at once.

Other web forms go on to Frappe's own `accept`, unchanged."""

import base64
import binascii
import inspect
import json
from datetime import timedelta

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from frappe.utils import now_datetime
from frappe.website.doctype.web_form import web_form as frappe_web_form

from complaint_response.channels.intake import DOCTYPE, Upload, intake, refuse
from complaint_response.checked_document import require
from complaint_response.rules import intake as rules

CHANNEL = "Web Form"
FILE_FIELDS = ("attachment_1", "attachment_2", "attachment_3")
CONSENT_FIELD = "privacy_consent"
# A file uploaded through the form's upload control waits, unattached, for the submission.
UPLOAD_MAX_AGE = timedelta(hours=2)

frappe_accept = inspect.unwrap(frappe_web_form.accept)


@frappe.whitelist(allow_guest=True, methods=["POST"])
# per address and method: a `key` would be read from the request unchecked (None or a list breaks it)
@rate_limit(limit=10, seconds=60)
def accept(web_form: str | None = None, data: str | dict | None = None) -> dict:
	require(web_form=web_form, data=data)
	if not isinstance(web_form, str) or not frappe.db.exists("Web Form", web_form):
		raise frappe.DoesNotExistError(_("Web Form {0} not found").format(str(web_form)[:140]))
	if frappe.db.get_value("Web Form", web_form, "doc_type") != DOCTYPE:
		# another app's form: Frappe's own accept, with data it can read
		return frappe_accept(web_form, json.dumps(parse(data)))
	values = parse(data)
	if values.get("name"):
		refuse([rules.problem("A submitted complaint cannot be changed here.")])
	if not values.get(CONSENT_FIELD) or str(values.get(CONSENT_FIELD)) in ("0", "false"):
		refuse([rules.problem("Please accept the privacy notice to submit your complaint.")])
	files = [read_upload(values[field]) for field in FILE_FIELDS if values.get(field)]
	receipt = intake(
		values,
		channel=CHANNEL,
		fields=rules.CUSTOMER_FIELDS,
		need_contact=True,
		uploads=[upload for upload, _staged in files],
		extra={CONSENT_FIELD: 1, "consented_on": now_datetime()},
	)
	# The form's staged copies are replaced by the complaint's private evidence.
	for _upload, staged in files:
		if staged:
			frappe.delete_doc("File", staged, ignore_permissions=True, force=True)
	return {"doctype": DOCTYPE, "name": receipt.name}


def parse(data) -> dict:
	if isinstance(data, str):
		try:
			data = json.loads(data)
		except ValueError:
			data = None
	if not isinstance(data, dict):
		refuse([rules.problem("The form's data could not be read. Reload the page and try again.")])
	return data


def read_upload(value) -> tuple[Upload, str | None]:
	"""A file of the form: a data URL (name,data:...;base64,...) or the URL of a file the form's upload
	control stored a moment ago, not yet attached to anything and uploaded by this same user."""
	if not isinstance(value, str) or len(value) > 100_000_000:
		refuse([rules.problem("An attachment could not be read.")])
	if value.startswith("data:") or ";base64," in value[:300]:
		name, _sep, payload = value.partition(",data:")
		if not _sep:
			name, payload = "attachment", value
		try:
			content = base64.b64decode(payload.split(";base64,", 1)[1], validate=True)
		except (IndexError, binascii.Error, ValueError):
			refuse([rules.problem("An attachment could not be read.")])
		return Upload(name, content), None
	file = frappe.db.get_value(
		"File",
		{
			"file_url": value,
			"attached_to_name": ("is", "not set"),
			"owner": frappe.session.user,
			"creation": (">", now_datetime() - UPLOAD_MAX_AGE),
		},
		["name", "file_name"],
		as_dict=True,
	)
	if not file:
		refuse([rules.problem("An attachment could not be found. Upload it again.")])
	content = frappe.get_doc("File", file.name).get_content() or b""
	if isinstance(content, str):
		content = content.encode()
	return Upload(file.file_name or file.name, content), file.name
