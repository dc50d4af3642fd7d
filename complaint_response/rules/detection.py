# Copyright (c) 2025, Complaint Response Contributors
# For license information, please see license.txt

"""Crisis detection (危机预警监测): spikes, group complaints and alert de-duplication.

Plain Python (no Frappe import). The scheduled job in the Frappe layer looks at the complaints created
since its last run and raises or updates crisis alerts on three kinds of cause:

- spike: the complaints about one category / item / store in a sliding window are far above that key's
  own trailing baseline (:func:`detect`, :func:`spike_test`: one window; :func:`scan`: several windows
  at once, seasonal expectations and young keys, for crisis-shaped bursts of a few hours; :func:`cusum`
  is a slower-reacting alternative for per-period series);
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
import itertools
import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from functools import lru_cache

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
	"""What one spike test saw. The fields after `reasons` are filled by :func:`scan` (multi-window test);
	:func:`spike_test` leaves them at their defaults, its window and baseline being those of SpikeParams."""

	key: Key
	count: int
	expected: float
	ratio: float
	p_value: float
	is_spike: bool
	reasons: tuple[Reason, ...]
	window_hours: float = 0.0  # the window that was reported (scan: the most significant one)
	window_start: datetime | None = None
	baseline_hours: float = 0.0  # the baseline span actually used (shorter for a new key)
	baseline_count: int = 0
	p_threshold: float = 0.0  # the per-window threshold p_value was compared with
	windows_tested: int = 1


def expected_in_window(baseline_count: int, params: SpikeParams = DEFAULT_PARAMS) -> float:
	"""The baseline rate scaled to one window, at least MIN_EXPECTED."""
	return max(baseline_count * params.window_hours / (params.baseline_days * 24), MIN_EXPECTED)


def _rounded_p(p: float) -> float:
	return float(f"{p:.2g}")


def _numbers(result: SpikeResult, hours: float, days: float) -> Reason:
	"""What a spike test saw in one window against its baseline (the "What Was Seen" line)."""
	dimension, value = result.key
	return Reason(
		"spike",
		_(
			"{count} complaints about {dimension} {value} in {hours} h; about {expected} expected from the last {days} days (p = {p})"
		),
		{
			"count": result.count,
			"dimension": dimension,
			"value": value,
			"hours": hours,
			"expected": round(result.expected, 2),
			"days": days,
			"p": _rounded_p(result.p_value),
		},
	)


def _spike_reasons(result: SpikeResult, params: SpikeParams) -> tuple[Reason, ...]:
	"""The numbers first, then (for a non-spike) each condition that failed."""
	reasons = [_numbers(result, params.window_hours, params.baseline_days)]
	reasons += _failed_conditions(result, params.min_count, params.min_ratio, params.p_threshold)
	return tuple(reasons)


def _failed_conditions(
	result: SpikeResult,
	min_count: int,
	min_ratio: float,
	p_threshold: float,
	shown_threshold: float | None = None,
) -> list[Reason]:
	"""One reason per spike condition the result does not meet (none for a spike)."""
	reasons = []
	if result.count < min_count:
		reasons.append(Reason("spike", _("Fewer than {min_count} complaints"), {"min_count": min_count}))
	if result.ratio < min_ratio:
		reasons.append(
			Reason(
				"spike",
				_("{ratio} times the expected number, below {min_ratio}"),
				{"ratio": round(result.ratio, 1), "min_ratio": min_ratio},
			)
		)
	if result.p_value > p_threshold:
		reasons.append(
			Reason(
				"spike",
				_("p = {p} is above the threshold {p_threshold}"),
				{
					"p": _rounded_p(result.p_value),
					"p_threshold": p_threshold if shown_threshold is None else shown_threshold,
				},
			)
		)
	return reasons


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
# Multi-window scan
# ---------------------------------------------------------------------------

HOURS_PER_WEEK = 168
# Weights per hour of the week, index weekday() * 24 + hour (Monday 00:00-01:00 is 0): no seasonality.
FLAT_PROFILE: tuple[float, ...] = (1.0,) * HOURS_PER_WEEK
_MONDAY = datetime(2001, 1, 1)  # a Monday: hour of week 0 starts here
_HOUR = timedelta(hours=1)
# By default a window longer than a day gets this share of alpha, one of a day or less a full share: the
# multi-day windows are there for slow build-ups, which add false alarms but rarely catch a crisis first.
LONG_WINDOW_WEIGHT = 0.25


@dataclass(frozen=True)
class ScanParams:
	"""Settings of :func:`scan`.

	- `windows_hours`: the window lengths tested together (increasing), each ending at `now`;
	- `baseline_days`: how much history before each window says what is normal (less for a younger key);
	- `alpha`: the false-alarm probability allowed for one check of one key, shared among the windows
	  (weighted Bonferroni, :attr:`window_thresholds`; `window_weights`, by default 1 for a window of up
	  to a day and LONG_WINDOW_WEIGHT for a longer one). However many windows there are, one check then
	  fires falsely with probability at most alpha under the null model (Poisson arrivals at the baseline
	  rate shaped by the profile), and more windows make each window's threshold stricter;
	- `min_count`, `min_ratio`: a window also needs at least this many complaints and this many times the
	  expected number (the same guards as :class:`SpikeParams`);
	- `min_history_hours`: a key seen for less than this long is judged as if it had existed, without
	  complaints, for this long, so a brand-new key can fire on a clear burst (min_count complaints in an
	  hour or two) but not on its first few complaints.

	False alarms per key: with hourly checks a key gets at most 2160 × alpha false alerts per 90 days
	(:meth:`false_alerts_bound`: 0.54 for the default 2.5e-4); consecutive checks see overlapping windows,
	so fewer in practice: the simulator (rules.simulate) measures about 0.08 per key per 90 days for keys
	of 1/day to 3/hour, about 340 × alpha. They grow in proportion to alpha. Per site they add up over the
	keys the job tests: K active keys give about K times the per-key rate, so to hold B false alerts per
	90 days for the site, scale alpha by B / (0.08 × K). Checking more often than hourly raises the bound
	in proportion and the measured rate somewhat less.
	"""

	windows_hours: tuple[float, ...] = (1, 2, 3, 4, 6, 8, 12, 24, 72)
	baseline_days: float = 28
	alpha: float = 2.5e-4
	min_count: int = 5
	min_ratio: float = 3.0
	min_history_hours: float = 24.0
	window_weights: tuple[float, ...] | None = None

	def __post_init__(self) -> None:
		windows = tuple(float(hours) for hours in self.windows_hours)
		if not windows or not all(math.isfinite(hours) and hours > 0 for hours in windows):
			raise ValueError("windows_hours needs at least one positive, finite window length")
		if any(later <= earlier for earlier, later in itertools.pairwise(windows)):
			raise ValueError("windows_hours must be strictly increasing")
		object.__setattr__(self, "windows_hours", tuple(int(h) if h.is_integer() else h for h in windows))
		weights = self.window_weights
		if weights is not None:
			weights = tuple(float(weight) for weight in weights)
			if len(weights) != len(windows) or not all(math.isfinite(w) and w > 0 for w in weights):
				raise ValueError("window_weights needs one positive weight per window")
			object.__setattr__(self, "window_weights", weights)
		if not self.baseline_days > 0:
			raise ValueError("baseline_days must be positive")
		if not 0 < self.alpha <= 1:
			raise ValueError("alpha must be in (0, 1]")
		if self.min_count < 1:
			raise ValueError("min_count must be at least 1")
		if self.min_ratio < 0:
			raise ValueError("min_ratio must not be negative")
		if not self.min_history_hours > 0:
			raise ValueError("min_history_hours must be positive")

	@property
	def window_thresholds(self) -> tuple[float, ...]:
		"""The p-value each window must reach: alpha shared among the windows (weighted Bonferroni), so
		the thresholds add up to alpha and more windows make each one stricter."""
		weights = self.window_weights or tuple(
			1.0 if hours <= 24 else LONG_WINDOW_WEIGHT for hours in self.windows_hours
		)
		total = math.fsum(weights)
		return tuple(self.alpha * weight / total for weight in weights)

	@property
	def window_threshold(self) -> float:
		"""The strictest per-window threshold (alpha / number of windows when the weights are equal)."""
		return min(self.window_thresholds)

	@property
	def lookback(self) -> timedelta:
		"""How far before `now` the complaints passed to :func:`scan` must reach for a full baseline."""
		return timedelta(hours=max(self.windows_hours), days=self.baseline_days)

	def false_alerts_bound(self, days: float = 90, checks_per_day: float = 24) -> float:
		"""Upper bound on the expected false alerts per key in `days` of checks, under the null model.

		Union bound: each check fires with probability at most alpha, so `days × checks_per_day × alpha`.
		It ignores that consecutive checks see overlapping windows (one excursion fires several checks but
		makes one alert), so the real rate is lower; the simulator measures it.
		"""
		return self.alpha * days * checks_per_day


DEFAULT_SCAN = ScanParams()


def binomial_sf(k: int, n: int, p: float) -> float:
	"""P(X ≥ k) for X ~ Binomial(n, p), summing the pmf in log space from the nearer tail.

	Small upper tails keep their relative precision (until they underflow to 0 below about 1e-308).
	"""
	if not 0 <= p <= 1 or n < 0:
		raise ValueError(f"p must be in [0, 1] and n not negative, not p={p!r}, n={n!r}")
	if k <= 0:
		return 1.0
	if k > n or p == 0:
		return 0.0
	if p == 1:
		return 1.0
	q = 1.0 - p
	upper = k >= n * p
	j = k if upper else k - 1  # the first term summed: P(X = k) upwards, or P(X = k - 1) downwards
	log_term = math.lgamma(n + 1) - math.lgamma(j + 1) - math.lgamma(n - j + 1)
	term = math.exp(log_term + j * math.log(p) + (n - j) * math.log1p(-p))
	total = term
	if upper:
		odds = p / q
		while j < n and term > total * _EPS:
			term *= (n - j) / (j + 1) * odds
			total += term
			j += 1
		return min(1.0, total)
	odds = q / p
	while j > 0 and term > total * _EPS:
		term *= j / (n - j + 1) * odds
		total += term
		j -= 1
	return max(0.0, 1.0 - total)


def hour_of_week(moment: datetime) -> int:
	"""0 for Monday 00:00-01:00 ... 167 for Sunday 23:00-24:00 (wall-clock time of `moment`)."""
	return moment.weekday() * 24 + moment.hour


def _normalised(weights: Sequence[float]) -> tuple[float, ...]:
	mean = math.fsum(weights) / len(weights)
	return tuple(weight / mean for weight in weights)


def profile_from_factors(
	hour_of_day: Sequence[float], weekday: Sequence[float] = (1.0,) * 7
) -> tuple[float, ...]:
	"""A 168-hour profile, mean 1, from 24 hour-of-day and 7 weekday (Monday first) weights."""
	if len(hour_of_day) != 24 or len(weekday) != 7:
		raise ValueError("Need 24 hour-of-day weights and 7 weekday weights")
	weights = [day * hour for day in weekday for hour in hour_of_day]
	if not all(math.isfinite(weight) and weight > 0 for weight in weights):
		raise ValueError("Profile weights must be positive and finite")
	return _normalised(weights)


def build_profile(
	times: Iterable[datetime],
	start: datetime | None = None,
	end: datetime | None = None,
	smoothing: float = 10.0,
	floor: float = 0.05,
) -> tuple[float, ...]:
	"""The hour-of-week profile (168 weights, mean 1) of complaints received at `times`, for :func:`scan`.

	Meant for all complaints of the site over a few weeks (`start` to `end`, by default the first and last
	of `times`; pass the period queried so quiet hours at its edges count). Each hour of the week's rate is
	its complaints over the number of times that hour occurs in the period, relative to the overall rate.
	Smoothing, in pseudo-complaints: hour-of-day and weekday factors are each pulled towards 1 by
	`smoothing` complaints, and every hour of the week towards the product of its two factors by
	`smoothing` complaints, so sparse data gives a day × weekday shape and plenty of data its own detail.
	No weight goes below `floor` × the mean (a complaint at 3 a.m. must not be infinitely surprising).
	Without complaints it is flat.
	"""
	if smoothing < 0 or not 0 < floor <= 1:
		raise ValueError("smoothing must not be negative and floor must be in (0, 1]")
	times = list(times)
	if not times:
		return FLAT_PROFILE
	first = (start or min(times)).replace(minute=0, second=0, microsecond=0)
	last = (end or max(times)).replace(minute=0, second=0, microsecond=0) + _HOUR
	total_hours = round((last - first) / _HOUR)
	if total_hours < 1:
		return FLAT_PROFILE
	weeks, rest = divmod(total_hours, HOURS_PER_WEEK)
	occurrences = [weeks] * HOURS_PER_WEEK
	for offset in range(rest):
		occurrences[(hour_of_week(first) + offset) % HOURS_PER_WEEK] += 1
	counts = [0] * HOURS_PER_WEEK
	for moment in times:
		if first <= moment < last:
			counts[hour_of_week(moment)] += 1
	rate = sum(counts) / total_hours
	if rate == 0:
		return FLAT_PROFILE

	def factor(cells: Iterable[int]) -> float:
		cells = list(cells)
		seen = sum(counts[cell] for cell in cells)
		expected = rate * sum(occurrences[cell] for cell in cells)
		return (seen + smoothing) / (expected + smoothing) if expected + smoothing > 0 else 1.0

	by_hour = [factor(range(hour, HOURS_PER_WEEK, 24)) for hour in range(24)]
	by_day = [factor(range(day * 24, day * 24 + 24)) for day in range(7)]
	weights = []
	for cell in range(HOURS_PER_WEEK):
		shape = by_day[cell // 24] * by_hour[cell % 24]
		expected = rate * occurrences[cell]
		weights.append(
			(counts[cell] + smoothing * shape) / (expected + smoothing) if expected + smoothing else shape
		)
	mean = math.fsum(weights) / HOURS_PER_WEEK
	return _normalised([max(weight, floor * mean) for weight in weights])


@lru_cache(maxsize=16)
def _profile_table(weights: tuple[float, ...]) -> tuple[float, ...]:
	"""Cumulative weights (169 values) of a validated profile."""
	if len(weights) != HOURS_PER_WEEK:
		raise ValueError(
			f"A profile has {HOURS_PER_WEEK} weights (one per hour of the week), not {len(weights)}"
		)
	if not all(math.isfinite(weight) and weight > 0 for weight in weights):
		raise ValueError("Profile weights must be positive and finite")
	cumulative = [0.0]
	for weight in weights:
		cumulative.append(cumulative[-1] + weight)
	return tuple(cumulative)


def _hours_since_monday(moment: datetime) -> float:
	"""Hours from a fixed Monday 00:00 to `moment`, read on the wall clock (an aware time's own offset)."""
	if moment.tzinfo is not None:
		moment = moment.replace(tzinfo=None)
	delta = moment - _MONDAY
	return delta.days * 24 + (delta.seconds + delta.microseconds / 1e6) / 3600


def _clock(hours: float, weights: tuple[float, ...], cumulative: tuple[float, ...]) -> float:
	"""Profile-weighted hours from the fixed Monday to `hours` after it; differences are exposures."""
	weeks, rest = divmod(hours, HOURS_PER_WEEK)
	hour = min(int(rest), HOURS_PER_WEEK - 1)
	return weeks * cumulative[-1] + cumulative[hour] + (rest - hour) * weights[hour]


@dataclass(frozen=True)
class _Window:
	hours: float
	start: datetime
	count: int
	baseline_count: int
	baseline_hours: float
	expected: float
	ratio: float
	p_value: float
	threshold: float

	@property
	def rank(self) -> tuple[float, float]:
		"""Most significant first: the smallest p relative to the window's own threshold."""
		return (self.p_value / self.threshold, -self.ratio)


def _scan_reasons(result: SpikeResult, params: ScanParams) -> tuple[Reason, ...]:
	"""The numbers of the reported window first, then (for a non-spike) each condition that failed."""
	reasons = [_numbers(result, result.window_hours, round(result.baseline_hours / 24, 1))]
	threshold = result.p_threshold
	reasons += _failed_conditions(
		result, params.min_count, params.min_ratio, threshold, shown_threshold=_rounded_p(threshold)
	)
	return tuple(reasons)


def scan(
	times: Sequence[datetime],
	now: datetime,
	params: ScanParams = DEFAULT_SCAN,
	*,
	profile: Sequence[float] | None = None,
	first_seen: datetime | None = None,
	key: Key = ("", ""),
	only_spikes: bool = True,
) -> SpikeResult | None:
	"""Test one key's recent complaints for a spike in several windows at once.

	`times` are the key's complaint receipt times up to `now` (in any order; later ones are ignored),
	reaching back at least `params.lookback`. For each window length w of `params.windows_hours`, the
	window (now - w, now] is compared with the baseline of up to `baseline_days` just before it, cut to
	the key's history (from `first_seen`, by default its earliest complaint in `times`, at least
	`min_history_hours` before `now`). Expected counts follow `profile` (168 weights per hour of the
	week, see :func:`build_profile`; flat by default): the exposure of a period is the sum of its hours'
	weights, so a Monday morning window expects what Monday mornings usually bring.

	The test is the exact conditional test of two Poisson rates: given n = count + baseline_count
	complaints, count ~ Binomial(n, π) with π = window exposure / (window + baseline exposure) if the
	rate did not change; p = P(X ≥ count). Unlike a Poisson test against the baseline mean, it allows for
	the baseline being itself a noisy estimate (short histories, long windows). A window fires when
	count ≥ min_count, count / expected ≥ min_ratio and p ≤ its share of alpha
	(:attr:`ScanParams.window_thresholds`); expected = baseline_count × window / baseline exposure, at
	least MIN_EXPECTED.

	Returns the firing window with the smallest p relative to its threshold, or None when none fires.
	With `only_spikes=False` it returns the most significant window even when nothing fires (for "why
	not"), None only when no window could be tested. The result explains itself: count, expected, ratio,
	p_value, window_hours / window_start, baseline_hours (the history actually used) and baseline_count,
	p_threshold and windows_tested, and `reasons` as :func:`spike_test` gives them. Times are naive
	site-local datetimes as Frappe stores them (aware ones are read on their own wall clock; do not mix
	the two). Cost: one sort of `times` (linear when already sorted) and a few bisections per window.
	"""
	ordered = sorted(times)
	end = bisect_right(ordered, now)
	history_start = first_seen if first_seen is not None else (ordered[0] if end else now)
	history_start = min(history_start, now - timedelta(hours=params.min_history_hours))
	weights = FLAT_PROFILE if profile is None else tuple(profile)
	cumulative = _profile_table(weights)
	hours_now = _hours_since_monday(now)
	history_hours = (now - history_start) / _HOUR
	clock_now = _clock(hours_now, weights, cumulative)
	baseline_hours = params.baseline_days * 24
	firing: _Window | None = None
	best: _Window | None = None
	for hours, threshold in zip(params.windows_hours, params.window_thresholds, strict=True):
		if hours >= history_hours:
			break  # windows are sorted: the longer ones leave no baseline either
		window_start = now - timedelta(hours=hours)
		first_in_window = bisect_right(ordered, window_start, 0, end)
		count = end - first_in_window
		if only_spikes and count < params.min_count:
			continue
		span = min(baseline_hours, history_hours - hours)
		baseline_count = first_in_window - bisect_left(
			ordered, window_start - timedelta(hours=span), 0, first_in_window
		)
		clock_start = _clock(hours_now - hours, weights, cumulative)
		window_exposure = clock_now - clock_start
		baseline_exposure = clock_start - _clock(hours_now - hours - span, weights, cumulative)
		expected = max(baseline_count * window_exposure / baseline_exposure, MIN_EXPECTED)
		ratio = count / expected
		if only_spikes and ratio < params.min_ratio:
			continue
		share = window_exposure / (window_exposure + baseline_exposure)
		p_value = binomial_sf(count, count + baseline_count, share)
		window = _Window(
			hours, window_start, count, baseline_count, span, expected, ratio, p_value, threshold
		)
		fires = count >= params.min_count and ratio >= params.min_ratio and p_value <= threshold
		if fires and (firing is None or window.rank < firing.rank):
			firing = window
		if best is None or window.rank < best.rank:
			best = window
	chosen = firing if firing is not None or only_spikes else best
	if chosen is None:
		return None
	result = SpikeResult(
		key,
		chosen.count,
		chosen.expected,
		chosen.ratio,
		chosen.p_value,
		chosen is firing,
		reasons=(),
		window_hours=chosen.hours,
		window_start=chosen.start,
		baseline_hours=chosen.baseline_hours,
		baseline_count=chosen.baseline_count,
		p_threshold=chosen.threshold,
		windows_tested=len(params.windows_hours),
	)
	return replace(result, reasons=_scan_reasons(result, params))


def scan_all(
	times_by_key: Mapping[Key, Sequence[datetime]],
	now: datetime,
	params: ScanParams = DEFAULT_SCAN,
	*,
	profile: Sequence[float] | None = None,
	first_seen: Mapping[Key, datetime] | None = None,
	only_spikes: bool = True,
) -> list[SpikeResult]:
	""":func:`scan` for every key of `times_by_key`, most significant first (like :func:`detect`)."""
	first_seen = first_seen or {}
	results = [
		scan(
			times,
			now,
			params,
			profile=profile,
			first_seen=first_seen.get(key),
			key=key,
			only_spikes=only_spikes,
		)
		for key, times in times_by_key.items()
	]
	return sorted((result for result in results if result is not None), key=_significance)


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
