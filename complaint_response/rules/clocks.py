"""SLA and regulatory clocks for complaint time nodes (时间节点).

Plain Python (no Frappe import). A :class:`ClockSpec` says how long a node may take, in which unit and
between which two complaint events; :func:`evaluate` turns it into a :class:`ClockState` for a given
moment. Labels are wrapped in ``_()`` only so the Frappe layer can extract and translate them.
"""

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from complaint_response.rules.worktime import (
	ALWAYS_ON,
	Interval,
	WorkCalendar,
	add_calendar_days,
	add_working_days,
	add_working_time,
	working_time_between,
)


def _(text: str) -> str:
	"""Translation-extraction marker; the Frappe layer translates the text later."""
	return text


HOURS = "Hours"  # working hours of the calendar
CALENDAR_HOURS = "Calendar Hours"
WORKING_DAYS = "Working Days"
CALENDAR_DAYS = "Calendar Days"
WEEKS = "Weeks"
UNITS = (HOURS, CALENDAR_HOURS, WORKING_DAYS, CALENDAR_DAYS, WEEKS)
WORKING_UNITS = frozenset({HOURS, WORKING_DAYS})

RUNNING = "Running"
MET = "Met"
BREACHED = "Breached"
MET_LATE = "Met Late"
PAUSED = "Paused"
NOT_STARTED = "Not Started"


@dataclass(frozen=True)
class ClockSpec:
	"""How long the node ``node`` may take: from event ``starts_at`` until event ``stops_at``."""

	node: str
	duration: float
	unit: str  # one of UNITS
	source: str = "SLA"  # or the regulation name, e.g. "UK FCA DISP 1.6"
	starts_at: str = "received"  # event the clock starts from, e.g. "received", "resolved"
	stops_at: str = ""  # event that satisfies it, e.g. "acknowledged", "resolved", "followed_up"
	extended_duration: float | None = None  # exceptional longer limit in the same unit (PSD2: 35)

	def __post_init__(self) -> None:
		if self.unit not in UNITS:
			raise ValueError(f"unknown clock unit {self.unit!r}; expected one of {UNITS}")
		if self.duration < 0:
			raise ValueError("duration must not be negative")
		if self.extended_duration is not None and self.extended_duration < self.duration:
			raise ValueError("extended_duration must not be shorter than duration")
		if not self.starts_at:
			raise ValueError("starts_at must name an event")


def extended(spec: ClockSpec) -> ClockSpec:
	"""The spec with its exceptional extension applied (unchanged if it has none)."""
	if spec.extended_duration is None:
		return spec
	return replace(spec, duration=spec.extended_duration)


@dataclass(frozen=True)
class ClockState:
	node: str
	source: str
	start: datetime | None
	due: datetime | None  # None: not started, or stopped by an open-ended pause
	met_on: datetime | None
	status: str  # RUNNING, MET, BREACHED, MET_LATE, PAUSED or NOT_STARTED
	elapsed_pct: float | None  # share of the allowed time used at now (or at met_on); may exceed 100
	breached: bool  # True for BREACHED and MET_LATE


def _measuring_calendar(spec: ClockSpec, cal: WorkCalendar) -> WorkCalendar:
	"""Working units are measured on the working calendar, the others on wall-clock time."""
	return cal if spec.unit in WORKING_UNITS else ALWAYS_ON


def _unpaused_due(spec: ClockSpec, start: datetime, cal: WorkCalendar) -> datetime:
	if spec.unit == HOURS:
		return add_working_time(start, timedelta(hours=spec.duration), cal)
	if spec.unit == CALENDAR_HOURS:
		return start + timedelta(hours=spec.duration)
	if spec.unit == WORKING_DAYS:
		return add_working_days(start, math.ceil(spec.duration), cal)
	if spec.unit == CALENDAR_DAYS:
		return add_calendar_days(start, spec.duration)
	return add_calendar_days(start, 7 * spec.duration)  # WEEKS


def allowed_time(spec: ClockSpec, start: datetime, cal: WorkCalendar) -> timedelta:
	"""The time budget of the clock, in working time (working units) or wall time (calendar units)."""
	return working_time_between(start, _unpaused_due(spec, start, cal), _measuring_calendar(spec, cal))


def due_time(
	spec: ClockSpec,
	start: datetime,
	cal: WorkCalendar,
	pauses: Sequence[Interval] = (),
) -> datetime | None:
	"""When the clock started at ``start`` falls due.

	Units: "Hours" = working hours of ``cal``; "Calendar Hours" = wall-clock hours; "Working Days" = end
	(day_end) of the n-th working day after start's day, fractions rounded up; "Calendar Days" and
	"Weeks" = plain calendar arithmetic.

	Pauses: for "Hours" paused time simply does not count. For the other units the due time moves later
	by the paused time that falls before it (working time of ``cal`` for "Working Days", wall time for
	calendar units; a pause that pushes the due time on can itself push it further). Returns None if an
	open-ended pause starts before the due time: the clock is stopped until the pause is closed.
	"""
	if not pauses:
		return _unpaused_due(spec, start, cal)
	measuring = _measuring_calendar(spec, cal)
	return add_working_time(start, allowed_time(spec, start, cal), measuring, pauses)


def _is_paused(moment: datetime, pauses: Sequence[Interval]) -> bool:
	return any(p_start <= moment and (p_end is None or moment < p_end) for p_start, p_end in pauses)


# A later event stands in for an earlier one that a shorter path skips: a general complaint resolved at
# intake (the fast path) is never investigated, and telling the customer the outcome is a response. So
# its Investigation Started and First Response nodes stop when it is resolved, instead of running on
# (and breaching) after the complaint is done.
IMPLIED_BY: dict[str, str] = {"investigation_started": "resolved", "first_response": "resolved"}


def with_implied(events: Mapping[str, datetime | None]) -> dict[str, datetime | None]:
	"""The events, each one missing filled in from the later event that implies it (IMPLIED_BY)."""
	filled = dict(events)
	for event, later in IMPLIED_BY.items():
		if filled.get(event) is None and filled.get(later) is not None:
			filled[event] = filled[later]
	return filled


# A reopened complaint starts a new round for the company SLA's clocks that wait on its resolution (they
# stop at one of ROUND_EVENTS): they count again from the reopening, and only a resolution, or a
# follow-up, after it stops them. Clocks that stop earlier (acknowledge, first response, investigation)
# keep the first round's times; regulatory clocks always count from receipt.
ROUND_EVENTS: frozenset[str] = frozenset({"resolved", "followed_up"})


def in_round(events: Mapping[str, datetime | None], reopened: datetime | None) -> dict[str, datetime | None]:
	"""The events as a clock of the round begun at `reopened` sees them (unchanged without a reopening)."""
	if reopened is None:
		return dict(events)

	def after(event: str) -> datetime | None:
		moment = events.get(event)
		return moment if moment is not None and moment > reopened else None

	resolved = after("resolved")
	return {
		**events,
		"received": reopened,
		"resolved": resolved,
		"followed_up": after("followed_up") if resolved else None,
	}


def evaluate(
	spec: ClockSpec,
	events: Mapping[str, datetime | None],
	now: datetime,
	cal: WorkCalendar,
	pauses: Sequence[Interval] = (),
) -> ClockState:
	"""State of ``spec`` at ``now`` given the complaint's event times.

	* start event missing/None → NOT_STARTED (no due, no percentage, even if the stop event is set).
	* stop event set → MET if met_on <= due (or the clock was stopped by an open pause), else
	MET_LATE; the percentage is taken at met_on.
	* otherwise BREACHED when now > due (meeting exactly at due is in time), PAUSED when now lies
	inside a pause, else RUNNING; the percentage is taken at now.
	"""
	start = events.get(spec.starts_at)
	if start is None:
		return ClockState(spec.node, spec.source, None, None, None, NOT_STARTED, None, False)
	met_on = events.get(spec.stops_at) if spec.stops_at else None
	due = due_time(spec, start, cal, pauses)
	at = met_on or now
	allowed = allowed_time(spec, start, cal)
	elapsed = working_time_between(start, at, _measuring_calendar(spec, cal), pauses)
	pct = elapsed / allowed * 100 if allowed else 100.0
	late = due is not None and at > due
	if met_on is not None:
		status = MET_LATE if late else MET
	elif late:
		status = BREACHED
	elif _is_paused(now, pauses):
		status = PAUSED
	else:
		status = RUNNING
	return ClockState(spec.node, spec.source, start, due, met_on, status, pct, late)


def strictest(states: Iterable[ClockState]) -> ClockState | None:
	"""The unmet, started clock with the earliest due time (first one wins a tie).

	Clocks stopped by an open pause (due None) only come after all dated ones; NOT_STARTED and met
	clocks are ignored. None when nothing is left running.
	"""
	candidates = [s for s in states if s.met_on is None and s.status != NOT_STARTED]
	if not candidates:
		return None
	return min(candidates, key=lambda s: (s.due is None, s.due or datetime.max))


def warnings_due(state: ClockState, thresholds: Sequence[int], already_sent: Collection[int]) -> list[int]:
	"""Warning thresholds (percent) reached by ``state`` and not in ``already_sent``, ascending, unique.

	Empty once the clock is met, not started or breached (a breach is handled by escalation_level).
	"""
	if state.met_on is not None or state.breached or state.elapsed_pct is None:
		return []
	return sorted({t for t in thresholds if state.elapsed_pct >= t and t not in already_sent})


def escalation_level(state: ClockState, now: datetime, re_escalate_after: timedelta) -> int:
	"""Escalation level at ``now``.

	0: not breached (or met, not started, or stopped by an open pause); 1: breached (now > due);
	2: still unmet more than ``re_escalate_after`` past due (escalate one level higher).
	"""
	if state.met_on is not None or state.due is None or now <= state.due:
		return 0
	return 2 if now - state.due > re_escalate_after else 1


REGULATORY_CLOCKS: dict[str, tuple[ClockSpec, ...]] = {
	# 市场监督管理投诉举报处理暂行办法: decide acceptance within 7 working days of receipt
	"CN SAMR": (ClockSpec(_("Acceptance Decision"), 7, WORKING_DAYS, "CN SAMR", "received", "accepted"),),
	# FCA DISP 1.6.2: final response by the end of eight weeks after receipt
	"UK FCA DISP 1.6": (ClockSpec(_("Final Response"), 8, WEEKS, "UK FCA DISP 1.6", "received", "resolved"),),
	# PSD2 Art. 101(2): 15 business days; exceptionally up to 35 if a holding reply explains the delay
	"EU PSD2": (
		ClockSpec(
			_("Final Response"), 15, WORKING_DAYS, "EU PSD2", "received", "resolved", extended_duration=35
		),
	),
	# CFPB: company response within 15 days, final response within 60 days
	"US CFPB": (
		ClockSpec(_("Company Response"), 15, CALENDAR_DAYS, "US CFPB", "received", "first_response"),
		ClockSpec(_("Final Response"), 60, CALENDAR_DAYS, "US CFPB", "received", "resolved"),
	),
}


def _sla(acknowledge_hours: float, first_response_hours: float, resolve_days: int) -> tuple[ClockSpec, ...]:
	return (
		ClockSpec(_("Acknowledge"), acknowledge_hours, HOURS, stops_at="acknowledged"),
		ClockSpec(_("First Response"), first_response_hours, HOURS, stops_at="first_response"),
		ClockSpec(_("Investigation Started"), 24, CALENDAR_HOURS, stops_at="investigation_started"),
		ClockSpec(_("Resolution"), resolve_days, WORKING_DAYS, stops_at="resolved"),
		ClockSpec(_("Follow-up"), 7, CALENDAR_DAYS, starts_at="resolved", stops_at="followed_up"),
	)


DEFAULT_SLA: dict[str, tuple[ClockSpec, ...]] = {
	"General": _sla(acknowledge_hours=2, first_response_hours=8, resolve_days=5),
	"Major": _sla(acknowledge_hours=1, first_response_hours=4, resolve_days=3),
	"Group": _sla(acknowledge_hours=0.5, first_response_hours=2, resolve_days=2),
}


def threshold_time(
	spec: ClockSpec, start: datetime, pct: float, cal: WorkCalendar, pauses: Sequence[Interval] = ()
) -> datetime | None:
	"""The moment ``pct`` percent of the clock's allowed time is used (None if an open pause stops it)."""
	allowed = allowed_time(spec, start, cal)
	return add_working_time(start, allowed * (pct / 100), _measuring_calendar(spec, cal), pauses)


def next_check(
	spec: ClockSpec,
	state: ClockState,
	thresholds: Sequence[int],
	already_sent: Collection[int],
	escalated: int,
	re_escalate_after: timedelta,
	cal: WorkCalendar,
	pauses: Sequence[Interval] = (),
) -> datetime | None:
	"""The next moment something about this clock changes for a sweep: an unsent warning threshold is
	reached, the clock breaches, or it has stayed breached long enough to escalate again. None when
	nothing more can happen (met, not started, stopped by an open pause, fully escalated)."""
	if state.met_on is not None or state.start is None or state.due is None:
		return None
	moments = []
	if escalated < 1:
		moments += [
			threshold_time(spec, state.start, t, cal, pauses)
			for t in thresholds
			if t not in already_sent and t < 100
		]
		moments.append(state.due + timedelta(seconds=1))  # breached once now > due
	elif escalated < 2:
		moments.append(state.due + re_escalate_after + timedelta(seconds=1))
	moments = [m for m in moments if m is not None]
	return min(moments) if moments else None
