"""Satisfaction survey (回访满意度): the email that tells the customer the outcome carries a signed,
expiring link (rules.signed_links) to a one-page survey, no login needed. The answer becomes the
complaint's follow-up result, exactly as if the agent had logged the call: the complaint moves to
Follow-up, the score and comment are recorded, and 2/5 or less reopens it (lifecycle.flow).

A link is for one round of one complaint: it names the complaint and the moment the customer was
told the outcome, so a tampered link fails its signature, an old link (the complaint was reopened and
told again since) no longer matches, an expired one is refused, and once answered it is used up."""

import hashlib
import time
from contextlib import contextmanager

import frappe
from frappe import _, _lt
from frappe.utils import cint, get_datetime, get_url, now_datetime
from frappe.utils.password import get_encryption_key

from complaint_response.channels.intake import DOCTYPE, refuse
from complaint_response.lifecycle.flow import workflow_state_for
from complaint_response.rules import intake as rules
from complaint_response.rules import signed_links
from complaint_response.rules import stages as s

ROUTE = "/complaint-survey"
DEFAULT_VALID_DAYS = 14
MAX_COMMENT_CHARS = 2000
COMMENT = rules.Field("comment", "Comment", rules.LONG_TEXT, MAX_COMMENT_CHARS)
ANSWERABLE = (s.CUSTOMER_INFORMED, s.FOLLOW_UP)
REFUSALS = {
	signed_links.MALFORMED: _lt("This survey link is not valid."),
	signed_links.TAMPERED: _lt("This survey link is not valid."),
	signed_links.EXPIRED: _lt("This survey link has expired. Contact us if you would still like to tell us."),
	"outdated": _lt("This survey link is no longer valid: a newer one was sent to you."),
	"used": _lt("This survey has already been answered. Thank you."),
}


class SurveyLinkError(frappe.ValidationError):
	http_status_code = 403


def key() -> bytes:
	return hashlib.sha256(b"complaint-survey\n" + get_encryption_key().encode()).digest()


def round_of(doc) -> str:
	return str(get_datetime(doc.customer_informed_on)) if doc.customer_informed_on else ""


def valid_days() -> int:
	return cint(frappe.db.get_single_value("Complaint Settings", "survey_valid_days")) or DEFAULT_VALID_DAYS


def complaint_survey_url(doc) -> str:
	"""The survey link for the complaint's current round (a Jinja method for Notification texts:
	`{{ complaint_survey_url(doc) }}`); empty before the customer is told the outcome."""
	if not doc or not doc.get("customer_informed_on"):
		return ""
	token = signed_links.sign({"c": doc.name, "r": round_of(doc)}, key(), time.time() + valid_days() * 86400)
	# the survey page in the site's language (a guest's browser language is not read by Frappe 15)
	lang = frappe.db.get_single_value("System Settings", "language")
	return get_url(f"{ROUTE}?t={token}" + (f"&_lang={lang}" if lang and lang != "en" else ""))


def open_link(token):
	"""The complaint a survey link is for, while it can still be answered; else SurveyLinkError."""
	try:
		payload = signed_links.verify(token, key(), time.time())
	except signed_links.LinkError as error:
		raise SurveyLinkError(str(REFUSALS[error.reason])) from error
	name = payload.get("c")
	if not isinstance(name, str) or not frappe.db.exists(DOCTYPE, name):
		raise SurveyLinkError(str(REFUSALS[signed_links.MALFORMED]))
	doc = frappe.get_doc(DOCTYPE, name)
	if payload.get("r") != round_of(doc):
		raise SurveyLinkError(str(REFUSALS["outdated"]))
	if doc.followed_up_on or doc.stage not in ANSWERABLE:
		raise SurveyLinkError(str(REFUSALS["used"]))
	return doc


def answer(token, satisfaction, comment) -> dict:
	doc = open_link(token)
	score = cint(satisfaction) if str(satisfaction).strip().isdigit() else 0
	if not 1 <= score <= 5:
		refuse([rules.problem("{field} is a score from 1 to 5.", field="Satisfaction")])
	values, problems = rules.clean({"comment": comment}, (COMMENT,))
	refuse(problems)
	comment = values.get("comment", "")
	with as_system():  # the signed link is the authority; the workflow checks roles, which guests lack
		if doc.stage == s.CUSTOMER_INFORMED:
			move_to_follow_up(doc)
		doc.followed_up_on = now_datetime()
		doc.satisfaction = score
		doc.follow_up_comment = frappe.utils.strip_html_tags(comment) or None
		doc.save()
		doc.add_comment("Info", _("The customer answered the satisfaction survey: {0}/5.").format(score))
	return {"name": doc.name, "satisfaction": score, "reopened": doc.stage == s.REOPENED}


@contextmanager
def as_system():
	user = frappe.session.user
	frappe.set_user("Administrator")
	try:
		yield
	finally:
		frappe.set_user(user)


def move_to_follow_up(doc) -> None:
	"""The survey's answer is the follow-up: the same move the agent's Start Follow-up makes."""
	doc.stage = s.FOLLOW_UP
	doc.flags.stage_change_allowed = True
	state = workflow_state_for(s.FOLLOW_UP)
	if state:
		doc.workflow_state = state
	doc.save()
