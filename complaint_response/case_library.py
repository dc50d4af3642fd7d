# Copyright (c) 2026, Complaint Response Contributors
# For license information, please see license.txt

"""The case library (案例库): reviewed complaints kept for training, without the complainant.

A Complaint Manager or Quality Officer (whoever may create a Complaint Case) adds a reviewed complaint
to the library (`add`, the Complaint's *Add to Case Library*): its case is copied from it
(`values_from`) and, like every save of a case, cleared of the complainant's identity
(`anonymise_case`, with rules/case_text.py). One case per complaint. The Case Library report finds
cases by category, dates and a keyword (`search`)."""

import frappe
from frappe import _
from frappe.query_builder import Criterion
from frappe.utils import fmt_money, getdate

from complaint_response.reports import column
from complaint_response.rules import case_text
from complaint_response.rules import stages as s
from complaint_response.rules.registration import summarise

DOCTYPE = "Complaint Case"
SOURCE = "Complaint"
# The case's free text: scrubbed on every save, and where the report's keyword is looked for.
TEXT_FIELDS: tuple[str, ...] = ("title", "summary", "findings", "resolution", "lessons_learned", "keywords")
TITLE_CHARS = 140
# The report's filters on a case's own values (the complaint reports' filters).
FIELD_FILTERS: tuple[str, ...] = ("category", "store_branch", "severity")


class NotReviewed(frappe.ValidationError):
	"""The complaint has not been reviewed yet: nothing is written."""

	http_status_code = 409


def case_of(complaint: str) -> str | None:
	"""The case made from `complaint`, if any."""
	return frappe.db.get_value(DOCTYPE, {"source_complaint": complaint}, "name")


def add(complaint) -> str:
	"""The name of the case made from `complaint` (a reviewed Complaint), created if it has none."""
	if not frappe.has_permission(DOCTYPE, "create"):
		frappe.throw(
			_("Only a Complaint Manager or a Quality Officer can add a complaint to the case library."),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)
	complaint.check_permission("read")
	existing = case_of(complaint.name)
	if existing:
		return existing
	refuse_unless_reviewed(complaint.name, complaint.stage)
	case = frappe.get_doc({"doctype": DOCTYPE, **values_from(complaint)})
	anonymise_case(case)
	if case.title.endswith("…"):
		# a subject cut from the description may end in part of a number: cut the scrubbed text instead
		case.title = summarise(case.summary) or case.title
	case.insert()
	complaint.add_comment("Info", _("Added to the case library as {0}.").format(case.name))
	return case.name


def refuse_unless_reviewed(complaint: str, stage: str | None) -> None:
	if stage != s.REVIEWED:
		frappe.throw(
			_("Only a reviewed complaint can be added to the case library; complaint {0} is {1}.").format(
				complaint, _(stage or "")
			),
			NotReviewed,
			title=_("Not Reviewed"),
		)


def values_from(complaint) -> dict:
	"""A new case's values, copied from the complaint (scrubbed when the case is saved)."""
	return {
		"title": complaint.subject or _("Complaint {0}").format(complaint.name),
		"source_complaint": complaint.name,
		"category": complaint.category,
		"severity": complaint.severity,
		"channel": complaint.channel,
		"received_on": getdate(complaint.received_on) if complaint.received_on else None,
		"store_branch": complaint.store_branch,
		"product": complaint.product,
		"root_cause_category": complaint.root_cause_category,
		"summary": case_text.plain_text(complaint.description),
		"findings": case_text.plain_text(complaint.findings),
		"resolution": resolution_text(complaint),
		"lessons_learned": complaint.lessons_learned,
	}


def resolution_text(complaint) -> str:
	"""What was done, one resolution line a line, and how the customer took it."""
	lines = []
	for row in complaint.resolution_lines:
		text = _(row.resolution_type or "")
		if row.line_description:
			text = f"{text}: {row.line_description}" if text else row.line_description
		if row.amount:
			text += f" ({fmt_money(row.amount, currency=complaint.currency)})"
		lines.append(f"- {text}")
	if complaint.satisfaction:
		lines.append(_("Satisfaction at follow-up: {0}/5").format(complaint.satisfaction))
	return "\n".join(lines)


def validate_source(case) -> None:
	"""A new case comes from a reviewed complaint that has no case yet."""
	if not case.source_complaint:
		return  # Frappe's mandatory check names the field
	stage = frappe.db.get_value(SOURCE, case.source_complaint, "stage")
	if stage is None:
		return  # Frappe's link check names the missing complaint
	existing = case_of(case.source_complaint)
	if existing:
		frappe.throw(
			_("Complaint {0} is already in the case library as {1}.").format(case.source_complaint, existing),
			frappe.DuplicateEntryError,
			title=_("Already a Case"),
		)
	refuse_unless_reviewed(case.source_complaint, stage)


def anonymise_case(case) -> None:
	"""Remove the complainant of the source complaint, and anything that looks like a phone number,
	an e-mail address, an ID-card or other long number, from every free-text field of the case."""
	names, phones, emails = identity_of(case.source_complaint)
	for field in TEXT_FIELDS:
		value = case.get(field)
		if value in (None, ""):
			continue
		# a number sent for a text field (a phone as an integer) is text too
		text = value if isinstance(value, str) else str(value)
		case.set(
			field,
			case_text.scrub(text, names, phones, emails, customer=_("[customer]"), removed=_("[removed]")),
		)
	if case.title:
		case.title = case.title[:TITLE_CHARS]


def identity_of(complaint: str | None) -> tuple[list, list, list]:
	"""The complainant's names, phones and e-mail addresses on `complaint` (read here, whoever saves)."""
	if not complaint:
		return [], [], []
	meta = frappe.get_meta(SOURCE)
	fields = ["complainant_name", "contact_phone", "contact_email", "anonymised_on"]
	if meta.has_field("customer"):  # ERPNext's Customer, when installed
		fields.append("customer")
	found = frappe.db.get_value(SOURCE, complaint, fields, as_dict=True)
	if not found:
		return [], [], []
	names = [] if found.anonymised_on else [found.complainant_name, found.get("customer")]
	return names, [found.contact_phone], [found.contact_email]


# --- the Case Library report (案例库) -------------------------------------------------------------


def columns() -> list[dict]:
	return [
		column("name", _("Case"), "Link", 140, DOCTYPE),
		column("title", _("Title"), "Data", 260),
		column("category", _("Category"), "Link", 110, "Complaint Category"),
		column("severity", _("Severity"), "Data", 80),
		column("product", _("Product / Service"), "Data", 140),
		column("store_branch", _("Store / Branch"), "Data", 130),
		column("received_on", _("Received On"), "Date", 105),
		column("root_cause_category", _("Root Cause Category"), "Data", 120),
		column("keywords", _("Keywords"), "Data", 200),
	]


def search(filters: dict | None) -> tuple:
	"""Cases holding a keyword (literally, in any case of letters) in their title, text or keywords, of
	a category, store and severity, received between two dates; newest first. Bad filters get a message
	and no rows."""
	filters = frappe._dict(filters or {})
	cols = columns()
	values = {key: filters.get(key) for key in ("keyword", *FIELD_FILTERS, "from_date", "to_date")}
	if any(value is not None and not isinstance(value, str) for value in values.values()):
		return cols, [], _("The filters must be text."), None, []
	try:
		from_date = getdate(values["from_date"]) if values["from_date"] else None
		to_date = getdate(values["to_date"]) if values["to_date"] else None
	except Exception:
		return cols, [], _("From Date and To Date must be dates."), None, []
	if from_date and to_date and from_date > to_date:
		return cols, [], _("From Date must be on or before To Date."), None, []

	Case = frappe.qb.DocType(DOCTYPE)
	query = frappe.qb.from_(Case).select(Case.name)
	for field in FIELD_FILTERS:
		if values[field]:
			query = query.where(Case[field] == values[field])
	if from_date:
		query = query.where(Case.received_on >= from_date)
	if to_date:
		query = query.where(Case.received_on <= to_date)
	keyword = (values["keyword"] or "").strip()
	if keyword:
		# a parameter, its %, _ and \ escaped: the keyword is found as typed
		pattern = case_text.like_pattern(keyword)
		query = query.where(Criterion.any([Case[field].like(pattern) for field in TEXT_FIELDS]))
	names = query.run(pluck=True)
	if not names:
		return cols, [], None, None, []
	# the cases this user may read (User Permissions, sharing), as the list would show them
	rows = frappe.get_list(
		DOCTYPE,
		filters={"name": ["in", names]},
		fields=[column["fieldname"] for column in cols],
		order_by="received_on desc, name desc",
		limit_page_length=0,
	)
	return cols, rows, None, None, []
