"""Plain computation behind the reports of issue 12 (投诉分布, 各环节用时, 重复投诉, 危机预警统计, 整改效果):
means and shares from a grouped query's counts and sums, the ranks of a group's middle values, the
state of a crisis alert and the confirmed effect of an improvement action, and the desk routes the
reports' drill-down links open. No Frappe here: `tests/test_report_rules.py` checks it with pytest."""

import json
from datetime import date
from urllib.parse import quote, urlencode

from complaint_response.rules import crisis_stages, effect

US_PER_HOUR = 3600 * 10**6

# Crisis alerts: what counts as open and as closed (a dismissed alert is neither).
CRISIS_OPEN = "Open"
CRISIS_CLOSED = "Closed"
CRISIS_DISMISSED = "Dismissed"
CRISIS_OPEN_STAGES: tuple[str, ...] = tuple(
	s for s in crisis_stages.STAGES if s in crisis_stages.ACTIVE_STAGES
)
CRISIS_CLOSED_STAGES: tuple[str, ...] = (crisis_stages.CLOSED, crisis_stages.REVIEWED)


def hours_from_us(microseconds) -> float | None:
	"""Microseconds (an integer or Decimal from TIMESTAMPDIFF) as hours; None stays None."""
	if microseconds is None:
		return None
	return int(microseconds) / US_PER_HOUR


def mean_of(total, count: int, digits: int = 2) -> float | None:
	"""`total / count` rounded, or None when nothing was counted."""
	if not count or total is None:
		return None
	return round(float(total) / count, digits)


def share(part: int, whole: int) -> float | None:
	"""`part` of `whole` as a percentage rounded to two decimals; None when `whole` is 0."""
	return round(100 * part / whole, 2) if whole else None


def middle_ranks(count: int) -> tuple[int, ...]:
	"""The 1-based ranks of the middle of `count` sorted values (one rank when `count` is odd)."""
	if count <= 0:
		return ()
	return tuple(sorted({(count + 1) // 2, count // 2 + 1}))


def median_of_middles(middles) -> float | None:
	"""The median from the middle value, or the mean of the two middle values; None when none."""
	values = [v for v in middles if v is not None]
	if not values:
		return None
	return round(sum(values) / len(values), 2)


def crisis_state(stage: str | None) -> str:
	"""Open (still active), Closed (closed or reviewed) or Dismissed."""
	if stage in CRISIS_CLOSED_STAGES:
		return CRISIS_CLOSED
	if stage == crisis_stages.DISMISSED:
		return CRISIS_DISMISSED
	return CRISIS_OPEN


def confirmed_effect(status: str | None, effect_confirmed_on, proposed_effect: str | None) -> str:
	"""The effect a person confirmed: the status Effective or Not Effective, or for an action moved on
	(Closed) after its confirmation, the effect it was confirmed on; "" when none was confirmed."""
	if status in (effect.EFFECTIVE, effect.NOT_EFFECTIVE):
		return status
	if effect_confirmed_on and proposed_effect in (effect.EFFECTIVE, effect.NOT_EFFECTIVE):
		return proposed_effect
	return ""


def between(from_date: date, to_date: date) -> list:
	"""A list-view filter for the inclusive date range."""
	return ["Between", [from_date.isoformat(), to_date.isoformat()]]


NOT_SET = ["is", "not set"]


def list_route(doctype: str, filters: dict) -> str:
	"""The desk list of `doctype` filtered as given (`/app/complaint?channel=Phone&...`): a value that is
	a list ([operator, value]) is sent as JSON, which the list view reads as that filter. Everything is
	URL-encoded (spaces as %20), so the route is safe inside an HTML attribute."""
	slug = doctype.lower().replace(" ", "-")
	query = {
		field: json.dumps(value, separators=(",", ":")) if isinstance(value, list | tuple) else str(value)
		for field, value in filters.items()
	}
	return f"/app/{slug}?{urlencode(query, quote_via=quote, safe='')}" if query else f"/app/{slug}"
