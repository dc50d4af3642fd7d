# Copyright (c) 2025, Complaint Response Contributors
# For license information, please see license.txt

"""Crisis detection (危机预警监测): spikes, group complaints and alert de-duplication.

Plain Python (no Frappe import). The scheduled job in the Frappe layer looks at the complaints created
since its last run and raises or updates crisis alerts on three kinds of cause:

- spike: the complaints about one category / item / store in a sliding window are far above that key's
  own trailing baseline (:func:`detect`, :func:`spike_test`; :func:`cusum` is a slower-reacting
  alternative for per-period series);
- group complaint: one complaint graded "Group", or N complaints sharing a cause (:func:`group_by_cause`);
- severe complaint: a complaint whose grading reasons an admin marked crisis-worthy.

Every alert carries a stable de-duplication key from :func:`alert_key`, which the Frappe layer stores in a
field with a unique index, so re-running the job in the same window cannot raise the same alert twice.
Suggested keys: ``alert_key("spike", "item", item, window_start)``, ``alert_key("group", "cause", cause,
window_start)`` and ``alert_key("severe", "complaint", complaint_name, created_on)``. When an alert for the
same cause is still open, :func:`decide` says whether to escalate it or keep it.

Cost: the job passes :func:`detect` only the keys touched by complaints created since the last run, so
the work grows with the number of new complaints, not with the size of the complaint table. A key without
new complaints cannot newly spike: its window count can only fall as the window slides.
"""

import hashlib
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone

from complaint_response.rules.crisis_level import (
	DEFAULT_MATRIX,
	RiskMatrix,
	check_level,
	is_escalation,
	level_for,
	suggest_scores,
)
from complaint_response.rules.grading import Reason


def _(text: str) -> str:
	"""Mark `text` as a translatable template; Frappe translates it later with `frappe._`."""
	return text


Key = tuple[str, str]  # (dimension, value), e.g. ("item", "ITEM-001")

DIMENSIONS: tuple[str, ...] = ("category", "item", "store")
# Expected complaints per window never go below this, so a key with an empty baseline (a new item) needs
# at least min_count complaints, not one, to count as a spike, and ratios stay finite.
MIN_EXPECTED = 0.1

RAISE = "raise"
ESCALATE = "escalate"
KEEP = "keep"

KEY_MAX_LENGTH = 140  # a Frappe Data field, and so the unique index on it


@dataclass(frozen=True)
class SpikeParams:
	"""Sliding window of `window_hours` compared with the `baseline_days` just before it."""

	window_hours: int = 24
	baseline_days: int = 28
	min_count: int = 5
	p_threshold: float = 0.001
	min_ratio: float = 3.0

	def __post_init__(self) -> None:
		if self.window_hours < 1 or self.baseline_days < 1:
			raise ValueError("window_hours and baseline_days must be at least 1")
		if self.min_count < 1:
			raise ValueError("min_count must be at least 1")
		if not 0 < self.p_threshold <= 1:
			raise ValueError("p_threshold must be in (0, 1]")
		if self.min_ratio < 0:
			raise ValueError("min_ratio must not be negative")


DEFAULT_PARAMS = SpikeParams()


# ---------------------------------------------------------------------------
# Poisson tail
# ---------------------------------------------------------------------------

_EPS = 1e-15
_TINY = 1e-300
_MAX_ITER = 100_000


def _gamma_prefactor(a: float, x: float) -> float:
	"""x^a e^-x / Γ(a), computed in log space."""
	return math.exp(a * math.log(x) - x - math.lgamma(a))


def _lower_gamma_series(a: float, x: float) -> float:
	"""Regularised lower incomplete gamma P(a, x) by its power series; converges fast for x < a + 1."""
	term = total = 1.0 / a
	denominator = a
	for _step in range(_MAX_ITER):
		denominator += 1.0
		term *= x / denominator
		total += term
		if term < total * _EPS:
			break
	return total * _gamma_prefactor(a, x)


def _upper_gamma_fraction(a: float, x: float) -> float:
	"""Regularised upper incomplete gamma Q(a, x) by its continued fraction (modified Lentz); x ≥ a + 1."""
	b = x + 1.0 - a
	c = 1.0 / _TINY
	d = 1.0 / b
	h = d
	for i in range(1, _MAX_ITER):
		an = -i * (i - a)
		b += 2.0
		d = an * d + b
		d = d if abs(d) > _TINY else _TINY
		c = b + an / c
		c = c if abs(c) > _TINY else _TINY
		d = 1.0 / d
		delta = d * c
		h *= delta
		if abs(delta - 1.0) < _EPS:
			break
	return h * _gamma_prefactor(a, x)


def poisson_sf(k: int, mu: float) -> float:
	"""P(X ≥ k) for X ~ Poisson(mu).

	Uses P(X ≥ k) = P(k, mu), the regularised lower incomplete gamma function: its series when mu < k + 1
	(a small upper tail, computed directly so it keeps its relative precision) and 1 - Q(k, mu) from the
	continued fraction otherwise (a tail of at least about one half). Terms are scaled in log space, so it
	is stable for mu and k up to 1e4 and beyond.
	"""
	if not math.isfinite(mu) or mu < 0:
		raise ValueError(f"mu must be a finite, non-negative number, not {mu!r}")
	if k <= 0:
		return 1.0
	if mu == 0:
		return 0.0
	a = float(k)
	if mu < a + 1.0:
		return min(1.0, _lower_gamma_series(a, mu))
	return max(0.0, 1.0 - _upper_gamma_fraction(a, mu))


# ---------------------------------------------------------------------------
# Spike test
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SpikeResult:
	key: Key
	count: int
	expected: float
	ratio: float
	p_value: float
	is_spike: bool
	reasons: tuple[Reason, ...]


def expected_in_window(baseline_count: int, params: SpikeParams = DEFAULT_PARAMS) -> float:
	"""The baseline rate scaled to one window, at least MIN_EXPECTED."""
	return max(baseline_count * params.window_hours / (params.baseline_days * 24), MIN_EXPECTED)


def _rounded_p(p: float) -> float:
	return float(f"{p:.2g}")


def _spike_reasons(result: SpikeResult, params: SpikeParams) -> tuple[Reason, ...]:
	"""The numbers first, then (for a non-spike) each condition that failed."""
	dimension, value = result.key
	reasons = [
		Reason(
			"spike",
			_(
				"{count} complaints about {dimension} {value} in {hours} h; about {expected} expected from the last {days} days (p = {p})"
			),
			{
				"count": result.count,
				"dimension": dimension,
				"value": value,
				"hours": params.window_hours,
				"expected": round(result.expected, 2),
				"days": params.baseline_days,
				"p": _rounded_p(result.p_value),
			},
		)
	]
	if result.count < params.min_count:
		reasons.append(
			Reason("spike", _("Fewer than {min_count} complaints"), {"min_count": params.min_count})
		)
	if result.ratio < params.min_ratio:
		reasons.append(
			Reason(
				"spike",
				_("{ratio} times the expected number, below {min_ratio}"),
				{"ratio": round(result.ratio, 1), "min_ratio": params.min_ratio},
			)
		)
	if result.p_value > params.p_threshold:
		reasons.append(
			Reason(
				"spike",
				_("p = {p} is above the threshold {p_threshold}"),
				{"p": _rounded_p(result.p_value), "p_threshold": params.p_threshold},
			)
		)
	return tuple(reasons)


def spike_test(
	count: int, baseline_count: int, params: SpikeParams = DEFAULT_PARAMS, key: Key = ("", "")
) -> SpikeResult:
	"""Test `count` complaints in the window against `baseline_count` in the `baseline_days` before it.

	expected = baseline_count × window_hours / (baseline_days × 24), at least MIN_EXPECTED (0.1) per window;
	a spike needs count ≥ min_count, count / expected ≥ min_ratio and P(X ≥ count) ≤ p_threshold for
	X ~ Poisson(expected). The first reason describes the numbers; the others (only when it is not a spike)
	say which condition failed.
	"""
	if count < 0 or baseline_count < 0:
		raise ValueError("count and baseline_count must not be negative")
	expected = expected_in_window(baseline_count, params)
	ratio = count / expected
	p_value = poisson_sf(count, expected)
	is_spike = count >= params.min_count and ratio >= params.min_ratio and p_value <= params.p_threshold
	result = SpikeResult(key, count, expected, ratio, p_value, is_spike, reasons=())
	return replace(result, reasons=_spike_reasons(result, params))


def _significance(result: SpikeResult) -> tuple:
	return (not result.is_spike, result.p_value, -result.ratio, -result.count, result.key)


def detect(
	window_counts: Mapping[Key, int],
	baseline_counts: Mapping[Key, int],
	params: SpikeParams = DEFAULT_PARAMS,
	only_spikes: bool = True,
) -> list[SpikeResult]:
	"""Spike-test every key of `window_counts` (and only those), most significant first.

	`window_counts` holds the complaints per key in the window, for the keys touched by complaints created
	since the last run; `baseline_counts` the complaints per key in the baseline_days before the window
	(only looked up with .get, a missing key counting 0). With `only_spikes=False` the non-spikes are
	returned too, after the spikes.
	"""
	results = [
		spike_test(count, baseline_counts.get(key, 0), params, key) for key, count in window_counts.items()
	]
	if only_spikes:
		results = [result for result in results if result.is_spike]
	return sorted(results, key=_significance)


def spike_level(
	result: SpikeResult, affected_customers: int = 0, matrix: RiskMatrix = DEFAULT_MATRIX
) -> tuple[str, list[Reason]]:
	"""The crisis level for a spike, from the scores :func:`suggest_scores` gives its numbers."""
	likelihood, impact, reasons = suggest_scores(
		result.count, result.expected, affected_customers, severe=False, group=False
	)
	return level_for(likelihood, impact, matrix), reasons


# ---------------------------------------------------------------------------
# CUSUM
# ---------------------------------------------------------------------------


def cusum(counts: Sequence[int], expected: float, k: float = 0.5, h: float = 5.0) -> list[float]:
	"""Upper CUSUM of per-period counts against a Poisson in-control mean `expected`.

	Counts are standardised with the Poisson variance, z = (x - expected) / sqrt(expected) (expected at
	least MIN_EXPECTED), and S_t = max(0, S_(t-1) + z_t - k): `k` is the reference value in standard
	deviations (0.5 tunes it to a shift of one standard deviation) and `h` the decision interval. The
	statistic restarts from 0 after reaching `h`, so each alarm shows as a separate crossing. The normal
	approximation is rough for expected below about 5 per period; aggregate periods there.
	"""
	if expected < 0 or k < 0 or h <= 0:
		raise ValueError("expected and k must not be negative and h must be positive")
	mean = max(expected, MIN_EXPECTED)
	sd = math.sqrt(mean)
	path = []
	statistic = 0.0
	for count in counts:
		statistic = max(0.0, statistic + (count - mean) / sd - k)
		path.append(statistic)
		if statistic >= h:
			statistic = 0.0
	return path


def cusum_alarm(counts: Sequence[int], expected: float, k: float = 0.5, h: float = 5.0) -> int | None:
	"""Index of the first period whose CUSUM reaches `h`, or None."""
	for index, statistic in enumerate(cusum(counts, expected, k, h)):
		if statistic >= h:
			return index
	return None


# ---------------------------------------------------------------------------
# De-duplication
# ---------------------------------------------------------------------------


def _bucket_start(moment: datetime, hours: int) -> datetime:
	"""Floor `moment` to a multiple of `hours` counted from 1970-01-01 00:00 (so 24 → midnight)."""
	if moment.tzinfo is not None:
		moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
	epoch = datetime(1970, 1, 1)
	elapsed = (moment - epoch) // timedelta(hours=1)
	return epoch + timedelta(hours=elapsed - elapsed % hours)


def _shorten(value: str, room: int) -> str:
	"""Cut `value` to `room` characters, keeping it unique with a hash of the whole value."""
	if len(value) <= room:
		return value
	digest = hashlib.sha1(value.encode("utf-8")).hexdigest()[:10]
	return value[: max(room - len(digest) - 1, 0)] + "~" + digest


def alert_key(kind: str, dimension: str, value: str, window_start: datetime, window_hours: int = 24) -> str:
	"""Stable de-duplication key, e.g. "spike:item:ITEM-001:2026-11-23".

	`window_start` is floored to a bucket of `window_hours` (a day by default; pass params.window_hours),
	so every run of the job whose window starts in the same bucket gives the same key. Naive datetimes are
	taken as they are (the site's time zone); aware ones are converted to UTC. The Frappe layer stores the
	key in a field with a unique index, so inserting the same alert twice fails instead of duplicating it.
	Keys stay within 140 characters: a long value is cut and made unique with a hash.
	"""
	if window_hours < 1:
		raise ValueError("window_hours must be at least 1")
	bucket = _bucket_start(window_start, window_hours)
	stamp = bucket.strftime("%Y-%m-%d") if window_hours % 24 == 0 else bucket.strftime("%Y-%m-%dT%H")
	prefix = f"{kind.strip()}:{dimension.strip()}:"
	room = KEY_MAX_LENGTH - len(prefix) - len(stamp) - 1
	return f"{prefix}{_shorten(str(value).strip(), room)}:{stamp}"


def decide(open_alert_level: str | None, new_level: str) -> str:
	"""What to do with a new finding: "raise" (no open alert), "escalate" (more severe) or "keep"."""
	check_level(new_level)
	if open_alert_level is None:
		return RAISE
	return ESCALATE if is_escalation(open_alert_level, new_level) else KEEP


# ---------------------------------------------------------------------------
# Group complaints
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CauseGroup:
	"""Complaints sharing a cause ("cause", the cause) or, without one, ("category_item", "category/item")."""

	dimension: str
	value: str
	names: tuple[str, ...]

	@property
	def count(self) -> int:
		return len(self.names)


def _text(value: object) -> str:
	return " ".join(str(value or "").split())


def _group_of(complaint: Mapping) -> tuple[tuple[str, str], tuple[str, str]] | None:
	"""(grouping key, (dimension, display value)) for a complaint, or None if it has nothing to group on."""
	cause = _text(complaint.get("cause"))
	if cause:
		return ("cause", cause.casefold()), ("cause", cause)
	category, item = _text(complaint.get("category")), _text(complaint.get("item"))
	if not category and not item:
		return None
	return ("category_item", f"{category}/{item}".casefold()), ("category_item", f"{category}/{item}")


def group_by_cause(complaints: Iterable[Mapping], n: int) -> list[CauseGroup]:
	"""Groups of at least `n` complaints sharing a non-empty cause (case and spacing ignored).

	A complaint without a cause is grouped with others of the same (category, item) instead; one with
	neither is skipped. Complaints are mappings with the keys name, category, item, store and cause.
	Largest groups first; names keep their input order.
	"""
	if n < 2:
		raise ValueError("n must be at least 2")
	names: dict[tuple[str, str], list[str]] = {}
	labels: dict[tuple[str, str], tuple[str, str]] = {}
	for complaint in complaints:
		found = _group_of(complaint)
		if found is None:
			continue
		group, label = found
		names.setdefault(group, []).append(str(complaint.get("name")))
		labels.setdefault(group, label)
	groups = [
		CauseGroup(*labels[group], tuple(members)) for group, members in names.items() if len(members) >= n
	]
	return sorted(groups, key=lambda g: (-g.count, g.dimension, g.value))
