"""The one intake path (受理): every channel (REST API, web form, email, Helpdesk, ERPNext...) calls
`intake` with the raw values it read. Here, once: the values are checked against the fields the
channel may fill (rules.intake), the whole submission is refused with a translated 4xx naming the
field when anything is wrong (nothing is written), a repeated idempotency key returns the first
complaint, the customer's files are checked before any is stored, and the complaint is inserted (its
validate grades it; its Notification acknowledges it)."""

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import frappe
from frappe import _
from frappe.utils import cint, get_datetime, now_datetime, strip_html_tags
from frappe.utils.html_utils import sanitize_html

from complaint_response.rules import intake as rules
from complaint_response.rules.stages import Problem

DOCTYPE = "Complaint"
SAVEPOINT = "complaint_intake"
DEFAULT_MAX_ATTACHMENT_MB = 10
EVIDENCE_TYPES = {
	"jpg": "Photo",
	"jpeg": "Photo",
	"png": "Photo",
	"gif": "Photo",
	"webp": "Photo",
	"mp4": "Video",
	"mov": "Video",
	"mp3": "Recording",
	"m4a": "Recording",
	"wav": "Recording",
	"amr": "Recording",
}


class IntakeError(frappe.ValidationError):
	"""Bad input from outside: answered 422 with the field named, and nothing written."""

	http_status_code = 422


@dataclass(frozen=True)
class Upload:
	"""A customer's file, read but not stored yet."""

	filename: str
	content: bytes


@dataclass(frozen=True)
class Receipt:
	name: str
	created: bool  # False: the idempotency key was seen before and this is the first complaint


def refuse(problems: Iterable[Problem]) -> None:
	problems = list(problems)
	if problems:
		frappe.throw(
			"<br>".join(html.escape(p.text(_)) for p in problems),
			IntakeError,
			title=_("Complaint Not Accepted"),
		)


def max_attachment_bytes() -> int:
	mb = (
		cint(frappe.db.get_single_value("Complaint Settings", "max_attachment_mb"))
		or DEFAULT_MAX_ATTACHMENT_MB
	)
	return mb * 1_048_576


def check_uploads(uploads: list[Upload]) -> None:
	if len(uploads) > rules.MAX_ATTACHMENTS:
		refuse([rules.problem("Send at most {limit} files.", limit=rules.MAX_ATTACHMENTS)])
	limit = max_attachment_bytes()
	problems = []
	for upload in uploads:
		problems += rules.check_attachment(upload.filename, len(upload.content), upload.content[:64], limit)
	refuse(problems)


def check_category(values: dict) -> None:
	category = values.get("category")
	if category and not frappe.db.get_value("Complaint Category", category, "enabled"):
		refuse(
			[
				rules.problem(
					"{field} {value} does not exist or is disabled.", field="Category", value=category
				)
			]
		)


def as_html(text: str) -> str:
	"""A description as the Text Editor keeps it: HTML sanitised, plain text escaped with its lines."""
	if strip_html_tags(text) != text:
		return sanitize_html(text)
	return "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())


def stored_values(values: dict) -> dict:
	"""Short fields carry no markup at all; the description keeps only safe HTML."""
	stored = {}
	for fieldname, value in values.items():
		if fieldname == "description":
			stored[fieldname] = as_html(value)
		elif isinstance(value, str):
			stored[fieldname] = strip_html_tags(value).strip()
		else:
			stored[fieldname] = value
	return stored


def existing(stored_key: str | None, latest: bool = False) -> str | None:
	return stored_key and frappe.db.get_value(DOCTYPE, {"intake_key": stored_key}, "name", for_update=latest)


def intake(
	raw: Mapping,
	*,
	channel: str,
	fields: tuple[rules.Field, ...] = rules.SYSTEM_FIELDS,
	key: str | None = None,
	key_scope: str | None = None,
	received_on=None,
	need_contact: bool = False,
	uploads: Iterable[Upload] = (),
	extra: Mapping | None = None,
) -> Receipt:
	"""Register a complaint from `raw` (the channel's values) and return its receipt.

	`fields`: what this channel may fill; anything else in `raw` is ignored. `key`: the caller's
	idempotency key, scoped by `key_scope` (default: the channel), so that a retried call returns the
	first complaint. `extra`: values the channel itself vouches for (consent, a link to its source)."""
	values, problems = rules.clean(raw, fields, need_contact=need_contact)
	if key is not None:
		problems += rules.check_key(key)
	refuse(problems)
	check_category(values)
	stored_key = rules.intake_key(key_scope or channel, key) if key is not None else None
	if found := existing(stored_key):
		return Receipt(found, False)
	uploads = list(uploads)
	check_uploads(uploads)

	doc = frappe.new_doc(DOCTYPE)
	doc.update(stored_values(values))
	doc.update(dict(extra or {}))
	doc.channel = channel
	doc.received_on = get_datetime(received_on) if received_on else now_datetime()
	doc.intake_key = stored_key
	doc.flags.intake_channel = channel
	frappe.db.savepoint(SAVEPOINT)
	try:
		doc.insert(ignore_permissions=True)
	except (frappe.UniqueValidationError, frappe.DuplicateEntryError):
		# The same key inserted by a concurrent call in between: theirs is the first complaint. A locking
		# read: this transaction's snapshot predates their commit, a plain read would not see it.
		frappe.db.rollback(save_point=SAVEPOINT)
		if found := existing(stored_key, latest=True):
			return Receipt(found, False)
		raise
	store_uploads(doc, uploads, channel)
	return Receipt(doc.name, True)


def store_uploads(doc, uploads: list[Upload], channel: str, description: str | None = None) -> None:
	"""Each file as a private File on the complaint and a row of its evidence (证据)."""
	now = now_datetime()
	for upload in uploads:
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": upload.filename,
				"attached_to_doctype": DOCTYPE,
				"attached_to_name": doc.name,
				"is_private": 1,
				"content": upload.content,
			}
		).insert(ignore_permissions=True)
		row = doc.append(
			"evidence",
			{
				"evidence_type": EVIDENCE_TYPES.get(rules.extension(upload.filename), "Document"),
				"attachment": file.file_url,
				"evidence_description": (description or _("From the customer ({0})").format(_(channel)))[
					:140
				],
				"collected_on": now,
			},
		)
		row.db_insert()
