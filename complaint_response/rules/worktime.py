"""Working-time arithmetic for complaint time nodes (时间节点).

Plain Python (no Frappe import) so it can be unit-tested with pytest alone.
All datetimes are naive and interpreted in the site's system timezone by the caller.

Conventions
-----------
* A working day contributes the half-open interval ``[day_start, day_end)``; use
  ``always_on=True`` for a 24×7 calendar (every minute counts, holidays ignored).
* Pauses ("waiting on the customer") are ``(start, end)`` tuples; ``end=None`` means the
  pause is still open. Overlapping / touching pauses are merged before use.
* Durations are never negative; negative input raises ``ValueError``.
"""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

Interval = tuple[datetime, datetime | None]

ZERO = timedelta(0)
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class WorkCalendar:
	"""Working calendar: days of week (Monday=0), daily hours and holidays."""

	workdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})
	day_start: time = time(9)
	day_end: time = time(18)
	holidays: frozenset[date] = frozenset()
	always_on: bool = False

	def __post_init__(self) -> None:
		# accept any iterable (list/set from the Frappe layer) but keep the instance hashable
		object.__setattr__(self, "workdays", frozenset(self.workdays))
		object.__setattr__(self, "holidays", frozenset(self.holidays))
		if self.always_on:
			return
		if not self.day_start < self.day_end:
			raise ValueError("day_start must be earlier than day_end")
		if not self.workdays:
			raise ValueError("a working calendar needs at least one working day")
		if any(day not in range(7) for day in self.workdays):
			raise ValueError("workdays must be integers 0 (Monday) .. 6 (Sunday)")

	def is_working_day(self, day: date) -> bool:
		if self.always_on:
			return True
		return day.weekday() in self.workdays and day not in self.holidays

	def working_hours(self, day: date) -> tuple[datetime, datetime] | None:
		"""The working interval of ``day`` or None for a day off (not meaningful when always_on)."""
		if not self.is_working_day(day):
			return None
		return datetime.combine(day, self.day_start), datetime.combine(day, self.day_end)


ALWAYS_ON = WorkCalendar(always_on=True)


def merge_intervals(intervals: Iterable[Interval]) -> list[Interval]:
	"""Sort and merge overlapping or touching intervals.

	Empty intervals (``end <= start``) are dropped; an open end (``None``) swallows every later interval.
	"""
	valid = sorted((s, e) for s, e in intervals if e is None or e > s)
	merged: list[Interval] = []
	for start, end in valid:
		if merged:
			last_start, last_end = merged[-1]
			if last_end is None:
				break
			if start <= last_end:
				merged[-1] = (last_start, None if end is None else max(last_end, end))
				continue
		merged.append((start, end))
	return merged


def _working_segments(start: datetime, cal: WorkCalendar) -> Iterator[Interval]:
	"""Working intervals from ``start`` on, in order; endless (one open segment when always_on)."""
	if cal.always_on:
		yield start, None
		return
	day = start.date()
	while True:
		hours = cal.working_hours(day)
		if hours:
			seg_start, seg_end = max(hours[0], start), hours[1]
			if seg_start < seg_end:
				yield seg_start, seg_end
		day += ONE_DAY


def _free_segments(start: datetime, cal: WorkCalendar, pauses: Sequence[Interval]) -> Iterator[Interval]:
	"""Working intervals from ``start`` on with pauses cut out; stops at an open-ended pause."""
	merged = merge_intervals(pauses)
	i = 0
	for seg_start, seg_end in _working_segments(start, cal):
		cursor = seg_start
		while seg_end is None or cursor < seg_end:
			while i < len(merged) and merged[i][1] is not None and merged[i][1] <= cursor:
				i += 1
			if i == len(merged) or (seg_end is not None and merged[i][0] >= seg_end):
				yield cursor, seg_end
				break
			pause_start, pause_end = merged[i]
			if pause_start > cursor:
				yield cursor, pause_start
			if pause_end is None:
				return
			cursor = pause_end


def add_working_time(
	start: datetime,
	duration: timedelta,
	cal: WorkCalendar,
	pauses: Sequence[Interval] = (),
) -> datetime | None:
	"""The moment ``duration`` of working time has elapsed after ``start``.

	Non-working time and pauses are skipped. The result is the end of the last working stretch used,
	e.g. 18:00 rather than 09:00 next morning when the time runs out exactly at day end.
	A zero duration returns ``start`` unchanged. Returns None when an open-ended pause
	(``end=None``) begins before the duration is used up: the clock is stopped with no due time.
	"""
	if duration < ZERO:
		raise ValueError("duration must not be negative")
	if not duration:
		return start
	remaining = duration
	for seg_start, seg_end in _free_segments(start, cal, pauses):
		if seg_end is None or seg_end - seg_start >= remaining:
			return seg_start + remaining
		remaining -= seg_end - seg_start
	return None


def working_time_between(
	start: datetime,
	end: datetime,
	cal: WorkCalendar,
	pauses: Sequence[Interval] = (),
) -> timedelta:
	"""Working time in ``[start, end)`` minus (merged) pauses; zero when ``end <= start``.

	Inverse of :func:`add_working_time`:
	``working_time_between(s, add_working_time(s, d, cal, p), cal, p) == d``.
	"""
	total = ZERO
	if end <= start:
		return total
	for seg_start, seg_end in _free_segments(start, cal, pauses):
		if seg_start >= end:
			break
		total += (end if seg_end is None else min(seg_end, end)) - seg_start
	return total


def add_working_days(start: datetime, days: int, cal: WorkCalendar) -> datetime:
	"""Due at ``day_end`` of the ``days``-th working day after the day of ``start``.

	The day of ``start`` itself is not counted (Monday 10:00 + 1 → Tuesday 18:00; Friday or Saturday
	+ 1 → Monday 18:00). ``days == 0`` means the end of start's own working day, or of the next working
	day if start is on a day off or at/after day_end. With ``always_on`` it is simply ``start + days``.
	"""
	if days < 0:
		raise ValueError("days must not be negative")
	if cal.always_on:
		return start + timedelta(days=days)
	day = start.date()
	if days == 0:
		if cal.is_working_day(day) and start < datetime.combine(day, cal.day_end):
			return datetime.combine(day, cal.day_end)
		days = 1
	counted = 0
	while counted < days:
		day += ONE_DAY
		if cal.is_working_day(day):
			counted += 1
	return datetime.combine(day, cal.day_end)


def add_calendar_days(start: datetime, days: float) -> datetime:
	"""Plain calendar arithmetic: ``start + days`` (fractions allowed, weekends and holidays count)."""
	if days < 0:
		raise ValueError("days must not be negative")
	return start + timedelta(days=days)
