"""Intake (受理) rules that need no database: which fields a channel may fill on a new complaint, how
raw values from outside (a web form, an email, a phone system's API call) are checked and cleaned
before anything is written, the idempotency key, and which attachments are taken.

Every check returns `Problem`s naming the field in the reader's words (rules.stages.Problem); the
caller refuses the whole submission when there is one, so nothing partial is ever written."""

import hashlib
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from complaint_response.rules.registration import MAX_DESCRIPTION_CHARS
from complaint_response.rules.stages import Problem, problem

TEXT, LONG_TEXT, EMAIL, PHONE, COUNT, MONEY = "text", "long_text", "email", "phone", "count", "money"

MAX_COUNT = 10_000_000
MAX_MONEY = Decimal("1000000000000")
MAX_KEY_CHARS = 200
# Characters no name, phone or store ever needs: C0 controls but tab/newline, DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+$")
_PHONE = re.compile(r"^\+?[0-9 ()\-./]{3,40}$")


@dataclass(frozen=True)
class Field:
	name: str
	label: str  # the Complaint field's label, so the message names it as the form does
	kind: str
	max_length: int = 140
	required: bool = False


COMPLAINANT = Field("complainant_name", "Complainant", TEXT, 140, required=True)
EMAIL_FIELD = Field("contact_email", "Email", EMAIL, 140)
PHONE_FIELD = Field("contact_phone", "Phone", PHONE, 40)
STORE = Field("store_branch", "Store / Branch", TEXT, 140)
PRODUCT = Field("product", "Product / Service", TEXT, 140)
SUBJECT = Field("subject", "Subject", TEXT, 140)
DESCRIPTION = Field("description", "What Happened", LONG_TEXT, MAX_DESCRIPTION_CHARS, required=True)
CATEGORY = Field("category", "Category", TEXT, 140)
AMOUNT = Field("amount_at_stake", "Amount at Stake", MONEY)
AFFECTED = Field("affected_customers", "Affected Customers", COUNT)

# What a customer may tell us on the web form or the portal: nothing internal (stage, severity,
# owner, grading...) can be set from outside, whatever the request carries.
CUSTOMER_FIELDS: tuple[Field, ...] = (COMPLAINANT, EMAIL_FIELD, PHONE_FIELD, STORE, PRODUCT, DESCRIPTION)
# What a phone system, WeChat bridge or CRM may set through the REST intake.
SYSTEM_FIELDS: tuple[Field, ...] = (*CUSTOMER_FIELDS, SUBJECT, CATEGORY, AMOUNT, AFFECTED)

# Channels an API caller may name (the web form and email have their own doors).
API_CHANNELS = ("API", "Phone", "WeChat", "Social Media", "Walk-in / Store", "Other")


def _text(field: Field, value) -> tuple[str | None, list[Problem]]:
	if isinstance(value, bool) or not isinstance(value, str | int | float):
		return None, [problem("{field} must be text.", field=field.label)]
	text = _CONTROL.sub("", str(value)).strip()
	if field.kind != LONG_TEXT:
		text = re.sub(r"\s+", " ", text)
	if len(text) > field.max_length:
		return None, [
			problem(
				"{field} is {length} characters long; the limit is {limit}.",
				field=field.label,
				length=len(text),
				limit=field.max_length,
			)
		]
	if field.kind == EMAIL and text and not _EMAIL.match(text):
		return None, [problem("{field} is not a valid email address.", field=field.label)]
	if field.kind == PHONE and text and (not _PHONE.match(text) or sum(c.isdigit() for c in text) < 3):
		return None, [problem("{field} is not a valid phone number.", field=field.label)]
	return text, []


def _count(field: Field, value) -> tuple[int | None, list[Problem]]:
	if isinstance(value, str) and re.fullmatch(r"\s*\d{1,9}\s*", value):
		value = int(value)
	if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
		return None, [
			problem("{field} must be a whole number from 0 to {limit}.", field=field.label, limit=MAX_COUNT)
		]
	return value, []


def _money(field: Field, value) -> tuple[float | None, list[Problem]]:
	amount = None
	if isinstance(value, int | float) and not isinstance(value, bool):
		amount = Decimal(str(value)) if math.isfinite(value) else None
	elif isinstance(value, str) and len(value) <= 40:
		try:
			amount = Decimal(value.strip().replace(",", ""))
		except InvalidOperation:
			amount = None
	if amount is None or not amount.is_finite() or not 0 <= amount <= MAX_MONEY:
		return None, [problem("{field} must be an amount of money of 0 or more.", field=field.label)]
	return float(amount), []


_CHECKS = {TEXT: _text, LONG_TEXT: _text, EMAIL: _text, PHONE: _text, COUNT: _count, MONEY: _money}


def is_blank(value) -> bool:
	return value is None or (isinstance(value, str) and not value.strip())


def clean(raw: Mapping, fields: Iterable[Field], need_contact: bool = False) -> tuple[dict, list[Problem]]:
	"""The values of `fields` found in `raw`, checked and cleaned, and the problems found.

	Keys of `raw` that are not in `fields` are ignored: a channel cannot set what it does not own.
	Blank values are left out; a required field left blank is a problem. With `need_contact`, an
	email address or a phone number is required (the customer must be reachable)."""
	values: dict = {}
	problems: list[Problem] = []
	for field in fields:
		value = raw.get(field.name)
		if is_blank(value):
			if field.required:
				problems.append(problem("{field} is required.", field=field.label))
			continue
		cleaned, found = _CHECKS[field.kind](field, value)
		problems += found
		if not found and not is_blank(cleaned):
			values[field.name] = cleaned
		elif not found and field.required:
			problems.append(problem("{field} is required.", field=field.label))
	if need_contact and not problems and not (values.get("contact_email") or values.get("contact_phone")):
		problems.append(problem("Give an email address or a phone number so that we can reach you."))
	return values, problems


def check_key(key) -> list[Problem]:
	"""An idempotency key: text of 1 to 200 printable characters."""
	if not isinstance(key, str) or not key.strip() or len(key) > MAX_KEY_CHARS or _CONTROL.search(key):
		return [
			problem(
				"{field} must be text of 1 to {limit} printable characters.",
				field="Idempotency Key",
				limit=MAX_KEY_CHARS,
			)
		]
	return []


def intake_key(scope: str, key: str) -> str:
	"""The stored form of a channel's idempotency key: one caller's key never collides with another's
	(scope: the channel and, for the API, the calling user), and its length is fixed."""
	return hashlib.sha256(f"{scope}\n{key.strip()}".encode()).hexdigest()


# --- Attachments -------------------------------------------------------------------------------

# Extensions taken from customers, with the leading bytes each must start with (None: text).
_SIGNATURES: dict[str, tuple[bytes, ...] | None] = {
	"jpg": (b"\xff\xd8\xff",),
	"jpeg": (b"\xff\xd8\xff",),
	"png": (b"\x89PNG\r\n\x1a\n",),
	"gif": (b"GIF87a", b"GIF89a"),
	"webp": (b"RIFF",),
	"pdf": (b"%PDF-",),
	"doc": (b"\xd0\xcf\x11\xe0",),
	"xls": (b"\xd0\xcf\x11\xe0",),
	"docx": (b"PK\x03\x04",),
	"xlsx": (b"PK\x03\x04",),
	"mp4": (),  # ISO media: 'ftyp' at offset 4, checked below
	"mov": (),
	"m4a": (),
	"mp3": (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"),
	"wav": (b"RIFF",),
	"amr": (b"#!AMR",),
	"txt": None,
}
ALLOWED_EXTENSIONS = tuple(_SIGNATURES)
MAX_ATTACHMENTS = 5


def extension(filename: str) -> str:
	return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def _content_matches(ext: str, head: bytes) -> bool:
	signatures = _SIGNATURES[ext]
	if signatures is None:
		if b"\x00" in head:
			return False
		try:
			head.decode("utf-8")
		except UnicodeDecodeError as error:  # a cut multi-byte character at the end is fine
			return error.start >= len(head) - 3
		return True
	if signatures == ():
		return head[4:8] == b"ftyp"
	return any(head.startswith(sig) for sig in signatures)


def check_attachment(filename, size: int, head: bytes, max_bytes: int) -> list[Problem]:
	"""A customer's file: a plain name, an allowed type whose content really is of that type (its
	first bytes), and not larger than `max_bytes`."""
	if not isinstance(filename, str) or not filename.strip() or len(filename) > 140:
		return [problem("An attachment needs a file name of at most 140 characters.")]
	if "/" in filename or "\\" in filename or _CONTROL.search(filename) or filename.startswith("."):
		return [problem("The file name {name} is not allowed.", name=filename)]
	ext = extension(filename)
	if ext not in _SIGNATURES:
		return [
			problem(
				"{name}: files of this type are not accepted. Send one of: {types}.",
				name=filename,
				types=", ".join(ALLOWED_EXTENSIONS),
			)
		]
	if size > max_bytes:
		return [
			problem(
				"{name} is {size} MB; the limit is {limit} MB.",
				name=filename,
				size=round(size / 1_048_576, 1),
				limit=round(max_bytes / 1_048_576, 1),
			)
		]
	if size == 0 or not _content_matches(ext, head[:64]):
		return [problem("{name} is not a valid {type} file.", name=filename, type=ext.upper())]
	return []
