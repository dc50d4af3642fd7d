from datetime import date

from complaint_response.rules.digest import (
	COUNT,
	DASH,
	DOWN,
	HIGHER,
	HOURS,
	LOWER,
	NEUTRAL,
	PERCENT,
	SAME,
	SCORE,
	UP,
	Figure,
	WeekTotals,
	arrow,
	delta,
	digest_weeks,
	figures,
	format_delta,
	format_value,
	recipients,
	split_emails,
	tone,
	week_figures,
)

# --- the weeks ---------------------------------------------------------------------------------


def test_the_seven_days_before_today_and_the_seven_before_those():
	weeks = digest_weeks(date(2026, 11, 30))
	assert weeks.this_start == date(2026, 11, 23)
	assert weeks.this_end == date(2026, 11, 30)
	assert weeks.last_start == date(2026, 11, 16)
	assert weeks.last_end == date(2026, 11, 23)


def test_weeks_across_a_year_end():
	weeks = digest_weeks(date(2027, 1, 3))
	assert (weeks.last_start, weeks.this_start, weeks.this_end) == (
		date(2026, 12, 20),
		date(2026, 12, 27),
		date(2027, 1, 3),
	)


# --- the figures -------------------------------------------------------------------------------


def test_week_figures_from_totals():
	totals = WeekTotals(
		received=5,
		resolved=4,
		resolved_on_time=3,
		response_hours=[8.0, 1.0, 3.0, 2.0],
		follow_ups=3,
		satisfaction_sum=11,
		new_crisis_alerts=1,
	)
	assert week_figures(totals) == {
		"received": 5,
		"resolved": 4,
		"median_response_hours": 2.5,
		"on_time_rate": 75.0,
		"mean_satisfaction": 3.67,
		"new_crisis_alerts": 1,
	}


def test_a_quiet_week_measures_nothing_rather_than_zero():
	assert week_figures(WeekTotals()) == {
		"received": 0,
		"resolved": 0,
		"median_response_hours": None,
		"on_time_rate": None,
		"mean_satisfaction": None,
		"new_crisis_alerts": 0,
	}


def test_figures_compare_the_weeks_then_show_the_state_now():
	found = figures(
		WeekTotals(received=3, resolved=2, resolved_on_time=2),
		WeekTotals(received=5, resolved=4, resolved_on_time=1),
		{"open_now": 7, "breached_now": 2},
	)
	by_key = {f.key: f for f in found}
	assert [f.key for f in found] == [
		"received",
		"resolved",
		"median_response_hours",
		"on_time_rate",
		"mean_satisfaction",
		"new_crisis_alerts",
		"open_now",
		"breached_now",
		"overdue_actions_now",
	]
	assert (by_key["received"].this, by_key["received"].last) == (3, 5)
	assert (by_key["on_time_rate"].this, by_key["on_time_rate"].last) == (100.0, 25.0)
	assert by_key["open_now"].this == 7 and not by_key["open_now"].compared
	assert by_key["overdue_actions_now"].this == 0


# --- changes -----------------------------------------------------------------------------------


def test_delta_and_arrow():
	assert delta(5, 3) == 2 and arrow(5, 3) == UP
	assert delta(2.5, 4.0) == -1.5 and arrow(2.5, 4.0) == DOWN
	assert delta(4, 4) == 0 and arrow(4, 4) == SAME
	assert delta(None, 3) is None and arrow(None, 3) == ""
	assert delta(3, None) is None and arrow(3, None) == ""
	assert delta(0.1 + 0.2, 0.3) == 0


def test_tone_follows_which_way_is_good():
	assert tone(Figure("resolved", COUNT, HIGHER, 5, 3)) == "good"
	assert tone(Figure("resolved", COUNT, HIGHER, 3, 5)) == "bad"
	assert tone(Figure("median_response_hours", HOURS, LOWER, 2.0, 4.0)) == "good"
	assert tone(Figure("median_response_hours", HOURS, LOWER, 4.0, 2.0)) == "bad"
	assert tone(Figure("received", COUNT, NEUTRAL, 9, 3)) == ""
	assert tone(Figure("resolved", COUNT, HIGHER, 3, 3)) == ""
	assert tone(Figure("mean_satisfaction", SCORE, HIGHER, None, 3)) == ""
	assert tone(Figure("open_now", COUNT, LOWER, 9, None, compared=False)) == ""


# --- text --------------------------------------------------------------------------------------


def test_format_value():
	assert format_value(12, COUNT) == "12"
	assert format_value(3.5, HOURS) == "3.5 h"
	assert format_value(4.0, HOURS) == "4 h"
	assert format_value(87.5, PERCENT) == "87.5%"
	assert format_value(100.0, PERCENT) == "100%"
	assert format_value(4.25, SCORE) == "4.25"
	assert format_value(None, SCORE) == DASH
	assert format_value(0, COUNT) == "0"


def test_format_delta():
	assert format_delta(Figure("received", COUNT, NEUTRAL, 8, 5)) == "+3"
	assert format_delta(Figure("received", COUNT, NEUTRAL, 5, 8)) == "-3"
	assert format_delta(Figure("received", COUNT, NEUTRAL, 5, 5)) == "±0"
	assert format_delta(Figure("median_response_hours", HOURS, LOWER, 2.0, 3.5)) == "-1.5 h"
	assert format_delta(Figure("on_time_rate", PERCENT, HIGHER, 80.0, 75.0)) == "+5 pts"
	assert format_delta(Figure("mean_satisfaction", SCORE, HIGHER, 4.5, 4.25)) == "+0.25"
	assert format_delta(Figure("mean_satisfaction", SCORE, HIGHER, None, 4.25)) == ""
	assert format_delta(Figure("open_now", COUNT, LOWER, 4, None, compared=False)) == ""


# --- recipients --------------------------------------------------------------------------------


def test_split_emails():
	text = "a@example.com, b@example.com;c@example.com\nnot-an-address  A@example.com d@example.com"
	assert split_emails(text) == ["a@example.com", "b@example.com", "c@example.com", "d@example.com"]
	assert split_emails(None) == []
	assert split_emails("") == []


def test_recipients_role_users_then_extra_each_once():
	assert recipients(["m@example.com", "n@example.com"], "N@example.com, x@example.com") == [
		"m@example.com",
		"n@example.com",
		"x@example.com",
	]
	assert recipients([], None) == []
