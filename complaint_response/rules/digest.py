"""The weekly management digest (定期报告) as plain computation: which two weeks it compares, the key
figures of each week from the totals the database counted, and each figure's change (delta, arrow,
whether the change is good news) and text.

A week is the seven days before the day the digest is made (the job runs once a week), compared with
the seven days before those. Each figure counts what happened in its week: complaints received,
resolutions told to the customer (customer_informed_on), first responses given, follow-up scores
recorded. "Now" figures (open, breached, overdue) are the state when the digest is made and have no
previous week. A figure with nothing to measure is None and shows as a dash, never as 0."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from complaint_response.rules import metrics

# How a figure is shown.
COUNT = "count"
HOURS = "hours"
PERCENT = "percent"
SCORE = "score"

# Which way is good news: more of it (resolved, satisfaction), less of it (breaches), or neither
# (received: more complaints may be more customers).
HIGHER = "higher"
LOWER = "lower"
NEUTRAL = "neutral"

UP, DOWN, SAME = "▲", "▼", "="
DASH = "–"


@dataclass(frozen=True)
class Weeks:
	"""Half-open ranges [start, end) of the digest's week and the week before it."""

	this_start: date
	this_end: date
	last_start: date

	@property
	def last_end(self) -> date:
		return self.this_start


def digest_weeks(today: date) -> Weeks:
	"""The seven days before `today`, and the seven days before those."""
	this_start = today - timedelta(days=7)
	return Weeks(this_start=this_start, this_end=today, last_start=this_start - timedelta(days=7))


@dataclass
class WeekTotals:
	"""What the database counted for one week (flow figures) or now (state figures)."""

	received: int = 0
	resolved: int = 0
	resolved_on_time: int = 0
	response_hours: list[float] = field(default_factory=list)
	follow_ups: int = 0
	satisfaction_sum: int = 0
	new_crisis_alerts: int = 0


@dataclass(frozen=True)
class Figure:
	key: str
	kind: str
	better: str
	this: float | None
	last: float | None = None
	compared: bool = True  # False for "now" figures, which have no previous week


def week_figures(t: WeekTotals) -> dict[str, float | None]:
	"""The week's key figures from its totals."""
	mean_satisfaction = t.satisfaction_sum / t.follow_ups if t.follow_ups else None
	return {
		"received": t.received,
		"resolved": t.resolved,
		"median_response_hours": _round(metrics.median(t.response_hours)),
		"on_time_rate": metrics.rate(t.resolved_on_time, t.resolved),
		"mean_satisfaction": _round(mean_satisfaction),
		"new_crisis_alerts": t.new_crisis_alerts,
	}


# The compared figures in the digest's order: key, kind, better.
WEEK_FIGURES: tuple[tuple[str, str, str], ...] = (
	("received", COUNT, NEUTRAL),
	("resolved", COUNT, HIGHER),
	("median_response_hours", HOURS, LOWER),
	("on_time_rate", PERCENT, HIGHER),
	("mean_satisfaction", SCORE, HIGHER),
	("new_crisis_alerts", COUNT, LOWER),
)
# The state figures: key, kind, better.
NOW_FIGURES: tuple[tuple[str, str, str], ...] = (
	("open_now", COUNT, LOWER),
	("breached_now", COUNT, LOWER),
	("overdue_actions_now", COUNT, LOWER),
)


def figures(this: WeekTotals, last: WeekTotals, now: dict[str, int]) -> list[Figure]:
	"""Every figure of the digest: the week's against the week before, then the state now."""
	this_week, last_week = week_figures(this), week_figures(last)
	found = [
		Figure(key=key, kind=kind, better=better, this=this_week[key], last=last_week[key])
		for key, kind, better in WEEK_FIGURES
	]
	found += [
		Figure(key=key, kind=kind, better=better, this=now.get(key, 0), compared=False)
		for key, kind, better in NOW_FIGURES
	]
	return found


def delta(this: float | None, last: float | None) -> float | None:
	"""this - last, rounded to two decimals; None when either is missing."""
	if this is None or last is None:
		return None
	return round(this - last, 2)


def arrow(this: float | None, last: float | None) -> str:
	"""▲ up, ▼ down, = unchanged, empty when there is nothing to compare."""
	change = delta(this, last)
	if change is None:
		return ""
	return UP if change > 0 else DOWN if change < 0 else SAME


def tone(figure: Figure) -> str:
	"""'good', 'bad' or '' (unchanged, neutral or nothing to compare), for the arrow's colour."""
	change = delta(figure.this, figure.last) if figure.compared else None
	if not change or figure.better == NEUTRAL:
		return ""
	return "good" if (change > 0) == (figure.better == HIGHER) else "bad"


def format_value(value: float | None, kind: str) -> str:
	"""A figure's text: 12 / 3.5 h / 87.5% / 4.25; a dash when there is nothing to measure."""
	if value is None:
		return DASH
	if kind == COUNT:
		return f"{int(value)}"
	if kind == HOURS:
		return f"{_trim(value)} h"
	if kind == PERCENT:
		return f"{_trim(value)}%"
	return f"{value:.2f}"


def format_delta(figure: Figure) -> str:
	"""The change with its sign and unit (+3, -1.5 h, +2.5 pts, -0.25); empty when not compared."""
	change = delta(figure.this, figure.last) if figure.compared else None
	if change is None:
		return ""
	sign = "+" if change > 0 else "-" if change < 0 else "±"
	size = abs(change)
	if figure.kind == COUNT:
		return f"{sign}{int(size)}"
	if figure.kind == HOURS:
		return f"{sign}{_trim(size)} h"
	if figure.kind == PERCENT:
		return f"{sign}{_trim(size)} pts"
	return f"{sign}{size:.2f}"


def split_emails(text: str | None) -> list[str]:
	"""The addresses of a free-text list (commas, semicolons, spaces or new lines), each once, in order;
	anything without an @ is dropped."""
	seen: list[str] = []
	for part in (text or "").replace(";", ",").replace("\n", ",").replace(" ", ",").split(","):
		address = part.strip()
		if "@" in address and address.lower() not in (s.lower() for s in seen):
			seen.append(address)
	return seen


def recipients(role_users: Iterable[str], extra: str | None) -> list[str]:
	"""The role's users and the extra addresses, each once (case-insensitive), in that order."""
	found: list[str] = []
	for address in [*role_users, *split_emails(extra)]:
		if address and address.lower() not in (f.lower() for f in found):
			found.append(address)
	return found


def _round(value: float | None, digits: int = 2) -> float | None:
	return None if value is None else round(value, digits)


def _trim(value: float) -> str:
	"""At most one decimal, none when whole: 3 -> '3', 3.25 -> '3.2', 87.5 -> '87.5'."""
	text = f"{value:.1f}"
	return text[:-2] if text.endswith(".0") else text
