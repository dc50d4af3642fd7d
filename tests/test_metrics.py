from datetime import date, datetime

import pytest

from complaint_response.rules.metrics import (
	MONTHLY,
	WEEKLY,
	ComplaintFacts,
	ParetoRow,
	PeriodTotals,
	hours_between,
	is_reopened,
	mean,
	measure,
	measure_totals,
	median,
	middle,
	pareto,
	performance_rows,
	period_label,
	period_start,
	period_starts,
	rate,
	rows_from_totals,
	satisfaction_score,
	totals,
)

# --- periods -----------------------------------------------------------------------------------


def test_week_starts_on_monday_at_midnight():
	assert period_start(datetime(2026, 11, 16, 0, 0), WEEKLY) == date(2026, 11, 16)  # a Monday
	assert period_start(datetime(2026, 11, 22, 23, 59, 59), WEEKLY) == date(2026, 11, 16)  # Sunday
	assert period_start(datetime(2026, 11, 23, 0, 0), WEEKLY) == date(2026, 11, 23)
	assert period_start(date(2026, 11, 15), WEEKLY) == date(2026, 11, 9)


def test_week_across_the_year_end():
	assert period_start(datetime(2027, 1, 1, 12), WEEKLY) == date(2026, 12, 28)
	assert period_label(date(2026, 12, 28), WEEKLY) == "2026-W53"
	assert period_label(date(2027, 1, 4), WEEKLY) == "2027-W01"


def test_month_boundaries():
	assert period_start(datetime(2026, 1, 31, 23, 59, 59), MONTHLY) == date(2026, 1, 1)
	assert period_start(datetime(2026, 2, 1, 0, 0), MONTHLY) == date(2026, 2, 1)
	assert period_start(date(2028, 2, 29), MONTHLY) == date(2028, 2, 1)
	assert period_label(date(2026, 2, 1), MONTHLY) == "2026-02"


def test_unknown_period():
	with pytest.raises(ValueError):
		period_start(date(2026, 1, 1), "Daily")


def test_period_starts_cover_the_range():
	assert period_starts(date(2026, 11, 18), date(2026, 12, 2), WEEKLY) == [
		date(2026, 11, 16),
		date(2026, 11, 23),
		date(2026, 11, 30),
	]
	assert period_starts(date(2026, 11, 30), date(2027, 1, 1), MONTHLY) == [
		date(2026, 11, 1),
		date(2026, 12, 1),
		date(2027, 1, 1),
	]
	assert period_starts(date(2026, 11, 16), date(2026, 11, 16), WEEKLY) == [date(2026, 11, 16)]
	assert period_starts(date(2026, 12, 1), date(2026, 11, 1), MONTHLY) == []


# --- medians, means, rates ---------------------------------------------------------------------


def test_median_and_mean_skip_none_and_are_none_when_empty():
	assert median([]) is None
	assert mean([]) is None
	assert median([None, None]) is None
	assert mean([None]) is None
	assert median([3, None, 1, 2]) == 2
	assert median([4, 1, 3, 2]) == 2.5
	assert mean([1, None, 2]) == 1.5


def test_rate():
	assert rate(0, 0) is None
	assert rate(1, 3) == 33.33
	assert rate(3, 3) == 100


def test_hours_between():
	assert hours_between(datetime(2026, 11, 16, 9), datetime(2026, 11, 16, 10, 30)) == 1.5
	assert hours_between(None, datetime(2026, 11, 16, 9)) is None
	assert hours_between(datetime(2026, 11, 16, 9), None) is None


def test_satisfaction_and_reopened():
	assert satisfaction_score(0) is None
	assert satisfaction_score(None) is None
	assert satisfaction_score(4) == 4
	assert is_reopened("Reopened", 0)
	assert is_reopened("Closed", 2)
	assert is_reopened("Closed", 1)
	assert not is_reopened("Closed", 3)
	assert not is_reopened("Closed", 0), "no score is not a bad score"
	assert not is_reopened(None, None)


# --- a period's metrics ------------------------------------------------------------------------


def fact(day, hour=9, response=None, resolved=False, satisfaction=0, stage="Received", on_time=False):
	received = datetime(2026, 11, day, hour)
	return ComplaintFacts(
		received_on=received,
		first_response_on=datetime(2026, 11, day, hour + response) if response is not None else None,
		resolved_on=datetime(2026, 11, 30) if resolved else None,
		satisfaction=satisfaction,
		stage=stage,
		resolved_on_time=on_time,
	)


def test_measure_of_nothing():
	m = measure([])
	assert m["received"] == 0
	assert m["resolved"] == 0
	for key in ("median_response_hours", "mean_response_hours", "resolution_rate", "mean_satisfaction"):
		assert m[key] is None, key


def test_measure():
	m = measure(
		[
			fact(16, response=1, resolved=True, satisfaction=5, on_time=True),
			fact(17, response=2, resolved=True, satisfaction=2, stage="Reopened"),
			fact(18, response=6),
			fact(19),
		]
	)
	assert m["received"] == 4
	assert m["median_response_hours"] == 2
	assert m["mean_response_hours"] == 3
	assert m["resolved"] == 2
	assert m["resolution_rate"] == 50
	assert m["resolved_on_time"] == 1
	assert m["on_time_rate"] == 25
	assert m["follow_ups"] == 2
	assert m["mean_satisfaction"] == 3.5
	assert m["satisfied_rate"] == 50
	assert m["reopened"] == 1


def test_performance_rows_bucket_and_keep_empty_periods():
	rows = performance_rows(
		[fact(16, response=2), fact(22, hour=20, response=3), fact(23, response=1, resolved=True)],
		date(2026, 11, 16),
		date(2026, 12, 6),
		WEEKLY,
	)
	assert [r["period"] for r in rows] == ["2026-W47", "2026-W48", "2026-W49"]
	assert [r["received"] for r in rows] == [2, 1, 0]
	assert rows[0]["median_response_hours"] == 2.5
	assert rows[1]["resolution_rate"] == 100
	assert rows[2]["median_response_hours"] is None
	assert performance_rows([], date(2026, 11, 1), date(2026, 11, 30), MONTHLY)[0]["received"] == 0


# --- Pareto ------------------------------------------------------------------------------------


def test_pareto_of_nothing():
	assert pareto([]) == []
	assert pareto([("Service", 0)]) == []


def test_pareto_sorts_by_count_then_label_and_reaches_100():
	rows = pareto([("Price", 1), ("Service", 3), ("Delivery", 1), ("Quality", 2)])
	assert [r.label for r in rows] == ["Service", "Quality", "Delivery", "Price"]
	assert [r.count for r in rows] == [3, 2, 1, 1]
	assert [r.share for r in rows] == [42.86, 28.57, 14.29, 14.29]
	assert [r.cumulative for r in rows] == [42.86, 71.43, 85.71, 100]


def test_pareto_cumulative_is_exactly_100_even_when_shares_round():
	rows = pareto([("A", 1), ("B", 1), ("C", 1)])
	assert [r.share for r in rows] == [33.33, 33.33, 33.33]
	assert rows[-1].cumulative == 100
	assert rows == [
		ParetoRow("A", 1, 33.33, 33.33),
		ParetoRow("B", 1, 33.33, 66.67),
		ParetoRow("C", 1, 33.33, 100),
	]


# --- totals, as the report's grouped query returns them -------------------------------------------


def test_middle_picks_the_ranks_the_window_query_picks():
	assert middle([]) == []
	assert middle([7]) == [7]
	assert middle([1, 2]) == [1, 2]
	assert middle([1, 2, 3]) == [2]
	assert middle([1, 2, 3, 4]) == [2, 3]
	for n in range(1, 12):
		ordered = list(range(1, n + 1))
		# 1-based ranks (n + 1) // 2 and n // 2 + 1
		assert middle(ordered) == sorted({(n + 1) // 2, n // 2 + 1})
		assert median(middle(ordered)) == median(ordered)


def test_totals_give_the_same_figures_as_the_facts():
	facts = [
		fact(16, response=1, resolved=True, satisfaction=5, on_time=True),
		fact(17, response=2, resolved=True, satisfaction=2, stage="Reopened"),
		fact(18, response=6),
		fact(19, satisfaction=4),
		fact(20, response=3, stage="Reopened"),
	]
	t = totals(facts)
	assert t == PeriodTotals(
		received=5,
		responses=4,
		response_hours_sum=12,
		middle_response_hours=(2, 3),
		resolved=2,
		resolved_on_time=1,
		follow_ups=3,
		satisfaction_sum=11,
		satisfied=2,
		reopened=2,
	)
	assert measure_totals(t) == measure(facts)
	assert measure_totals(t)["median_response_hours"] == 2.5
	assert measure_totals(t)["mean_satisfaction"] == 3.67
	assert measure_totals(PeriodTotals()) == measure([])


def test_rows_from_totals_keep_empty_periods_and_periods_outside_the_range():
	rows = rows_from_totals(
		{date(2026, 11, 23): PeriodTotals(received=2, resolved=1)},
		date(2026, 11, 16),
		date(2026, 11, 29),
		WEEKLY,
	)
	assert [(r["period"], r["received"], r["resolution_rate"]) for r in rows] == [
		("2026-W47", 0, None),
		("2026-W48", 2, 50),
	]
