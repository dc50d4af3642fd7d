"""Whitelisted, type-annotated methods for systems outside the desk: thin, they call channels/.

REST intake (phone systems, WeChat bridges, CRMs):

    POST /api/method/complaint_response.api.submit_complaint
    Authorization: token <api key>:<api secret>     (a user holding Complaint create permission)
    {"complainant_name": "...", "description": "...", "contact_phone": "...", "channel": "Phone",
     "idempotency_key": "call-20261130-0042"}

answers {"name": "CMP-2026-00042", "created": true}; the same idempotency key again answers the first
complaint with "created": false, never a second one. Bad input answers 422 naming the field."""

import frappe
from frappe.rate_limiter import rate_limit
from frappe.utils import get_datetime, now_datetime

from complaint_response.channels import intake as channel_intake
from complaint_response.channels import portal, survey
from complaint_response.checked_document import require
from complaint_response.rules import intake as rules

Number = int | float | str | None


@frappe.whitelist(methods=["POST"])
def submit_complaint(
	complainant_name: str | None = None,
	description: str | None = None,
	contact_phone: str | int | None = None,
	contact_email: str | None = None,
	store_branch: str | None = None,
	product: str | None = None,
	subject: str | None = None,
	category: str | None = None,
	amount_at_stake: Number = None,
	affected_customers: Number = None,
	channel: str | None = None,
	received_on: str | None = None,
	idempotency_key: str | None = None,
) -> dict:
	"""Register a complaint from another system; see the module's docstring."""
	frappe.has_permission(channel_intake.DOCTYPE, "create", throw=True)
	channel = channel or "API"
	if channel not in rules.API_CHANNELS:
		channel_intake.refuse(
			[
				rules.problem(
					"{field} must be one of: {values}.", field="Channel", values=", ".join(rules.API_CHANNELS)
				)
			]
		)
	when = parse_received_on(received_on)
	receipt = channel_intake.intake(
		{
			"complainant_name": complainant_name,
			"description": description,
			"contact_phone": contact_phone,
			"contact_email": contact_email,
			"store_branch": store_branch,
			"product": product,
			"subject": subject,
			"category": category,
			"amount_at_stake": amount_at_stake,
			"affected_customers": affected_customers,
		},
		channel=channel,
		key=idempotency_key,
		key_scope=f"api\n{frappe.session.user}",
		received_on=when,
	)
	return {"name": receipt.name, "created": receipt.created}


def parse_received_on(value):
	"""An ISO date-time in the site's time zone, not in the future; None: now."""
	if value in (None, ""):
		return None
	try:
		when = get_datetime(value) if isinstance(value, str) and len(value) <= 40 else None
	except (ValueError, TypeError, OverflowError):
		when = None
	if when is None or when > now_datetime():
		channel_intake.refuse(
			[rules.problem("{field} must be a date and time that has passed.", field="Received On")]
		)
	return when


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=600, seconds=60)
def submit_mention() -> dict:
	"""A public-opinion mention from a social-listening tool: headers X-Opinion-Source (an Opinion
	Source's name) and X-Signature (hex HMAC-SHA256 of the raw body under its shared secret); the body a
	JSON object {id, source?, url, published, text, sentiment, reach, brand / store / product}."""
	from complaint_response.channels import opinion

	return opinion.receive(
		frappe.get_request_header("X-Opinion-Source"),
		frappe.get_request_header("X-Signature"),
		frappe.request.get_data() if frappe.request else b"",
	)


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=20, seconds=60)
def submit_survey(
	token: str | None = None, satisfaction: int | str | None = None, comment: str | None = None
) -> dict:
	"""The satisfaction survey's answer (no login: the signed link is the authority)."""
	require(token=token, satisfaction=satisfaction)
	return survey.answer(token, satisfaction, comment)


@frappe.whitelist(methods=["POST"])
@rate_limit(limit=30, seconds=60)
def add_information(complaint: str | None = None, message: str | None = None) -> dict:
	"""A logged-in customer adds information (and files, sent as multipart 'file') to their open
	complaint from the portal."""
	require(complaint=complaint)
	return portal.add_information(complaint, message)
