# Copyright (c) 2025, Complaint Response Contributors
# For license information, please see license.txt

"""Plain pytest tests for the grading engine; no Frappe needed."""

import ast
from pathlib import Path

import pytest

from complaint_response.rules import grading
from complaint_response.rules.grading import (
	DEFAULT_RULES,
	ComplaintFacts,
	GradingRule,
	Reason,
	grade,
	normalise_text,
	validate_rule,
)


def keyword_rule(**kwargs) -> GradingRule:
	values = {"name": "KW", "rule_type": "Keyword", "severity": "Major", "keywords": ("lawyer",)}
	return GradingRule(**{**values, **kwargs})


def numeric_rule(rule_type: str, threshold: float = 5, **kwargs) -> GradingRule:
	values = {"name": rule_type, "rule_type": rule_type, "severity": "Major", "threshold": threshold}
	return GradingRule(**{**values, **kwargs})


def rule_names(result) -> list[str]:
	return [reason.rule for reason in result.reasons]


# --- no match ------------------------------------------------------------------------------------


def test_no_rules_gives_defaults_without_reasons():
	result = grade(ComplaintFacts(text="slow delivery"), [])
	assert (result.severity, result.priority) == ("General", "Medium")
	assert result.reasons == ()
	assert result.crisis_worthy is False
	assert result.crisis_reasons == ()


def test_no_rule_matched_gives_defaults_without_reasons():
	result = grade(ComplaintFacts(text="slow delivery", amount=10), DEFAULT_RULES)
	assert (result.severity, result.priority) == ("General", "Medium")
	assert result.reasons == ()
	assert result.crisis_worthy is False


def test_custom_defaults_are_used_when_nothing_matches():
	result = grade(ComplaintFacts(), [], default_severity="General", default_priority="Low")
	assert result.priority == "Low"


def test_unknown_default_raises():
	with pytest.raises(ValueError, match="Bogus"):
		grade(ComplaintFacts(), [], default_priority="Bogus")


# --- each rule type at the boundary -------------------------------------------------------------


def test_keyword_matches_case_insensitively_as_substring():
	result = grade(ComplaintFacts(text="I will call my LAWYERS tomorrow"), [keyword_rule()])
	assert result.severity == "Major"
	assert result.reasons[0].text() == 'Text mentions "lawyer" (rule KW)'


def test_keyword_does_not_match_other_text():
	result = grade(ComplaintFacts(text="I will call my manager"), [keyword_rule()])
	assert result.severity == "General"
	assert result.reasons == ()


def test_keyword_reason_names_first_matching_keyword_in_rule_order():
	rule = keyword_rule(keywords=("媒体", "曝光"))
	result = grade(ComplaintFacts(text="我要找媒体曝光"), [rule])
	assert len(result.reasons) == 1
	assert result.reasons[0].params["keyword"] == "媒体"


def test_blank_keyword_does_not_match_everything():
	rule = keyword_rule(keywords=("  ", "lawyer"))
	assert grade(ComplaintFacts(text="anything"), [rule]).reasons == ()


@pytest.mark.parametrize(
	("rule_type", "field"),
	[
		("Amount", "amount"),
		("Affected Customers", "affected_customers"),
		("Repeat Complainant", "prior_complaints"),
	],
)
def test_numeric_rule_matches_at_threshold(rule_type, field):
	result = grade(ComplaintFacts(**{field: 5}), [numeric_rule(rule_type, threshold=5)])
	assert result.severity == "Major"
	assert rule_names(result) == [rule_type]


@pytest.mark.parametrize(
	("rule_type", "field"),
	[
		("Amount", "amount"),
		("Affected Customers", "affected_customers"),
		("Repeat Complainant", "prior_complaints"),
	],
)
def test_numeric_rule_does_not_match_one_below_threshold(rule_type, field):
	result = grade(ComplaintFacts(**{field: 4}), [numeric_rule(rule_type, threshold=5)])
	assert result.severity == "General"
	assert result.reasons == ()


def test_amount_just_below_fractional_threshold_does_not_match():
	rule = numeric_rule("Amount", threshold=5000)
	assert grade(ComplaintFacts(amount=4999.99), [rule]).reasons == ()
	assert grade(ComplaintFacts(amount=5000.0), [rule]).reasons != ()


def test_numeric_reason_texts():
	facts = ComplaintFacts(amount=5000.0, affected_customers=7, prior_complaints=3)
	rules = [
		numeric_rule("Amount", threshold=5000.0),
		numeric_rule("Affected Customers", threshold=5),
		numeric_rule("Repeat Complainant", threshold=3),
	]
	texts = [reason.text() for reason in grade(facts, rules).reasons]
	assert texts == [
		"Amount 5000 is at least 5000 (rule Amount)",
		"7 customers affected, at least 5 (rule Affected Customers)",
		"Complainant has 3 earlier complaints, at least 3 (rule Repeat Complainant)",
	]


def test_category_rule_matches_case_insensitively():
	rule = GradingRule(name="Quality", rule_type="Category", priority="High", category="Quality")
	result = grade(ComplaintFacts(category=" quality "), [rule])
	assert result.priority == "High"
	assert result.reasons[0].text() == "Category is quality (rule Quality)"


def test_category_rule_does_not_match_other_category():
	rule = GradingRule(name="Quality", rule_type="Category", priority="High", category="Quality")
	assert grade(ComplaintFacts(category="Delivery"), [rule]).reasons == ()
	assert grade(ComplaintFacts(category=None), [rule]).reasons == ()


# --- combining rules ----------------------------------------------------------------------------


def test_highest_severity_wins_and_reasons_keep_rule_order():
	rules = [
		numeric_rule("Affected Customers", threshold=2, severity="Group", name="many"),
		keyword_rule(name="legal", severity="Major"),
		numeric_rule("Amount", threshold=1, severity="General", name="small"),
	]
	facts = ComplaintFacts(text="lawyer", amount=10, affected_customers=3)
	result = grade(facts, rules)
	assert result.severity == "Group"
	assert rule_names(result) == ["many", "legal", "small"]
	assert rule_names(grade(facts, list(reversed(rules)))) == ["small", "legal", "many"]


def test_highest_priority_wins_among_matched_rules():
	rules = [
		keyword_rule(name="a", severity=None, priority="Low"),
		keyword_rule(name="b", severity=None, priority="High"),
		keyword_rule(name="c", severity=None, priority="Medium"),
	]
	result = grade(ComplaintFacts(text="lawyer"), rules)
	assert result.severity == "General"
	assert result.priority == "High"


def test_matched_priority_replaces_default_when_severity_allows():
	rule = keyword_rule(severity=None, priority="Low")
	assert grade(ComplaintFacts(text="lawyer"), [rule]).priority == "Low"


@pytest.mark.parametrize(
	("severity", "expected_priority"),
	[("General", "Low"), ("Major", "High"), ("Group", "Urgent")],
)
def test_priority_floor_by_severity(severity, expected_priority):
	rule = keyword_rule(severity=severity, priority="Low")
	assert grade(ComplaintFacts(text="lawyer"), [rule]).priority == expected_priority


def test_priority_floor_does_not_lower_a_higher_priority():
	rule = keyword_rule(severity="Major", priority="Urgent")
	assert grade(ComplaintFacts(text="lawyer"), [rule]).priority == "Urgent"


def test_priority_floor_applies_to_default_priority():
	rule = keyword_rule(severity="Major", priority=None)
	assert grade(ComplaintFacts(text="lawyer"), [rule], default_priority="Low").priority == "High"


def test_severity_none_rule_does_not_change_severity():
	rule = numeric_rule("Repeat Complainant", threshold=3, severity=None, priority="High")
	result = grade(ComplaintFacts(prior_complaints=3), [rule])
	assert (result.severity, result.priority) == ("General", "High")
	assert len(result.reasons) == 1


def test_disabled_rule_is_ignored():
	rule = keyword_rule(enabled=False, crisis_worthy=True)
	result = grade(ComplaintFacts(text="lawyer"), [rule])
	assert result.severity == "General"
	assert result.reasons == ()
	assert result.crisis_worthy is False


def test_disabled_invalid_rule_does_not_raise():
	rule = keyword_rule(enabled=False, severity="Catastrophic")
	assert grade(ComplaintFacts(text="lawyer"), [rule]).severity == "General"


def test_category_restriction_on_non_category_rule():
	rule = keyword_rule(category="Product")
	assert grade(ComplaintFacts(text="lawyer", category="product"), [rule]).severity == "Major"
	assert grade(ComplaintFacts(text="lawyer", category="Service"), [rule]).severity == "General"
	assert grade(ComplaintFacts(text="lawyer", category=None), [rule]).severity == "General"


def test_rules_can_be_any_iterable():
	rules = (rule for rule in [keyword_rule()])
	assert grade(ComplaintFacts(text="lawyer"), rules).severity == "Major"


# --- text normalisation -------------------------------------------------------------------------


def test_normalise_text_strips_html_and_collapses_whitespace():
	html_text = "<div><p>Hello&nbsp;&amp;\n  <b>WORLD</b></p><p>Next</p></div>"
	assert normalise_text(html_text) == "hello & world next"
	assert normalise_text(None) == ""
	assert normalise_text("") == ""


def test_normalise_text_removes_script_content():
	assert normalise_text("a<script>lawyer()</script>b") == "a b"


def test_chinese_keyword_inside_html_matches():
	rule = keyword_rule(keywords=("食物中毒",), crisis_worthy=True)
	text = '<p>顾客吃了后<span style="color:red">食物<b>中毒</b></span>，</p><p>已送医院</p>'
	result = grade(ComplaintFacts(text=text), [rule])
	assert result.severity == "Major"
	assert result.reasons[0].text() == 'Text mentions "食物中毒" (rule KW)'


def test_keyword_inside_tag_attribute_does_not_match():
	rule = keyword_rule()
	assert grade(ComplaintFacts(text='<a href="lawyer.html">link</a>'), [rule]).reasons == ()


def test_keyword_across_paragraphs_matches_only_when_adjacent():
	rule = keyword_rule(keywords=("food poisoning",))
	assert grade(ComplaintFacts(text="<p>food</p><p>poisoning</p>"), [rule]).reasons != ()
	assert grade(ComplaintFacts(text="<p>food</p><p>safety poisoning</p>"), [rule]).reasons == ()


# --- crisis -------------------------------------------------------------------------------------


def test_crisis_worthy_reasons_are_collected():
	rules = [
		keyword_rule(name="legal"),
		keyword_rule(name="injury", keywords=("injured",), crisis_worthy=True),
		numeric_rule("Affected Customers", threshold=5, severity="Group", name="group", crisis_worthy=True),
	]
	result = grade(ComplaintFacts(text="lawyer: my son was injured", affected_customers=2), rules)
	assert result.crisis_worthy is True
	assert [reason.rule for reason in result.crisis_reasons] == ["injury"]
	assert rule_names(result) == ["legal", "injury"]
	assert result.crisis_reasons[0] in result.reasons


def test_not_crisis_worthy_when_only_ordinary_rules_match():
	result = grade(ComplaintFacts(text="lawyer"), [keyword_rule()])
	assert result.crisis_worthy is False
	assert result.crisis_reasons == ()


# --- Reason -------------------------------------------------------------------------------------


def test_reason_text_uses_translate_on_template_before_formatting():
	template = "Amount {amount} is at least {threshold} (rule {rule})"
	reason = Reason("R1", template, {"amount": 7, "threshold": 5, "rule": "R1"})
	translations = {template: "金额 {amount} 不低于 {threshold}（规则 {rule}）"}
	seen = []

	def fake_translate(template: str) -> str:
		seen.append(template)
		return translations[template]

	assert reason.text(fake_translate) == "金额 7 不低于 5（规则 R1）"
	assert seen == [reason.template]
	assert reason.text() == "Amount 7 is at least 5 (rule R1)"


# --- validation ---------------------------------------------------------------------------------


def test_valid_rules_have_no_problems():
	for rule in DEFAULT_RULES:
		assert validate_rule(rule) == [], rule.name


def test_validate_keyword_rule_without_keywords():
	problems = validate_rule(keyword_rule(name="Empty", keywords=("", "  ")))
	assert problems == ['Rule "Empty": a Keyword rule needs at least one keyword']


@pytest.mark.parametrize("rule_type", ["Amount", "Affected Customers", "Repeat Complainant"])
def test_validate_numeric_rule_threshold(rule_type):
	assert validate_rule(numeric_rule(rule_type, threshold=None, name="N")) == [
		f'Rule "N": a {rule_type} rule needs a numeric threshold'
	]
	assert validate_rule(numeric_rule(rule_type, threshold=-1, name="N")) == [
		'Rule "N": the threshold must not be negative'
	]
	assert validate_rule(numeric_rule(rule_type, threshold=0, name="N")) == []


def test_validate_category_rule_without_category():
	rule = GradingRule(name="C", rule_type="Category", priority="High", category=" ")
	assert validate_rule(rule) == ['Rule "C": a Category rule needs a category']


def test_validate_unknown_values_are_all_reported():
	rule = GradingRule(name="Bad", rule_type="Sentiment", severity="Critical", priority="Asap")
	problems = validate_rule(rule)
	assert len(problems) == 3
	assert problems[0].startswith('Rule "Bad": unknown rule type "Sentiment"')
	assert 'unknown severity "Critical"' in problems[1]
	assert "General, Major, Group" in problems[1]
	assert 'unknown priority "Asap"' in problems[2]


def test_validate_rule_without_name():
	assert validate_rule(keyword_rule(name="")) == ['Rule "": the rule needs a name']


def test_validate_rule_translates_messages():
	problems = validate_rule(keyword_rule(name="E", keywords=()), translate=lambda s: "[zh] " + s)
	assert problems == ['[zh] Rule "E": a Keyword rule needs at least one keyword']


def test_unknown_severity_raises_value_error_naming_rule():
	with pytest.raises(ValueError, match='Rule "Oops": unknown severity "Critical"'):
		grade(ComplaintFacts(text="lawyer"), [keyword_rule(name="Oops", severity="Critical")])


def test_unknown_rule_type_raises_even_without_match():
	with pytest.raises(ValueError, match='Rule "Odd": unknown rule type'):
		grade(ComplaintFacts(), [GradingRule(name="Odd", rule_type="Mood", severity="Major")])


def test_missing_threshold_raises_value_error():
	with pytest.raises(ValueError, match="numeric threshold"):
		grade(ComplaintFacts(amount=1), [numeric_rule("Amount", threshold=None)])


# --- shipped defaults ---------------------------------------------------------------------------


def test_default_rules_food_poisoning_is_major_and_crisis():
	result = grade(ComplaintFacts(text="顾客吃了后食物中毒，已送医院"), DEFAULT_RULES)
	assert result.severity == "Major"
	assert result.priority == "High"
	assert result.crisis_worthy is True
	assert [reason.rule for reason in result.crisis_reasons] == ["Food Safety"]


def test_default_rules_six_affected_customers_is_group_and_urgent():
	result = grade(ComplaintFacts(text="wrong invoice", affected_customers=6), DEFAULT_RULES)
	assert result.severity == "Group"
	assert result.priority == "Urgent"
	assert result.crisis_worthy is True
	assert rule_names(result) == ["Many Customers Affected"]


def test_default_rules_four_affected_customers_is_not_group():
	result = grade(ComplaintFacts(affected_customers=4), DEFAULT_RULES)
	assert result.severity == "General"


def test_default_rules_english_legal_and_media_threat():
	result = grade(ComplaintFacts(text="<p>My Lawyer will contact the MEDIA</p>"), DEFAULT_RULES)
	assert result.severity == "Major"
	assert result.crisis_worthy is False
	assert rule_names(result) == ["Media Exposure", "Legal Threat"]


def test_default_rules_high_amount_is_major_with_high_priority():
	result = grade(ComplaintFacts(amount=5000), DEFAULT_RULES)
	assert (result.severity, result.priority) == ("Major", "High")
	assert grade(ComplaintFacts(amount=4999), DEFAULT_RULES).severity == "General"


def test_default_rules_repeat_complainant_raises_priority_only():
	result = grade(ComplaintFacts(prior_complaints=3), DEFAULT_RULES)
	assert (result.severity, result.priority) == ("General", "High")
	assert grade(ComplaintFacts(prior_complaints=2), DEFAULT_RULES).priority == "Medium"


def test_default_rules_quality_category_keeps_medium_priority():
	result = grade(ComplaintFacts(category="Quality"), DEFAULT_RULES)
	assert (result.severity, result.priority) == ("General", "Medium")
	assert rule_names(result) == ["Quality Complaint"]


def test_module_does_not_import_frappe():
	tree = ast.parse(Path(grading.__file__).read_text(encoding="utf-8"))
	imported = set()
	for node in ast.walk(tree):
		if isinstance(node, ast.Import):
			imported.update(alias.name.split(".")[0] for alias in node.names)
		elif isinstance(node, ast.ImportFrom):
			imported.add((node.module or "").split(".")[0])
	assert imported
	assert "frappe" not in imported
