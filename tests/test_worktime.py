import random
from datetime import date, datetime, time, timedelta

import pytest

from complaint_response.rules.worktime import (
	WorkCalendar,
	add_calendar_days,
	add_working_days,
	add_working_time,
	merge_intervals,
	working_time_between,
)

CAL = WorkCalendar()  # Mon-Fri 09:00-18:00
MON = date(2024, 6, 3)  # a Monday


def at(day: date, hour: int, minute: int = 0, plus_days: int = 0) -> datetime:
	return datetime.combine(day + timedelta(days=plus_days), time(hour, minute))


def hours(n: float) -> timedelta:
	return timedelta(hours=n)


# --- WorkCalendar -------------------------------------------------------------------------------


def test_calendar_rejects_inverted_hours():
	with pytest.raises(ValueError):
		WorkCalendar(day_start=time(18), day_end=time(9))
	with pytest.raises(ValueError):
		WorkCalendar(day_start=time(9), day_end=time(9))


def test_calendar_rejects_empty_or_invalid_workdays():
	with pytest.raises(ValueError):
		WorkCalendar(workdays=frozenset())
	with pytest.raises(ValueError):
		WorkCalendar(workdays=frozenset({7}))


def test_always_on_skips_hour_validation_and_coerces_sets():
	cal = WorkCalendar(day_start=time(18), day_end=time(9), always_on=True)
	assert cal.always_on
	coerced = WorkCalendar(workdays={0, 1}, holidays=[MON])
	assert coerced.workdays == frozenset({0, 1})
	assert coerced.holidays == frozenset({MON})
	hash(coerced)


def test_is_working_day():
	cal = WorkCalendar(holidays=frozenset({MON}))
	assert not cal.is_working_day(MON)
	assert cal.is_working_day(MON + timedelta(days=1))
	assert not cal.is_working_day(MON + timedelta(days=5))  # Saturday


# --- add_working_time ---------------------------------------------------------------------------


def test_within_one_day():
	assert add_working_time(at(MON, 10), hours(3), CAL) == at(MON, 13)


def test_exactly_at_day_end_stays_on_the_same_day():
	assert add_working_time(at(MON, 16), hours(2), CAL) == at(MON, 18)


def test_across_evening():
	assert add_working_time(at(MON, 16), hours(4), CAL) == at(MON, 11, plus_days=1)


def test_across_weekend():
	assert add_working_time(at(MON, 17, plus_days=4), hours(2), CAL) == at(MON, 10, plus_days=7)


def test_across_holiday():
	cal = WorkCalendar(holidays=frozenset({MON + timedelta(days=1)}))
	assert add_working_time(at(MON, 17), hours(2), cal) == at(MON, 10, plus_days=2)


def test_multi_day_duration():
	# 20 working hours from Monday 09:00: Monday 9 h, Tuesday 9 h, then 2 h on Wednesday
	assert add_working_time(at(MON, 9), hours(20), CAL) == at(MON, 11, plus_days=2)


def test_start_before_working_hours():
	assert add_working_time(at(MON, 7), hours(1), CAL) == at(MON, 10)


def test_start_after_working_hours():
	assert add_working_time(at(MON, 20), hours(1), CAL) == at(MON, 10, plus_days=1)


def test_start_on_saturday():
	assert add_working_time(at(MON, 11, plus_days=5), hours(1), CAL) == at(MON, 10, plus_days=7)


def test_minutes_precision():
	assert add_working_time(at(MON, 17, 45), timedelta(minutes=30), CAL) == at(MON, 9, 15, plus_days=1)


def test_custom_calendar_six_days_half_hours():
	cal = WorkCalendar(workdays=frozenset(range(6)), day_start=time(8, 30), day_end=time(17, 30))
	saturday = at(MON, 17, plus_days=5)
	assert add_working_time(saturday, hours(1), cal) == at(MON, 9, plus_days=7)


def test_always_on_counts_every_minute():
	cal = WorkCalendar(always_on=True, holidays=frozenset({MON + timedelta(days=6)}))
	assert add_working_time(at(MON, 23, plus_days=5), hours(2), cal) == at(MON, 1, plus_days=6)


def test_zero_duration_returns_start_and_negative_raises():
	assert add_working_time(at(MON, 20), timedelta(0), CAL) == at(MON, 20)
	with pytest.raises(ValueError):
		add_working_time(at(MON, 10), hours(-1), CAL)


def test_closed_pause_shifts_due():
	pauses = [(at(MON, 11), at(MON, 12))]
	assert add_working_time(at(MON, 10), hours(3), CAL, pauses) == at(MON, 14)


def test_pause_overnight_only_counts_working_part():
	# pause Monday 17:00 -> Tuesday 10:00 removes 2 working hours
	pauses = [(at(MON, 17), at(MON, 10, plus_days=1))]
	assert add_working_time(at(MON, 16), hours(3), CAL, pauses) == at(MON, 12, plus_days=1)


def test_pause_outside_working_hours_has_no_effect():
	pauses = [(at(MON, 19), at(MON, 8, plus_days=1))]
	assert add_working_time(at(MON, 17), hours(2), CAL, pauses) == at(MON, 10, plus_days=1)


def test_pause_started_before_start():
	pauses = [(at(MON, 8), at(MON, 12))]
	assert add_working_time(at(MON, 10), hours(1), CAL, pauses) == at(MON, 13)


def test_overlapping_pauses_are_merged():
	pauses = [(at(MON, 11), at(MON, 13)), (at(MON, 12), at(MON, 14)), (at(MON, 14), at(MON, 15))]
	assert add_working_time(at(MON, 10), hours(2), CAL, pauses) == at(MON, 16)


def test_open_pause_before_due_returns_none():
	assert add_working_time(at(MON, 10), hours(3), CAL, [(at(MON, 11), None)]) is None
	assert add_working_time(at(MON, 10), hours(3), CAL, [(at(MON, 9), None)]) is None


def test_open_pause_after_due_does_not_matter():
	assert add_working_time(at(MON, 10), hours(3), CAL, [(at(MON, 14), None)]) == at(MON, 13)


def test_pauses_on_always_on_calendar():
	cal = WorkCalendar(always_on=True)
	pauses = [(at(MON, 1), at(MON, 2)), (at(MON, 5), at(MON, 6))]
	assert add_working_time(at(MON, 0), hours(5), cal, pauses) == at(MON, 7)
	assert add_working_time(at(MON, 0), hours(5), cal, [(at(MON, 3), None)]) is None


def test_long_span():
	due = add_working_time(at(MON, 9), hours(9 * 5 * 52 * 5), CAL)  # five years of full weeks
	assert due is not None and due.time() == time(18) and due.weekday() == 4
	assert working_time_between(at(MON, 9), due, CAL) == hours(9 * 5 * 52 * 5)


# --- working_time_between -----------------------------------------------------------------------


def test_between_basic_cases():
	assert working_time_between(at(MON, 10), at(MON, 13), CAL) == hours(3)
	assert working_time_between(at(MON, 17, plus_days=4), at(MON, 10, plus_days=7), CAL) == hours(2)
	assert working_time_between(at(MON, 20), at(MON, 8, plus_days=1), CAL) == timedelta(0)
	assert working_time_between(at(MON, 0), at(MON, 0, plus_days=7), CAL) == hours(45)


def test_between_reversed_or_empty_is_zero():
	assert working_time_between(at(MON, 13), at(MON, 10), CAL) == timedelta(0)
	assert working_time_between(at(MON, 13), at(MON, 13), CAL) == timedelta(0)


def test_between_subtracts_merged_pauses():
	pauses = [(at(MON, 11), at(MON, 13)), (at(MON, 12), at(MON, 14))]
	assert working_time_between(at(MON, 9), at(MON, 18), CAL, pauses) == hours(6)


def test_between_stops_at_open_pause():
	assert working_time_between(at(MON, 9), at(MON, 18), CAL, [(at(MON, 12), None)]) == hours(3)


def test_add_then_between_round_trips_randomly():
	rng = random.Random(42)
	base = datetime(2024, 1, 1)
	for _ in range(400):
		always_on = rng.random() < 0.15
		holidays = frozenset(
			date(2024, 1, 1) + timedelta(days=rng.randrange(400)) for _ in range(rng.randrange(10))
		)
		cal = WorkCalendar(holidays=holidays, always_on=always_on)
		start = base + timedelta(minutes=rng.randrange(365 * 24 * 60))
		duration = timedelta(minutes=rng.randrange(0, 9 * 60 * 15))
		pauses = []
		for _ in range(rng.randrange(4)):
			p_start = start + timedelta(minutes=rng.randrange(-3 * 24 * 60, 20 * 24 * 60))
			pauses.append((p_start, p_start + timedelta(minutes=rng.randrange(1, 3 * 24 * 60))))
		due = add_working_time(start, duration, cal, pauses)
		assert due is not None and due >= start
		assert working_time_between(start, due, cal, pauses) == duration
		if duration:
			# minimal: one minute earlier the duration has not yet elapsed
			assert working_time_between(start, due - timedelta(minutes=1), cal, pauses) < duration


# --- merge_intervals ----------------------------------------------------------------------------


def test_merge_intervals():
	a, b, c, d = at(MON, 9), at(MON, 10), at(MON, 11), at(MON, 12)
	assert merge_intervals([(c, d), (a, b), (b, c)]) == [(a, d)]
	assert merge_intervals([(a, b), (c, d)]) == [(a, b), (c, d)]
	assert merge_intervals([(b, a), (c, c)]) == []  # empty / inverted intervals dropped
	assert merge_intervals([(a, b), (b, None), (c, d)]) == [(a, None)]
	assert merge_intervals([(c, None), (a, b)]) == [(a, b), (c, None)]


# --- add_working_days / add_calendar_days -------------------------------------------------------


def test_add_working_days_does_not_count_start_day():
	assert add_working_days(at(MON, 10), 1, CAL) == at(MON, 18, plus_days=1)
	assert add_working_days(at(MON, 8), 1, CAL) == at(MON, 18, plus_days=1)
	assert add_working_days(at(MON, 10), 5, CAL) == at(MON, 18, plus_days=7)


def test_add_working_days_over_weekend_and_holiday():
	friday = at(MON, 10, plus_days=4)
	assert add_working_days(friday, 1, CAL) == at(MON, 18, plus_days=7)
	assert add_working_days(at(MON, 10, plus_days=5), 1, CAL) == at(MON, 18, plus_days=7)  # Saturday
	cal = WorkCalendar(holidays=frozenset({MON + timedelta(days=7)}))
	assert add_working_days(friday, 1, cal) == at(MON, 18, plus_days=8)


def test_add_working_days_zero():
	assert add_working_days(at(MON, 10), 0, CAL) == at(MON, 18)
	assert add_working_days(at(MON, 18), 0, CAL) == at(MON, 18, plus_days=1)
	assert add_working_days(at(MON, 10, plus_days=5), 0, CAL) == at(MON, 18, plus_days=7)


def test_add_working_days_always_on_and_negative():
	assert add_working_days(at(MON, 10), 3, WorkCalendar(always_on=True)) == at(MON, 10, plus_days=3)
	with pytest.raises(ValueError):
		add_working_days(at(MON, 10), -1, CAL)


def test_add_calendar_days():
	assert add_calendar_days(at(MON, 10), 15) == at(MON, 10, plus_days=15)
	assert add_calendar_days(at(MON, 10), 0.5) == at(MON, 22)
	with pytest.raises(ValueError):
		add_calendar_days(at(MON, 10), -1)
