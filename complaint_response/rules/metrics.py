"""Performance metrics (评估指标) and the Pareto of complaint hotspots (热点), as plain computation.

The reports count and sum in the database (one grouped query per period, the middle response times by
window functions) and hand the totals here as `PeriodTotals`: labels, means, rates and the Pareto's
shares are computed below. `measure(facts)` gives the same figures from one row per complaint (the
definition the database's totals follow, and what the unit tests check). Rates and shares are
percentages (0-100), rounded to two decimals; a metric with nothing to measure is None, never 0."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

WEEKLY = "Weekly"
MONTHLY = "Monthly"
PERIODS: tuple[str, ...] = (WEEKLY, MONTHLY)

REOPENED_STAGE = "Reopened"
# A follow-up scoring this or less counts as reopened (the lifecycle reopens it at 2/5 or less).
REOPEN_SATISFACTION = 2
# A follow-up scoring this or more counts as satisfied.
SATISFIED_SCORE = 4


def _as_date(moment: date | datetime) -> date:
	return moment.date() if isinstance(moment, datetime) else moment


def period_start(moment: date | datetime, period: str) -> date:
	"""The first day of the period holding `moment`: the Monday of its week, or the 1st of its month."""
	day = _as_date(moment)
	if period == WEEKLY:
		return day - timedelta(days=day.weekday())
	if period == MONTHLY:
		return day.replace(day=1)
	raise ValueError(f"unknown period {period!r}")


def next_period_start(start: date, period: str) -> date:
	if period == WEEKLY:
		return start + timedelta(days=7)
	if start.month == 12:
		return date(start.year + 1, 1, 1)
	return date(start.year, start.month + 1, 1)


def period_starts(from_date: date, to_date: date, period: str) -> list[date]:
	"""Every period touching the range, oldest first (empty when the range is empty)."""
	starts = []
	if from_date > to_date:
		return starts
	start = period_start(from_date, period)
	while start <= to_date:
		starts.append(start)
		start = next_period_start(start, period)
	return starts


def period_label(start: date, period: str) -> str:
	"""ISO week (2026-W47) or month (2026-11)."""
	if period == WEEKLY:
		year, week, _weekday = start.isocalendar()
		return f"{year}-W{week:02d}"
	return f"{start.year}-{start.month:02d}"


def hours_between(start: datetime | None, end: datetime | None) -> float | None:
	"""Wall-clock hours from `start` to `end`; None when either is missing."""
	if start is None or end is None:
		return None
	return (end - start).total_seconds() / 3600


def _present(values: Iterable[float | None]) -> list[float]:
	return [v for v in values if v is not None]


def median(values: Iterable[float | None]) -> float | None:
	"""The median of the values that are not None; None when there are none."""
	ordered = sorted(_present(values))
	if not ordered:
		return None
	middle = len(ordered) // 2
	if len(ordered) % 2:
		return ordered[middle]
	return (ordered[middle - 1] + ordered[middle]) / 2


def mean(values: Iterable[float | None]) -> float | None:
	"""The mean of the values that are not None; None when there are none."""
	present = _present(values)
	return sum(present) / len(present) if present else None


def rate(part: int, whole: int) -> float | None:
	"""`part` of `whole` as a percentage rounded to two decimals; None when `whole` is 0."""
	return round(100 * part / whole, 2) if whole else None


def _round(value: float | None, digits: int = 2) -> float | None:
	return None if value is None else round(value, digits)


def satisfaction_score(value: int | None) -> int | None:
	"""The follow-up score 1-5, or None when none was given (stored as 0)."""
	return value if value and 1 <= value <= 5 else None


def is_reopened(stage: str | None, satisfaction: int | None) -> bool:
	"""Approximates "was reopened": currently Reopened, or a follow-up scored 2/5 or less."""
	score = satisfaction_score(satisfaction)
	return stage == REOPENED_STAGE or (score is not None and score <= REOPEN_SATISFACTION)


@dataclass(frozen=True)
class ComplaintFacts:
	"""What the performance metrics need of one complaint."""

	received_on: datetime
	first_response_on: datetime | None = None
	resolved_on: datetime | None = None  # customer_informed_on
	satisfaction: int | None = None  # 0 or None = no follow-up score
	stage: str | None = None
	resolved_on_time: bool = False  # every Resolution time node Met (none Met Late or Breached)

	@property
	def response_hours(self) -> float | None:
		return hours_between(self.received_on, self.first_response_on)


@dataclass(frozen=True)
class PeriodTotals:
	"""What the performance metrics need of one group of complaints, as counts and sums (what a grouped
	query returns). The median comes as the middle response time, or the two middle ones when the
	number of response times is even."""

	received: int = 0
	responses: int = 0  # complaints with a response time
	response_hours_sum: float = 0.0
	middle_response_hours: tuple[float, ...] = ()
	resolved: int = 0
	resolved_on_time: int = 0
	follow_ups: int = 0  # complaints with a score of 1-5
	satisfaction_sum: int = 0
	satisfied: int = 0  # scored SATISFIED_SCORE or more
	reopened: int = 0


def middle(ordered: list) -> list:
	"""The middle value of a sorted list, or its two middle values when its length is even (1-based
	ranks (n + 1) // 2 and n // 2 + 1, as the report's window query picks them)."""
	return ordered[(len(ordered) - 1) // 2 : len(ordered) // 2 + 1]


def totals(facts: list[ComplaintFacts]) -> PeriodTotals:
	"""The totals of one row per complaint."""
	scores = _present(satisfaction_score(f.satisfaction) for f in facts)
	response = _present(f.response_hours for f in facts)
	return PeriodTotals(
		received=len(facts),
		responses=len(response),
		response_hours_sum=sum(response),
		middle_response_hours=tuple(middle(sorted(response))),
		resolved=sum(1 for f in facts if f.resolved_on is not None),
		resolved_on_time=sum(1 for f in facts if f.resolved_on_time),
		follow_ups=len(scores),
		satisfaction_sum=sum(scores),
		satisfied=sum(1 for s in scores if s >= SATISFIED_SCORE),
		reopened=sum(1 for f in facts if is_reopened(f.stage, f.satisfaction)),
	)


def measure_totals(t: PeriodTotals) -> dict:
	"""The metrics of one group of complaints (a period, or the whole range) from its totals."""
	return {
		"received": t.received,
		"median_response_hours": _round(median(t.middle_response_hours)),
		"mean_response_hours": _round(t.response_hours_sum / t.responses if t.responses else None),
		"resolved": t.resolved,
		"resolution_rate": rate(t.resolved, t.received),
		"resolved_on_time": t.resolved_on_time,
		"on_time_rate": rate(t.resolved_on_time, t.received),
		"follow_ups": t.follow_ups,
		"mean_satisfaction": _round(t.satisfaction_sum / t.follow_ups if t.follow_ups else None),
		"satisfied_rate": rate(t.satisfied, t.follow_ups),
		"reopened": t.reopened,
	}


def measure(facts: list[ComplaintFacts]) -> dict:
	"""The metrics of one group of complaints (a period, or the whole range)."""
	return measure_totals(totals(facts))


def rows_from_totals(
	by_start: dict[date, PeriodTotals], from_date: date, to_date: date, period: str
) -> list[dict]:
	"""One row per period of the range (empty periods included), from each period's totals."""
	starts = set(period_starts(from_date, to_date, period)) | set(by_start)
	return [
		{
			"period": period_label(start, period),
			"period_start": start,
			**measure_totals(by_start.get(start, PeriodTotals())),
		}
		for start in sorted(starts)
	]


def performance_rows(facts: list[ComplaintFacts], from_date: date, to_date: date, period: str) -> list[dict]:
	"""One row per period of the range (empty periods included), bucketed by `received_on`."""
	buckets: dict[date, list[ComplaintFacts]] = {}
	for fact in facts:
		buckets.setdefault(period_start(fact.received_on, period), []).append(fact)
	return rows_from_totals(
		{start: totals(group) for start, group in buckets.items()}, from_date, to_date, period
	)


@dataclass(frozen=True)
class ParetoRow:
	label: str
	count: int
	share: float  # percent of the total
	cumulative: float  # percent of the total, this row and all before it


def pareto(counts: Iterable[tuple[str, int]]) -> list[ParetoRow]:
	"""Rows by count, largest first (ties by label), with each row's share and the running share.

	The running share is computed from the running count, so the last row is exactly 100."""
	ordered = sorted(((label, count) for label, count in counts if count > 0), key=lambda r: (-r[1], r[0]))
	total = sum(count for _label, count in ordered)
	rows = []
	running = 0
	for label, count in ordered:
		running += count
		rows.append(ParetoRow(label, count, rate(count, total), rate(running, total)))
	return rows
