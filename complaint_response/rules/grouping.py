"""One incident, one alert (一次事件一个预警): which open crisis alert a new signal belongs to.

Plain Python. An admin's grouping rule (Crisis Settings) names the fields that must match (store,
product, category) and how long an open alert keeps absorbing signals after its last one, like
Alertmanager's `group_by` and `group_interval`. A signal (a spike, a group or severe complaint...) is
covered by an open alert when, for every field of the rule on which both have values, they share one;
a field neither side knows does not decide, and a signal sharing no known field is never covered."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

FIELDS: tuple[str, ...] = ("store", "product", "category")

Values = Mapping[str, frozenset[str]]


@dataclass(frozen=True)
class GroupingRule:
	fields: tuple[str, ...] = ("store", "product")
	interval_hours: float = 24

	def __post_init__(self) -> None:
		unknown = set(self.fields) - set(FIELDS)
		if unknown:
			raise ValueError(f"unknown grouping fields: {sorted(unknown)}")
		if self.interval_hours <= 0:
			raise ValueError("interval_hours must be positive")


@dataclass(frozen=True)
class Incident:
	name: str
	values: Values
	last_signal: datetime


def _norm(value) -> str:
	return str(value or "").strip().casefold()


def values_of(records: Iterable[Mapping], fields: Sequence[str] = FIELDS) -> dict[str, frozenset[str]]:
	"""The values each field takes across `records` (case-folded, blanks left out)."""
	rows = list(records)
	return {field: frozenset(v for row in rows if (v := _norm(row.get(field)))) for field in fields}


def covers(rule: GroupingRule, incident: Values, signal: Values) -> bool:
	judged = False
	for field in rule.fields:
		mine, theirs = incident.get(field, frozenset()), signal.get(field, frozenset())
		if not mine or not theirs:
			continue
		if not mine & theirs:
			return False
		judged = True
	return judged


def absorbing(rule: GroupingRule, incident: Incident, now: datetime) -> bool:
	return now - incident.last_signal <= timedelta(hours=rule.interval_hours)


def covering_incident(
	rule: GroupingRule, incidents: Iterable[Incident], signal: Values, now: datetime
) -> Incident | None:
	"""The most recently active open incident that still absorbs and covers the signal."""
	candidates = [i for i in incidents if absorbing(rule, i, now) and covers(rule, i.values, signal)]
	return max(candidates, key=lambda i: i.last_signal, default=None)


def belongs(rule: GroupingRule, incident: Values, record: Mapping) -> bool:
	"""Whether one complaint of a signal belongs to the incident (so it is linked as its evidence):
	it matches on every rule field where both it and the incident have a value."""
	return all(
		_norm(record.get(field)) in incident.get(field, frozenset())
		for field in rule.fields
		if _norm(record.get(field)) and incident.get(field)
	)
