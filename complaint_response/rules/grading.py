# Copyright (c) 2025, Complaint Response Contributors
# For license information, please see license.txt

"""Complaint grading engine (分类分级).

Plain Python on purpose: it must not import frappe, so it can be unit-tested with pytest alone.
The Frappe layer turns the admin-editable grading rule records into `GradingRule` objects, calls
`grade()` and shows the returned reasons on the complaint form, translating each one with
`reason.text(frappe._)`.
"""

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass


def _(text: str) -> str:
	"""Mark `text` as a translatable template; Frappe translates it later with `frappe._`."""
	return text


SEVERITIES: tuple[str, ...] = ("General", "Major", "Group")
PRIORITIES: tuple[str, ...] = ("Low", "Medium", "High", "Urgent")
RULE_TYPES: tuple[str, ...] = ("Keyword", "Amount", "Affected Customers", "Repeat Complainant", "Category")
NUMERIC_RULE_TYPES: tuple[str, ...] = ("Amount", "Affected Customers", "Repeat Complainant")

# The lowest priority a complaint of a given severity may have.
SEVERITY_PRIORITY_FLOOR: dict[str, str] = {"Major": "High", "Group": "Urgent"}

Translate = Callable[[str], str]


@dataclass(frozen=True)
class GradingRule:
	name: str
	rule_type: str
	severity: str | None = None
	priority: str | None = None
	keywords: tuple[str, ...] = ()
	threshold: float | None = None
	category: str | None = None
	crisis_worthy: bool = False
	enabled: bool = True


@dataclass(frozen=True)
class ComplaintFacts:
	text: str = ""
	category: str | None = None
	amount: float = 0
	affected_customers: int = 1
	prior_complaints: int = 0


@dataclass(frozen=True)
class Reason:
	rule: str
	template: str
	params: dict

	def text(self, translate: Translate = lambda s: s) -> str:
		return translate(self.template).format(**self.params)


@dataclass(frozen=True)
class GradingResult:
	severity: str
	priority: str
	reasons: tuple[Reason, ...]
	crisis_worthy: bool
	crisis_reasons: tuple[Reason, ...]


# ---------------------------------------------------------------------------
# Text helpers
# ---------------------------------------------------------------------------

_SCRIPT_STYLE_RE = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_BLOCK_TAG_RE = re.compile(
	r"</?(p|div|br|hr|li|ul|ol|h[1-6]|tr|td|th|table|thead|tbody|blockquote|pre|section|article)\b[^>]*>",
	re.IGNORECASE,
)
_TAG_RE = re.compile(r"<[^>]*>")
_WHITESPACE_RE = re.compile(r"\s+")


def normalise_text(text: str | None) -> str:
	"""Strip HTML, unescape entities, collapse whitespace and lower-case (casefold) the text.

	Block tags become a space so paragraphs do not run together; inline tags (<b>, <span>…) are
	removed without a space so a keyword split by formatting, e.g. 食物<b>中毒</b>, still matches.
	"""
	if not text:
		return ""
	text = _SCRIPT_STYLE_RE.sub(" ", text)
	text = _BLOCK_TAG_RE.sub(" ", text)
	text = _TAG_RE.sub("", text)
	text = html.unescape(text)
	return _WHITESPACE_RE.sub(" ", text).strip().casefold()


def _normalise_category(category: str | None) -> str:
	return (category or "").strip().casefold()


def _display_number(value: float) -> float | int:
	"""Show 5000.0 as 5000 in reason texts."""
	if isinstance(value, float) and value.is_integer():
		return int(value)
	return value


# ---------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------


def _is_number(value: object) -> bool:
	return isinstance(value, int | float) and not isinstance(value, bool)


def _choice_problems(rule: GradingRule) -> list[tuple[str, dict]]:
	problems = []
	if rule.rule_type not in RULE_TYPES:
		problems.append(
			(
				_('Rule "{rule}": unknown rule type "{value}"; expected one of {allowed}'),
				{"value": rule.rule_type, "allowed": ", ".join(RULE_TYPES)},
			)
		)
	if rule.severity is not None and rule.severity not in SEVERITIES:
		problems.append(
			(
				_('Rule "{rule}": unknown severity "{value}"; expected one of {allowed}'),
				{"value": rule.severity, "allowed": ", ".join(SEVERITIES)},
			)
		)
	if rule.priority is not None and rule.priority not in PRIORITIES:
		problems.append(
			(
				_('Rule "{rule}": unknown priority "{value}"; expected one of {allowed}'),
				{"value": rule.priority, "allowed": ", ".join(PRIORITIES)},
			)
		)
	return problems


def _type_problems(rule: GradingRule) -> list[tuple[str, dict]]:
	if rule.rule_type == "Keyword" and not any((k or "").strip() for k in rule.keywords):
		return [(_('Rule "{rule}": a Keyword rule needs at least one keyword'), {})]
	if rule.rule_type in NUMERIC_RULE_TYPES:
		if rule.threshold is None or not _is_number(rule.threshold):
			return [(_('Rule "{rule}": a {rule_type} rule needs a numeric threshold'), {})]
		if rule.threshold < 0:
			return [(_('Rule "{rule}": the threshold must not be negative'), {})]
	if rule.rule_type == "Category" and not _normalise_category(rule.category):
		return [(_('Rule "{rule}": a Category rule needs a category'), {})]
	return []


def validate_rule(rule: GradingRule, translate: Translate = lambda s: s) -> list[str]:
	"""Return human-readable problems with `rule` (empty list if it is usable); never raises.

	Messages are formatted English by default; pass `frappe._` as `translate` to get them translated.
	"""
	problems = []
	if not (rule.name or "").strip():
		problems.append((_('Rule "{rule}": the rule needs a name'), {}))
	problems += _choice_problems(rule)
	problems += _type_problems(rule)
	context = {"rule": rule.name, "rule_type": rule.rule_type}
	return [translate(template).format(**{**context, **params}) for template, params in problems]


def _check_rule(rule: GradingRule) -> None:
	problems = validate_rule(rule)
	if problems:
		raise ValueError("Invalid grading rule: " + "; ".join(problems))


def _check_choice(value: str, allowed: tuple[str, ...], what: str) -> None:
	if value not in allowed:
		raise ValueError(f'Unknown default {what} "{value}"; expected one of {", ".join(allowed)}')


# ---------------------------------------------------------------------------
# Matching
# ---------------------------------------------------------------------------


def _category_allows(rule: GradingRule, facts: ComplaintFacts) -> bool:
	"""A category on a non-Category rule restricts the rule to complaints of that category."""
	if rule.rule_type == "Category" or not _normalise_category(rule.category):
		return True
	return _normalise_category(rule.category) == _normalise_category(facts.category)


def _match_keyword(rule: GradingRule, facts: ComplaintFacts, text: str) -> Reason | None:
	for keyword in rule.keywords:
		needle = normalise_text(keyword)
		if needle and needle in text:
			return Reason(
				rule.name,
				_('Text mentions "{keyword}" (rule {rule})'),
				{"keyword": keyword.strip(), "rule": rule.name},
			)
	return None


def _match_amount(rule: GradingRule, facts: ComplaintFacts, text: str) -> Reason | None:
	amount = facts.amount or 0
	if amount < rule.threshold:
		return None
	return Reason(
		rule.name,
		_("Amount {amount} is at least {threshold} (rule {rule})"),
		{"amount": _display_number(amount), "threshold": _display_number(rule.threshold), "rule": rule.name},
	)


def _match_affected(rule: GradingRule, facts: ComplaintFacts, text: str) -> Reason | None:
	count = facts.affected_customers or 0
	if count < rule.threshold:
		return None
	return Reason(
		rule.name,
		_("{count} customers affected, at least {threshold} (rule {rule})"),
		{"count": count, "threshold": _display_number(rule.threshold), "rule": rule.name},
	)


def _match_repeat(rule: GradingRule, facts: ComplaintFacts, text: str) -> Reason | None:
	count = facts.prior_complaints or 0
	if count < rule.threshold:
		return None
	return Reason(
		rule.name,
		_("Complainant has {count} earlier complaints, at least {threshold} (rule {rule})"),
		{"count": count, "threshold": _display_number(rule.threshold), "rule": rule.name},
	)


def _match_category(rule: GradingRule, facts: ComplaintFacts, text: str) -> Reason | None:
	if _normalise_category(rule.category) != _normalise_category(facts.category):
		return None
	return Reason(
		rule.name,
		_("Category is {category} (rule {rule})"),
		{"category": (facts.category or "").strip(), "rule": rule.name},
	)


_MATCHERS: dict[str, Callable[[GradingRule, ComplaintFacts, str], Reason | None]] = {
	"Keyword": _match_keyword,
	"Amount": _match_amount,
	"Affected Customers": _match_affected,
	"Repeat Complainant": _match_repeat,
	"Category": _match_category,
}


def _match_rule(rule: GradingRule, facts: ComplaintFacts, text: str | None = None) -> Reason | None:
	"""Return the reason `rule` fires for `facts`, or None. `text` is the already normalised text."""
	if not rule.enabled or not _category_allows(rule, facts):
		return None
	if text is None:
		text = normalise_text(facts.text)
	return _MATCHERS[rule.rule_type](rule, facts, text)


# ---------------------------------------------------------------------------
# Grading
# ---------------------------------------------------------------------------


def _highest(values: Iterable[str], order: tuple[str, ...]) -> str | None:
	return max(values, key=order.index, default=None)


def _final_priority(severity: str, matched_priorities: list[str], default_priority: str) -> str:
	"""Highest matched priority (or the default), raised to the floor implied by the severity."""
	priority = _highest(matched_priorities, PRIORITIES) or default_priority
	floor = SEVERITY_PRIORITY_FLOOR.get(severity)
	if floor:
		priority = _highest((priority, floor), PRIORITIES)
	return priority


def grade(
	facts: ComplaintFacts,
	rules: Iterable[GradingRule],
	default_severity: str = "General",
	default_priority: str = "Medium",
) -> GradingResult:
	"""Apply every enabled rule that matches `facts` and return severity, priority and the reasons.

	Raises ValueError if an enabled rule (or a default) is invalid; disabled rules are ignored.
	"""
	_check_choice(default_severity, SEVERITIES, "severity")
	_check_choice(default_priority, PRIORITIES, "priority")
	text = normalise_text(facts.text)
	matched: list[tuple[GradingRule, Reason]] = []
	for rule in rules:
		if not rule.enabled:
			continue
		_check_rule(rule)
		reason = _match_rule(rule, facts, text)
		if reason is not None:
			matched.append((rule, reason))

	matched_rules = [rule for rule, _reason in matched]
	severity = _highest((r.severity for r in matched_rules if r.severity), SEVERITIES) or default_severity
	priority = _final_priority(severity, [r.priority for r in matched_rules if r.priority], default_priority)
	crisis_reasons = tuple(reason for rule, reason in matched if rule.crisis_worthy)
	return GradingResult(
		severity=severity,
		priority=priority,
		reasons=tuple(reason for _rule, reason in matched),
		crisis_worthy=bool(crisis_reasons),
		crisis_reasons=crisis_reasons,
	)


# ---------------------------------------------------------------------------
# Shipped defaults (drawn from the complaint emergency response plans)
# ---------------------------------------------------------------------------

DEFAULT_RULES: tuple[GradingRule, ...] = (
	GradingRule(
		name="Personal Injury",
		rule_type="Keyword",
		severity="Major",
		priority="High",
		keywords=("injury", "injured", "injuries", "受伤", "人身伤害"),
		crisis_worthy=True,
	),
	GradingRule(
		name="Food Safety",
		rule_type="Keyword",
		severity="Major",
		priority="High",
		keywords=("food poisoning", "food safety", "食物中毒", "食品安全"),
		crisis_worthy=True,
	),
	GradingRule(
		# the beauty-salon plan's product risk: 产品导致顾客过敏或不适
		name="Adverse Reaction",
		rule_type="Keyword",
		severity="Major",
		priority="High",
		keywords=("allergic", "allergy", "rash", "swelling", "过敏", "红肿", "不适", "皮疹", "瘙痒"),
		crisis_worthy=True,
	),
	GradingRule(
		name="Media Exposure",
		rule_type="Keyword",
		severity="Major",
		priority="High",
		keywords=("media", "journalist", "reporter", "记者", "媒体", "曝光"),
	),
	GradingRule(
		name="Legal Threat",
		rule_type="Keyword",
		severity="Major",
		priority="High",
		keywords=("lawyer", "lawsuit", "attorney", "律师", "起诉"),
	),
	GradingRule(name="High Amount", rule_type="Amount", severity="Major", threshold=5000),
	GradingRule(
		name="Many Customers Affected",
		rule_type="Affected Customers",
		severity="Group",
		priority="Urgent",
		threshold=5,
		crisis_worthy=True,
	),
	GradingRule(name="Repeat Complainant", rule_type="Repeat Complainant", priority="High", threshold=3),
	GradingRule(name="Quality Complaint", rule_type="Category", priority="Medium", category="Quality"),
)
