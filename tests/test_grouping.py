"""rules.grouping: which open alert a signal belongs to (one incident, one alert)."""

from datetime import datetime, timedelta

import pytest

from complaint_response.rules.grouping import (
	GroupingRule,
	Incident,
	belongs,
	covering_incident,
	covers,
	values_of,
)

NOW = datetime(2026, 11, 30, 12)
RULE = GroupingRule()  # store and product, 24 h
KITCHEN = values_of([{"store": "Xuhui", "product": "Spicy Fish", "category": "Food"}])


def test_values_are_case_folded_without_blanks():
	assert values_of([{"store": " Xuhui "}, {"store": "XUHUI"}, {"store": ""}, {}], ("store",)) == {
		"store": frozenset({"xuhui"})
	}


def test_same_store_and_product_is_covered():
	signal = values_of(
		[
			{"store": "xuhui", "product": "spicy fish", "category": "Food"},
			{"store": "Xuhui", "product": "Rice"},
		]
	)
	assert covers(RULE, KITCHEN, signal)


def test_another_store_is_another_incident():
	assert not covers(RULE, KITCHEN, values_of([{"store": "Pudong", "product": "Spicy Fish"}]))


def test_a_field_one_side_does_not_know_does_not_decide_but_something_must_match():
	assert covers(RULE, KITCHEN, values_of([{"store": "Xuhui"}]))  # a store spike: product unknown
	assert not covers(RULE, KITCHEN, values_of([{"category": "Food"}]))  # nothing of the rule to judge
	assert covers(GroupingRule(fields=("category",)), KITCHEN, values_of([{"category": "food"}]))


def test_interval_and_most_recent_incident():
	old = Incident("A", KITCHEN, NOW - timedelta(hours=30))
	recent = Incident("B", KITCHEN, NOW - timedelta(hours=2))
	other = Incident("C", values_of([{"store": "Pudong", "product": "Spicy Fish"}]), NOW)
	signal = values_of([{"store": "Xuhui", "product": "Spicy Fish"}])
	assert covering_incident(RULE, [old, recent, other], signal, NOW).name == "B"
	assert covering_incident(RULE, [old], signal, NOW) is None
	assert covering_incident(GroupingRule(interval_hours=48), [old], signal, NOW).name == "A"


def test_which_complaints_of_a_signal_belong():
	assert belongs(RULE, KITCHEN, {"store": "Xuhui", "product": "Spicy Fish"})
	assert belongs(RULE, KITCHEN, {"store": "Xuhui"})
	assert not belongs(RULE, KITCHEN, {"store": "Pudong", "product": "Spicy Fish"})


def test_bad_rules_are_refused():
	with pytest.raises(ValueError):
		GroupingRule(fields=("colour",))
	with pytest.raises(ValueError):
		GroupingRule(interval_hours=0)
