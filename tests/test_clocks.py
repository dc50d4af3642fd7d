from datetime import date, datetime, time, timedelta

import pytest

from complaint_response.rules.clocks import (
	BREACHED,
	CALENDAR_HOURS,
	DEFAULT_SLA,
	HOURS,
	MET,
	MET_LATE,
	NOT_STARTED,
	PAUSED,
	REGULATORY_CLOCKS,
	RUNNING,
	UNITS,
	ClockSpec,
	ClockState,
	due_time,
	escalation_level,
	evaluate,
	extended,
	in_round,
	strictest,
	warnings_due,
	with_implied,
)
from complaint_response.rules.worktime import WorkCalendar

CAL = WorkCalendar()  # Mon-Fri 09:00-18:00
MON = date(2024, 6, 3)  # a Monday


def at(day: date, hour: int, minute: int = 0, plus_days: int = 0) -> datetime:
	return datetime.combine(day + timedelta(days=plus_days), time(hour, minute))


ACK = ClockSpec("Acknowledge", 2, "Hours", stops_at="acknowledged")


def state(due: datetime | None, met_on: datetime | None = None, pct: float | None = 10.0, **kw) -> ClockState:
	values = {
		"node": "N",
		"source": "SLA",
		"start": at(MON, 9),
		"due": due,
		"met_on": met_on,
		"status": MET if met_on else RUNNING,
		"elapsed_pct": pct,
		"breached": False,
	}
	values.update(kw)
	return ClockState(**values)


# --- ClockSpec ----------------------------------------------------------------------------------


def test_spec_validation():
	with pytest.raises(ValueError):
		ClockSpec("X", 1, "Fortnights")
	with pytest.raises(ValueError):
		ClockSpec("X", -1, "Hours")
	with pytest.raises(ValueError):
		ClockSpec("X", 15, "Working Days", extended_duration=10)
	with pytest.raises(ValueError):
		ClockSpec("X", 1, "Hours", starts_at="")


# --- due_time -----------------------------------------------------------------------------------


def test_due_time_working_hours():
	assert due_time(ACK, at(MON, 17), CAL) == at(MON, 10, plus_days=1)


def test_due_time_calendar_hours_ignores_calendar():
	spec = ClockSpec("Investigation", 24, "Calendar Hours")
	assert due_time(spec, at(MON, 17, plus_days=4), CAL) == at(MON, 17, plus_days=5)


def test_due_time_working_days():
	spec = ClockSpec("Resolve", 5, "Working Days")
	assert due_time(spec, at(MON, 10, plus_days=2), CAL) == at(MON, 18, plus_days=9)


def test_due_time_working_days_fraction_rounds_up():
	spec = ClockSpec("Resolve", 1.5, "Working Days")
	assert due_time(spec, at(MON, 10), CAL) == at(MON, 18, plus_days=2)


def test_due_time_calendar_days_and_weeks():
	assert due_time(ClockSpec("X", 15, "Calendar Days"), at(MON, 10), CAL) == at(MON, 10, plus_days=15)
	assert due_time(ClockSpec("X", 8, "Weeks"), at(MON, 10), CAL) == at(MON, 10, plus_days=56)


def test_every_unit_is_dispatched():
	for unit in UNITS:
		due = due_time(ClockSpec("X", 1, unit), at(MON, 10), CAL)
		assert due is not None and due > at(MON, 10)


def test_pause_on_working_hours_shifts_due():
	pauses = [(at(MON, 10, 30), at(MON, 11, 30))]
	assert due_time(ACK, at(MON, 10), CAL, pauses) == at(MON, 13)


def test_pause_extends_calendar_days_by_paused_time():
	spec = ClockSpec("X", 15, "Calendar Days")
	pauses = [(at(MON, 0, plus_days=2), at(MON, 0, plus_days=4))]
	assert due_time(spec, at(MON, 10), CAL, pauses) == at(MON, 10, plus_days=17)


def test_pause_after_due_does_not_extend_calendar_clock():
	spec = ClockSpec("X", 10, "Calendar Hours")
	assert due_time(spec, at(MON, 0), CAL, [(at(MON, 11), at(MON, 20))]) == at(MON, 10)


def test_pause_straddling_due_extends_by_all_of_it():
	# due would be 10:00; paused 08:00-12:00 (4 h, all of which falls before the new due 14:00)
	spec = ClockSpec("X", 10, "Calendar Hours")
	assert due_time(spec, at(MON, 0), CAL, [(at(MON, 8), at(MON, 12))]) == at(MON, 14)


def test_pause_extends_working_days_by_paused_working_time():
	spec = ClockSpec("X", 2, "Working Days")  # Monday 10:00 -> Wednesday 18:00
	assert due_time(spec, at(MON, 10), CAL) == at(MON, 18, plus_days=2)
	whole_tuesday = [(at(MON, 0, plus_days=1), at(MON, 0, plus_days=2))]
	assert due_time(spec, at(MON, 10), CAL, whole_tuesday) == at(MON, 18, plus_days=3)
	weekend_only = [(at(MON, 0, plus_days=5), at(MON, 0, plus_days=7))]
	assert due_time(ClockSpec("X", 5, "Working Days"), at(MON, 10), CAL, weekend_only) == at(
		MON, 18, plus_days=7
	)


def test_open_pause_stops_clock():
	spec = ClockSpec("X", 15, "Calendar Days")
	assert due_time(spec, at(MON, 10), CAL, [(at(MON, 12), None)]) is None
	assert due_time(ACK, at(MON, 10), CAL, [(at(MON, 11), None)]) is None


# --- evaluate -----------------------------------------------------------------------------------


INVESTIGATION = ClockSpec("Investigation Started", 24, "Calendar Hours", stops_at="investigation_started")


def test_resolving_at_intake_stops_the_investigation_clock():
	"""The fast path skips the investigation: the node stops when the customer is told, not never."""
	received, resolved = at(MON, 10), at(MON, 15)
	events = with_implied({"received": received, "investigation_started": None, "resolved": resolved})
	assert events["investigation_started"] == resolved and events["first_response"] == resolved
	done = evaluate(INVESTIGATION, events, at(MON, 10, plus_days=3), CAL)
	assert done.status == MET and done.met_on == resolved
	# without the implication the node would run on and breach after the complaint was done
	raw = {"received": received, "investigation_started": None, "resolved": resolved}
	assert evaluate(INVESTIGATION, raw, at(MON, 10, plus_days=3), CAL).status == BREACHED
	# resolved late: the node is met late, not hidden
	late = with_implied({"received": received, "resolved": at(MON, 12, plus_days=2)})
	assert evaluate(INVESTIGATION, late, at(MON, 10, plus_days=3), CAL).status == MET_LATE


def test_implied_events_never_replace_a_recorded_one():
	investigated, resolved = at(MON, 11), at(MON, 15)
	events = with_implied(
		{"received": at(MON, 10), "investigation_started": investigated, "resolved": resolved}
	)
	assert events["investigation_started"] == investigated
	assert with_implied({"received": at(MON, 10)}) == {"received": at(MON, 10)}


RESOLUTION = ClockSpec("Resolution", 3, "Working Days", stops_at="resolved")
FOLLOW_UP = ClockSpec("Follow-up", 7, "Calendar Days", starts_at="resolved", stops_at="followed_up")


def test_a_reopened_complaint_starts_a_new_resolution_round():
	received, informed, followed, reopened = at(MON, 10), at(MON, 15), at(MON, 16), at(MON, 17)
	events = {"received": received, "resolved": informed, "followed_up": followed}
	# before the reopening the first round is met
	assert evaluate(RESOLUTION, events, at(MON, 17), CAL).status == MET
	# reopened: the resolution counts again from the reopening, the follow-up waits for a resolution
	again = in_round(events, reopened)
	assert again["received"] == reopened and again["resolved"] is None and again["followed_up"] is None
	running = evaluate(RESOLUTION, again, at(MON, 10, plus_days=1), CAL)
	assert running.status == RUNNING and running.start == reopened
	assert evaluate(FOLLOW_UP, again, at(MON, 10, plus_days=1), CAL).status == NOT_STARTED
	# told the customer again: met in the new round; then the follow-up of that round
	second = in_round({**events, "resolved": at(MON, 11, plus_days=1)}, reopened)
	assert evaluate(RESOLUTION, second, at(MON, 12, plus_days=1), CAL).status == MET
	assert evaluate(FOLLOW_UP, second, at(MON, 12, plus_days=1), CAL).status == RUNNING
	# a week after the reopening with nothing done: breached
	late = evaluate(RESOLUTION, again, at(MON, 12, plus_days=7), CAL)
	assert late.status == BREACHED


def test_no_reopening_no_new_round():
	events = {"received": at(MON, 10), "resolved": at(MON, 15)}
	assert in_round(events, None) == events


def test_evaluate_not_started():
	result = evaluate(ACK, {"received": None}, at(MON, 12), CAL)
	assert result.status == NOT_STARTED
	assert result.due is None and result.elapsed_pct is None and not result.breached
	assert evaluate(ACK, {}, at(MON, 12), CAL).status == NOT_STARTED


def test_evaluate_running_then_breached():
	events = {"received": at(MON, 10)}
	running = evaluate(ACK, events, at(MON, 11), CAL)
	assert running.status == RUNNING and not running.breached
	assert running.due == at(MON, 12)
	assert running.elapsed_pct == pytest.approx(50.0)
	at_due = evaluate(ACK, events, at(MON, 12), CAL)
	assert at_due.status == RUNNING and at_due.elapsed_pct == pytest.approx(100.0)
	breached = evaluate(ACK, events, at(MON, 13), CAL)
	assert breached.status == BREACHED and breached.breached
	assert breached.elapsed_pct == pytest.approx(150.0)


def test_evaluate_percent_uses_working_time():
	events = {"received": at(MON, 17)}  # due Tuesday 10:00
	overnight = evaluate(ACK, events, at(MON, 8, plus_days=1), CAL)
	assert overnight.elapsed_pct == pytest.approx(50.0)
	assert overnight.status == RUNNING


def test_evaluate_met_and_met_late():
	met = evaluate(ACK, {"received": at(MON, 10), "acknowledged": at(MON, 11)}, at(MON, 15), CAL)
	assert met.status == MET and not met.breached and met.elapsed_pct == pytest.approx(50.0)
	on_time = evaluate(ACK, {"received": at(MON, 10), "acknowledged": at(MON, 12)}, at(MON, 15), CAL)
	assert on_time.status == MET
	late = evaluate(ACK, {"received": at(MON, 10), "acknowledged": at(MON, 13)}, at(MON, 15), CAL)
	assert late.status == MET_LATE and late.breached and late.met_on == at(MON, 13)


def test_evaluate_paused_and_resumed():
	events = {"received": at(MON, 10)}
	pauses = [(at(MON, 10, 30), None)]
	paused = evaluate(ACK, events, at(MON, 14), CAL, pauses)
	assert paused.status == PAUSED and paused.due is None and not paused.breached
	assert paused.elapsed_pct == pytest.approx(25.0)
	closed = [(at(MON, 10, 30), at(MON, 14))]
	resumed = evaluate(ACK, events, at(MON, 15), CAL, closed)
	assert resumed.status == RUNNING and resumed.due == at(MON, 15, 30)


def test_evaluate_follow_up_starts_at_resolution():
	follow_up = DEFAULT_SLA["General"][-1]
	assert evaluate(follow_up, {"received": at(MON, 9)}, at(MON, 12), CAL).status == NOT_STARTED
	events = {"received": at(MON, 9), "resolved": at(MON, 12)}
	running = evaluate(follow_up, events, at(MON, 12, plus_days=3), CAL)
	assert running.status == RUNNING and running.due == at(MON, 12, plus_days=7)
	assert evaluate(follow_up, events, at(MON, 13, plus_days=7), CAL).status == BREACHED


# --- strictest ----------------------------------------------------------------------------------


def test_strictest_picks_earliest_unmet():
	early_met = state(at(MON, 10), met_on=at(MON, 9, 30))
	mid = state(at(MON, 12), node="Mid")
	late = state(at(MON, 15), node="Late")
	assert strictest([late, early_met, mid]).node == "Mid"


def test_strictest_ignores_not_started_and_prefers_dated():
	not_started = state(None, pct=None, status=NOT_STARTED, start=None)
	paused = state(None, node="Paused", status=PAUSED)
	dated = state(at(MON, 15), node="Dated")
	assert strictest([not_started, paused, dated]).node == "Dated"
	assert strictest([not_started, paused]).node == "Paused"


def test_strictest_none_when_all_met():
	assert strictest([state(at(MON, 10), met_on=at(MON, 9)), state(at(MON, 11), met_on=at(MON, 12))]) is None
	assert strictest([]) is None


def test_strictest_across_regulations():
	events = {"received": at(MON, 10)}
	specs = REGULATORY_CLOCKS["EU PSD2"] + REGULATORY_CLOCKS["US CFPB"] + REGULATORY_CLOCKS["CN SAMR"]
	states = [evaluate(spec, events, at(MON, 11), CAL) for spec in specs]
	best = strictest(states)
	assert best.source == "CN SAMR" and best.due == at(MON, 18, plus_days=9)  # Wednesday of week 2
	events["accepted"] = at(MON, 12)
	states = [evaluate(spec, events, at(MON, 13), CAL) for spec in specs]
	assert strictest(states).source == "US CFPB"  # 15 calendar days < 15 working days


# --- warnings and escalation --------------------------------------------------------------------


def test_warnings_due_basic():
	assert warnings_due(state(at(MON, 12), pct=60), [75, 50], []) == [50]
	assert warnings_due(state(at(MON, 12), pct=80), [50, 75], [50]) == [75]
	assert warnings_due(state(at(MON, 12), pct=80), [75, 50, 50], []) == [50, 75]
	assert warnings_due(state(at(MON, 12), pct=40), [50, 75], []) == []


def test_warnings_due_never_twice_over_a_scheduler_run():
	events = {"received": at(MON, 10)}
	sent: list[int] = []
	for minute in range(0, 180, 5):
		now = at(MON, 10) + timedelta(minutes=minute)
		new = warnings_due(evaluate(ACK, events, now, CAL), [50, 75, 90], sent)
		assert not set(new) & set(sent)
		sent.extend(new)
	assert sent == [50, 75, 90]


def test_no_warnings_after_met_or_breach_or_before_start():
	met = evaluate(ACK, {"received": at(MON, 10), "acknowledged": at(MON, 11, 50)}, at(MON, 12), CAL)
	assert met.elapsed_pct > 90
	assert warnings_due(met, [50, 75, 90], []) == []
	breached = evaluate(ACK, {"received": at(MON, 10)}, at(MON, 13), CAL)
	assert warnings_due(breached, [50, 75], []) == []
	not_started = evaluate(ACK, {}, at(MON, 13), CAL)
	assert warnings_due(not_started, [50], []) == []


def test_escalation_levels():
	events = {"received": at(MON, 10)}  # due 12:00
	hour = timedelta(hours=1)
	assert escalation_level(evaluate(ACK, events, at(MON, 11), CAL), at(MON, 11), hour) == 0
	assert escalation_level(evaluate(ACK, events, at(MON, 12), CAL), at(MON, 12), hour) == 0
	assert escalation_level(evaluate(ACK, events, at(MON, 12, 30), CAL), at(MON, 12, 30), hour) == 1
	assert escalation_level(evaluate(ACK, events, at(MON, 13), CAL), at(MON, 13), hour) == 1
	assert escalation_level(evaluate(ACK, events, at(MON, 13, 1), CAL), at(MON, 13, 1), hour) == 2
	met_late = evaluate(ACK, {**events, "acknowledged": at(MON, 14)}, at(MON, 15), CAL)
	assert escalation_level(met_late, at(MON, 15), hour) == 0
	assert escalation_level(evaluate(ACK, {}, at(MON, 15), CAL), at(MON, 15), hour) == 0


# --- shipped defaults ---------------------------------------------------------------------------


def test_psd2_fifteen_business_days():
	(psd2,) = REGULATORY_CLOCKS["EU PSD2"]
	assert (psd2.unit, psd2.duration, psd2.stops_at, psd2.extended_duration) == (
		"Working Days",
		15,
		"resolved",
		35,
	)
	# the day of receipt is not counted: received Monday 10:00 -> end of the Monday after week 3
	assert due_time(psd2, at(MON, 10), CAL) == at(MON, 18, plus_days=21)
	# received over the weekend -> Friday of the third week at day_end
	assert due_time(psd2, at(MON, 10, plus_days=-1), CAL) == at(MON, 18, plus_days=18)
	assert due_time(extended(psd2), at(MON, 10), CAL) == at(MON, 18, plus_days=49)


def test_cn_samr_acceptance_with_holiday():
	(samr,) = REGULATORY_CLOCKS["CN SAMR"]
	assert (samr.unit, samr.duration, samr.stops_at) == ("Working Days", 7, "accepted")
	cal = WorkCalendar(holidays=frozenset({MON + timedelta(days=2)}))
	assert due_time(samr, at(MON, 10), cal) == at(MON, 18, plus_days=10)


def test_fca_and_cfpb():
	(fca,) = REGULATORY_CLOCKS["UK FCA DISP 1.6"]
	assert due_time(fca, at(MON, 10), CAL) == at(MON, 10, plus_days=56)
	first, final = REGULATORY_CLOCKS["US CFPB"]
	assert (first.stops_at, final.stops_at) == ("first_response", "resolved")
	assert due_time(first, at(MON, 10), CAL) == at(MON, 10, plus_days=15)
	assert due_time(final, at(MON, 10), CAL) == at(MON, 10, plus_days=60)
	assert extended(fca) is fca


def test_regulatory_sources_match_keys():
	for name, specs in REGULATORY_CLOCKS.items():
		assert specs and all(spec.source == name and spec.starts_at == "received" for spec in specs)


def test_default_sla_shape_and_ordering():
	assert set(DEFAULT_SLA) == {"General", "Major", "Group"}
	stops = ["acknowledged", "first_response", "investigation_started", "resolved", "followed_up"]
	for specs in DEFAULT_SLA.values():
		assert [spec.stops_at for spec in specs] == stops
		assert all(spec.source == "SLA" for spec in specs)
		by_stop = {spec.stops_at: spec for spec in specs}
		assert (by_stop["investigation_started"].duration, by_stop["investigation_started"].unit) == (
			24,
			"Calendar Hours",
		)
		follow_up = by_stop["followed_up"]
		assert (follow_up.starts_at, follow_up.duration, follow_up.unit) == ("resolved", 7, "Calendar Days")
	for index in range(5):
		general, major, group = (DEFAULT_SLA[s][index].duration for s in ("General", "Major", "Group"))
		assert group <= major <= general
	assert [DEFAULT_SLA[s][0].duration for s in ("General", "Major", "Group")] == [2, 1, 0.5]
	assert [DEFAULT_SLA[s][3].duration for s in ("General", "Major", "Group")] == [5, 3, 2]


def test_threshold_time_working_hours():
	from complaint_response.rules.clocks import threshold_time

	spec = ClockSpec("Acknowledge", 4, HOURS)
	monday = datetime(2026, 11, 23, 9, 0)
	assert threshold_time(spec, monday, 50, CAL) == datetime(2026, 11, 23, 11, 0)
	assert threshold_time(spec, monday, 100, CAL) == due_time(spec, monday, CAL)


def test_next_check_walks_warnings_breach_and_escalation():
	from complaint_response.rules.clocks import next_check

	spec = ClockSpec("Investigation Started", 24, CALENDAR_HOURS, stops_at="investigation_started")
	start = datetime(2026, 11, 23, 9, 0)
	state = evaluate(spec, {"received": start}, start, CAL)
	later = timedelta(hours=4)
	assert next_check(spec, state, [50, 75], [], 0, later, CAL) == datetime(2026, 11, 23, 21, 0)
	assert next_check(spec, state, [50, 75], [50], 0, later, CAL) == datetime(2026, 11, 24, 3, 0)
	assert next_check(spec, state, [50, 75], [50, 75], 0, later, CAL) == datetime(2026, 11, 24, 9, 0, 1)
	assert next_check(spec, state, [50, 75], [50, 75], 1, later, CAL) == datetime(2026, 11, 24, 13, 0, 1)
	assert next_check(spec, state, [50, 75], [50, 75], 2, later, CAL) is None
	met = evaluate(spec, {"received": start, "investigation_started": start}, start, CAL)
	assert next_check(spec, met, [50], [], 0, later, CAL) is None
