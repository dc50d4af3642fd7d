"""Grading (分类分级) on a complaint: reads the admin's rules, hands plain facts to rules.grading,
writes back the result with its reasons. A human may override severity or priority with a reason."""

import frappe
from frappe import _
from frappe.utils import add_days, get_datetime

from complaint_response import cached
from complaint_response.rules.grading import ComplaintFacts, GradingRule, grade, validate_rule

RULE_FIELDS = (
	"name",
	"rule_type",
	"severity",
	"priority",
	"keywords",
	"threshold",
	"category",
	"crisis_worthy",
	"enabled",
)


def rule_from_doc(row) -> GradingRule:
	keywords = tuple(k.strip() for k in (row.get("keywords") or "").splitlines() if k.strip())
	threshold = row.get("threshold")
	return GradingRule(
		name=row.get("name") or row.get("rule_name") or "",
		rule_type=row.get("rule_type"),
		severity=row.get("severity") or None,
		priority=row.get("priority") or None,
		keywords=keywords,
		threshold=None if threshold in (None, "") else float(threshold),
		category=row.get("category") or None,
		crisis_worthy=bool(row.get("crisis_worthy")),
		enabled=bool(row.get("enabled")),
	)


def enabled_rules() -> list[GradingRule]:
	rows = cached.get(
		"grading_rules",
		lambda: frappe.get_all(
			"Complaint Grading Rule",
			filters={"enabled": 1},
			fields=list(RULE_FIELDS),
			order_by="sequence asc, name asc",
		),
	)
	return [rule_from_doc(row) for row in rows]


def rule_problems(doc) -> list[str]:
	return validate_rule(rule_from_doc(doc.as_dict()), translate=_)


def prior_complaints(doc) -> int:
	"""Earlier complaints from the same phone or email within the settings' repeat window."""
	contacts = {field: doc.get(field) for field in ("contact_phone", "contact_email") if doc.get(field)}
	if not contacts:
		return 0
	days = frappe.get_cached_doc("Complaint Settings").repeat_window_days or 90
	received = get_datetime(doc.received_on)
	Complaint = frappe.qb.DocType("Complaint")
	same_contact = None
	for field, value in contacts.items():
		condition = Complaint[field] == value
		same_contact = condition if same_contact is None else (same_contact | condition)
	query = (
		frappe.qb.from_(Complaint)
		.select(frappe.query_builder.functions.Count("*"))
		.where(same_contact)
		.where(Complaint.received_on < received)
		.where(Complaint.received_on >= add_days(received, -days))
		.where(Complaint.name != (doc.name or ""))
	)
	return int(query.run()[0][0])


def apply_grading(doc) -> None:
	result = grade(
		ComplaintFacts(
			text=f"{doc.subject or ''}\n{doc.description or ''}",
			category=doc.category,
			amount=doc.amount_at_stake or 0,
			affected_customers=doc.affected_customers or 0,
			prior_complaints=prior_complaints(doc),
		),
		enabled_rules(),
	)
	doc.graded_severity = result.severity
	doc.graded_priority = result.priority
	doc.grading_reasons = "\n".join(reason.text(_) for reason in result.reasons)
	doc.crisis_worthy = int(result.crisis_worthy)

	before = doc.get_doc_before_save()
	if doc.override_reason:
		note_override(doc, before)
		return  # a human graded this complaint; the reason stays with it
	changed_by_hand = before is not None and (
		doc.severity != before.severity or doc.priority != before.priority
	)
	if changed_by_hand and (doc.severity, doc.priority) != (result.severity, result.priority):
		frappe.throw(
			_(
				"Give an override reason to set severity {0} and priority {1}; the rules give {2} and {3}."
			).format(_(doc.severity), _(doc.priority), _(result.severity), _(result.priority)),
			title=_("Override Reason Needed"),
		)
	doc.severity = result.severity
	doc.priority = result.priority


def note_override(doc, before) -> None:
	"""Put a human's regrading on the complaint's timeline, with its reason."""
	if before is None or (doc.severity, doc.priority) == (before.severity, before.priority):
		return
	doc.add_comment(
		"Info",
		_("Grading overridden by {0}: severity {1} → {2}, priority {3} → {4}. Reason: {5}").format(
			frappe.session.user,
			_(before.severity),
			_(doc.severity),
			_(before.priority),
			_(doc.priority),
			doc.override_reason,
		),
	)
