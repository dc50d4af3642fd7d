# Copyright (c) 2025, Complaint Response Contributors
# For license information, please see license.txt

"""Spike-detector simulators over synthetic complaint streams (plain Python, no Frappe).

Crisis-shaped bursts (the default of ``python3 -m complaint_response.rules.simulate``): keys with a base
rate of 1/day ... 3/hour following the site's day/night and weekday pattern (SITE_PROFILE), and bursts of
5-20× that rate lasting 1-4 hours, each bringing at least MIN_EXTRA (5) extra complaints. Established keys
have 35 days of history and then 90 scored days with a burst in each 30; new keys are launched during
the scored days (no history at all) and get one burst 2 hours to 14 days after launch. The job is
replayed hourly on the keys that got a complaint in the hour with three detectors on the same streams:
``scan`` (rules.detection) given the profile that ``build_profile`` estimates from a month of the
site's complaints, ``scan`` without a profile, and the current ``detect`` test (24 h vs 28 days).
Scoring, per detector:

- an alert is raised by a firing when the key has no alert open; it closes after CLOSE_AFTER_HOURS
  without a firing. It is true if raised during a burst or the DETECT_HORIZON_HOURS (24) after it, and
  false otherwise; precision = true / all alerts;
- a burst is caught if the detector fires in that span; recall = caught / bursts;
- delay = hours from the first check after the burst's 5th extra complaint to the first firing, 0 when
  caught at that check (or before it); "at 1st check" = bursts caught with delay 0 / all bursts;
- false alerts per key per 90 quiet days = false alerts / checked hours outside burst spans × 2160.

Not modelled: trends, overdispersion (busy days), a key's own pattern differing from the site's, and
bursts shared by several keys (a store and its products). Seeds are fixed (``--seed``), so the tables are
reproducible; ``--jobs`` only spreads the settings over processes.

Legacy (``--legacy``; :func:`run`, :func:`run_job`, :func:`score`): hourly Poisson counts for K items
without seasonality, long spikes (12-24 h), the current detect test with alert keys and escalation, as
documented in the README's first simulator table.
"""

import argparse
import itertools
import math
import multiprocessing
import os
import random
import statistics
import time
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from complaint_response.rules.detection import (
	DEFAULT_PARAMS,
	DEFAULT_SCAN,
	ESCALATE,
	HOURS_PER_WEEK,
	ScanParams,
	SpikeParams,
	alert_key,
	build_profile,
	decide,
	detect,
	profile_from_factors,
	scan,
	spike_level,
	spike_test,
)

START = datetime(2026, 1, 1)  # hour 0 of the synthetic stream
DIMENSION = "item"
_KNUTH_LIMIT = 30.0  # Knuth's Poisson sampler loses precision (e^-mu) and speed above this mean


@dataclass(frozen=True)
class Spike:
	item: int
	start: int  # first hour with the raised rate
	hours: int
	multiplier: float

	@property
	def end(self) -> int:
		"""First hour after the spike."""
		return self.start + self.hours


@dataclass(frozen=True)
class Stream:
	counts: tuple[tuple[int, ...], ...]  # counts[item][hour]
	rates: tuple[float, ...]  # complaints per hour, before spikes
	spikes: tuple[Spike, ...]
	active: tuple[tuple[int, ...], ...]  # active[hour]: items with complaints in that hour

	@property
	def hours(self) -> int:
		return len(self.counts[0]) if self.counts else 0


@dataclass
class Alert:
	item: int
	key: str
	raised_at: int
	level: str
	last_fired: int
	escalations: int = 0


@dataclass
class JobLog:
	alerts: list[Alert] = field(default_factory=list)
	firings: dict[int, list[int]] = field(default_factory=dict)  # item -> run hours the detector fired
	suppressed: int = 0  # would-be alerts refused by the unique alert key
	tests: int = 0


# ---------------------------------------------------------------------------
# Synthetic stream
# ---------------------------------------------------------------------------


def poisson_sample(rng: random.Random, mu: float) -> int:
	"""One Poisson(mu) draw: Knuth's product of uniforms, in chunks of at most _KNUTH_LIMIT."""
	total = 0
	while mu > 0:
		part = min(mu, _KNUTH_LIMIT)
		mu -= part
		limit, product = math.exp(-part), rng.random()
		while product > limit:
			total += 1
			product *= rng.random()
	return total


def item_name(item: int) -> str:
	return f"ITEM-{item + 1:03d}"


def _place_spikes(
	rng: random.Random,
	items: int,
	spikes: int,
	hours: int,
	first: int,
	spike_hours: int,
	gap: int,
	multiplier: float,
) -> list[Spike]:
	"""Random spikes starting at or after `first`, ending `gap` hours before the end, apart on each item."""
	last = hours - spike_hours - gap
	if spikes and last <= first:
		raise ValueError("Too few days for the warm-up, the spikes and their detection window")
	placed: list[Spike] = []
	for _attempt in range(1000 * max(spikes, 1)):
		if len(placed) == spikes:
			break
		spike = Spike(rng.randrange(items), rng.randrange(first, last), spike_hours, multiplier)
		if all(s.item != spike.item or abs(s.start - spike.start) >= spike_hours + gap for s in placed):
			placed.append(spike)
	if len(placed) < spikes:
		raise ValueError("Could not place that many non-overlapping spikes")
	return sorted(placed, key=lambda s: (s.start, s.item))


def generate(
	rng: random.Random,
	items: int,
	days: int,
	spikes: int,
	multiplier: float,
	base_rate: float,
	spike_hours: int,
	params: SpikeParams = DEFAULT_PARAMS,
) -> Stream:
	"""Hourly counts; item rates are Gamma(4, base_rate / 4) per day (mean base_rate, CV 0.5)."""
	hours = days * 24
	rates = tuple(rng.gammavariate(4.0, base_rate / 4.0) / 24.0 for _item in range(items))
	first = params.window_hours + params.baseline_days * 24
	placed = _place_spikes(rng, items, spikes, hours, first, spike_hours, params.window_hours, multiplier)
	factor = [[1.0] * hours for _item in range(items)]
	for spike in placed:
		for hour in range(spike.start, spike.end):
			factor[spike.item][hour] = multiplier
	counts = tuple(
		tuple(poisson_sample(rng, rates[item] * factor[item][hour]) for hour in range(hours))
		for item in range(items)
	)
	active = tuple(tuple(item for item in range(items) if counts[item][hour]) for hour in range(hours))
	return Stream(counts, rates, tuple(placed), active)


def _prefix_sums(counts: Sequence[int]) -> list[int]:
	sums = [0]
	for count in counts:
		sums.append(sums[-1] + count)
	return sums


# ---------------------------------------------------------------------------
# The scheduled job
# ---------------------------------------------------------------------------


def _fire(
	log: JobLog, open_alerts: dict[int, Alert], used_keys: set[str], item: int, level: str, run: int, key: str
) -> None:
	"""Record one detector firing: update the open alert for the item, or raise a new one."""
	log.firings.setdefault(item, []).append(run)
	alert = open_alerts.get(item)
	if alert is not None:
		if decide(alert.level, level) == ESCALATE:
			alert.level = level
			alert.escalations += 1
		alert.last_fired = run
		return
	if key in used_keys:
		log.suppressed += 1
		return
	used_keys.add(key)
	alert = Alert(item, key, run, level, run)
	open_alerts[item] = alert
	log.alerts.append(alert)


def _close_quiet(open_alerts: dict[int, Alert], run: int, quiet_hours: int) -> None:
	"""Close alerts whose item has not fired for `quiet_hours` (a person would resolve them)."""
	for item in [item for item, alert in open_alerts.items() if run - alert.last_fired >= quiet_hours]:
		del open_alerts[item]


def run_job(stream: Stream, params: SpikeParams = DEFAULT_PARAMS) -> JobLog:
	"""Run the hourly job from the first hour with a full baseline to the end of the stream."""
	window, baseline = params.window_hours, params.baseline_days * 24
	sums = [_prefix_sums(counts) for counts in stream.counts]
	names = [item_name(item) for item in range(len(stream.counts))]
	items = {name: item for item, name in enumerate(names)}
	log, open_alerts, used_keys = JobLog(), {}, set()
	for run in range(window + baseline, stream.hours + 1):
		_close_quiet(open_alerts, run, window)
		touched = stream.active[run - 1]  # complaints created since the last run
		window_counts = {(DIMENSION, names[i]): sums[i][run] - sums[i][run - window] for i in touched}
		baseline_counts = {
			(DIMENSION, names[i]): sums[i][run - window] - sums[i][run - window - baseline] for i in touched
		}
		log.tests += len(window_counts)
		window_start = START + timedelta(hours=run - window)
		for result in detect(window_counts, baseline_counts, params):
			item = items[result.key[1]]
			level, _reasons = spike_level(result)
			key = alert_key("spike", DIMENSION, result.key[1], window_start, window)
			_fire(log, open_alerts, used_keys, item, level, run, key)
	return log


# ---------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------


def _in_span(spike: Spike, run: int, window: int) -> bool:
	return spike.start < run <= spike.end + window


def _true_alerts(stream: Stream, log: JobLog, window: int) -> int:
	return sum(
		any(s.item == alert.item and _in_span(s, alert.raised_at, window) for s in stream.spikes)
		for alert in log.alerts
	)


def _delays(stream: Stream, log: JobLog, window: int) -> list[int]:
	"""Hours from start to first firing, for each detected spike."""
	delays = []
	for spike in stream.spikes:
		runs = [run for run in log.firings.get(spike.item, []) if _in_span(spike, run, window)]
		if runs:
			delays.append(min(runs) - spike.start)
	return delays


def score(stream: Stream, log: JobLog, params: SpikeParams = DEFAULT_PARAMS) -> dict:
	window = params.window_hours
	true_alerts = _true_alerts(stream, log, window)
	delays = _delays(stream, log, window)
	key_days = len(stream.counts) * (stream.hours - window - params.baseline_days * 24) / 24
	alerts = len(log.alerts)
	return {
		"spikes": len(stream.spikes),
		"alerts": alerts,
		"true_alerts": true_alerts,
		"false_alerts": alerts - true_alerts,
		"precision": true_alerts / alerts if alerts else None,
		"recall": len(delays) / len(stream.spikes) if stream.spikes else None,
		"mean_delay_h": statistics.fmean(delays) if delays else None,
		"median_delay_h": statistics.median(delays) if delays else None,
		"max_delay_h": max(delays) if delays else None,
		"alerts_per_key_day": alerts / key_days if key_days else 0.0,
		"false_alarms_per_key_day": (alerts - true_alerts) / key_days if key_days else 0.0,
		"escalations": sum(alert.escalations for alert in log.alerts),
		"levels": dict(sorted(Counter(alert.level for alert in log.alerts).items())),
		"suppressed_duplicates": log.suppressed,
		"tests": log.tests,
	}


def run(
	seed: int = 1,
	keys: int = 50,
	days: int = 90,
	spikes: int = 20,
	multiplier: float = 6.0,
	base_rate: float = 3.0,
	spike_hours: int = 12,
	params: SpikeParams = DEFAULT_PARAMS,
) -> dict:
	"""Simulate one seeded stream and score the detector; `base_rate` is complaints per item per day."""
	rng = random.Random(seed)
	stream = generate(rng, keys, days, spikes, multiplier, base_rate, spike_hours, params)
	return score(stream, run_job(stream, params), params)


# ---------------------------------------------------------------------------
# Legacy table
# ---------------------------------------------------------------------------


def _legacy_cell(value: float | None, digits: int = 2) -> str:
	return "-" if value is None else f"{value:.{digits}f}"


def _legacy_row(spike_hours: int, base_rate: float, multiplier: float, result: dict, seconds: float) -> str:
	cells = (
		f"{spike_hours:>7}",
		f"{base_rate:>8g}",
		f"{multiplier:>4g}",
		f"{result['alerts']:>6}",
		f"{_legacy_cell(result['precision']):>9}",
		f"{_legacy_cell(result['recall']):>6}",
		f"{_legacy_cell(result['mean_delay_h'], 1):>10}",
		f"{_legacy_cell(result['median_delay_h'], 1):>12}",
		f"{result['false_alarms_per_key_day']:>10.4f}",
		f"{seconds:>5.2f}",
	)
	return " ".join(cells)


def legacy_main(
	spike_lengths: Sequence[int] = (12, 24),
	base_rates: Sequence[float] = (1.0, 3.0, 10.0),
	multipliers: Sequence[float] = (1.0, 3.0, 6.0, 10.0),
) -> None:
	"""Print precision, recall and detection delay for the default run over a few settings."""
	print("50 items, 90 days, 20 spikes; window 24 h vs 28 days; min 5, ratio >= 3, p <= 0.001; seed 1")
	print("spike h base/day mult alerts precision recall mean delay median delay FA/key-day cpu s")
	for spike_hours in spike_lengths:
		for base_rate in base_rates:
			for multiplier in multipliers:
				started = time.process_time()
				result = run(multiplier=multiplier, base_rate=base_rate, spike_hours=spike_hours)
				print(_legacy_row(spike_hours, base_rate, multiplier, result, time.process_time() - started))


# ---------------------------------------------------------------------------
# Crisis-shaped bursts: scan against detect
# ---------------------------------------------------------------------------

ORIGIN = datetime(2026, 1, 5)  # a Monday: hour 0 of a crisis stream
# The site's day/night and weekday pattern (the true one; the detector gets an estimate, see site_profile)
SITE_HOUR_WEIGHTS = (
	0.15, 0.1, 0.1, 0.1, 0.1, 0.15, 0.3, 0.6, 1.1, 1.6, 1.8, 1.8,
	1.5, 1.5, 1.7, 1.7, 1.6, 1.5, 1.3, 1.2, 1.0, 0.8, 0.5, 0.3,
)  # fmt: skip
SITE_WEEKDAY_WEIGHTS = (1.35, 1.1, 1.0, 1.0, 1.05, 0.75, 0.75)  # Monday first
SITE_PROFILE = profile_from_factors(SITE_HOUR_WEIGHTS, SITE_WEEKDAY_WEIGHTS)

BASE_RATES = (1.0, 4.0, 12.0, 24.0, 72.0)  # complaints per key per day: 1/day ... 3/hour
MULTIPLIERS = (5.0, 10.0, 20.0)
BURST_HOURS = (1.0, 2.0, 4.0)
MIN_EXTRA = 5  # every burst brings at least this many extra complaints; delays count from the 5th
SCORED_DAYS = 90
BURSTS_PER_KEY = 3  # one per 30 days of an established key
DETECT_HORIZON_HOURS = 24  # a firing up to this long after a burst ends still catches it
CLOSE_AFTER_HOURS = 24  # an open alert closes after this long without a firing
YOUNG_AGE_HOURS = (2.0, 14 * 24.0)  # a new key's burst comes this long after its launch (log-uniform)
DETECTORS = ("scan", "scan, flat profile", "detect (24 h vs 28 d)")


@dataclass(frozen=True)
class Setting:
	"""Keys of one base rate with bursts of one multiplier and length; `young`: new keys, mixed bursts."""

	base_per_day: float
	multiplier: float = 0.0  # 0: cycles through MULTIPLIERS (young keys)
	burst_hours: float = 0.0  # 0: cycles through BURST_HOURS (young keys)
	young: bool = False


@dataclass(frozen=True)
class Burst:
	start: float  # hours after ORIGIN
	hours: float
	multiplier: float
	extra: tuple[float, ...]  # the extra complaints' times, sorted

	@property
	def end(self) -> float:
		return self.start + self.hours

	@property
	def fifth(self) -> float:
		"""When the MIN_EXTRA-th extra complaint arrived."""
		return self.extra[MIN_EXTRA - 1]

	def in_span(self, hour: int) -> bool:
		"""True if a check at `hour` falls in the burst or the DETECT_HORIZON_HOURS after it."""
		return self.start < hour <= self.end + DETECT_HORIZON_HOURS


@dataclass(frozen=True)
class KeyStream:
	times: tuple[float, ...]  # every complaint, hours after ORIGIN, sorted
	bursts: tuple[Burst, ...]
	first_check: int  # the first hour the job checks the key (scoring starts there)
	hours: int  # the last check


@dataclass
class Outcome:
	"""One detector's score over some keys."""

	bursts: int = 0
	delays: list[float] = field(default_factory=list)  # per caught burst, from the 5th extra complaint
	alerts: int = 0
	false_alerts: int = 0
	quiet_hours: float = 0.0  # checked hours outside every burst span
	checks: int = 0

	def add(self, other: "Outcome") -> None:
		self.bursts += other.bursts
		self.delays += other.delays
		self.alerts += other.alerts
		self.false_alerts += other.false_alerts
		self.quiet_hours += other.quiet_hours
		self.checks += other.checks

	@property
	def recall(self) -> float | None:
		return len(self.delays) / self.bursts if self.bursts else None

	@property
	def precision(self) -> float | None:
		return (self.alerts - self.false_alerts) / self.alerts if self.alerts else None

	@property
	def at_first_check(self) -> float | None:
		"""Share of all bursts caught at (or before) the first check after their 5th extra complaint."""
		return sum(delay == 0 for delay in self.delays) / self.bursts if self.bursts else None

	def delay(self, quantile: float) -> float | None:
		"""Nearest-rank quantile of the delays of the caught bursts."""
		if not self.delays:
			return None
		ordered = sorted(self.delays)
		return ordered[max(math.ceil(quantile * len(ordered)) - 1, 0)]

	@property
	def false_per_key_90d(self) -> float | None:
		return self.false_alerts * SCORED_DAYS * 24 / self.quiet_hours if self.quiet_hours else None


def _weight_at(hour: float) -> float:
	return SITE_PROFILE[int(hour) % HOURS_PER_WEEK]


def _base_times(rng: random.Random, per_day: float, start: int, end: int) -> list[float]:
	"""Poisson complaint times with the site's pattern, hour by hour from `start` to `end`."""
	times = []
	per_hour = per_day / 24
	for hour in range(start, end):
		for _complaint in range(poisson_sample(rng, per_hour * SITE_PROFILE[hour % HOURS_PER_WEEK])):
			times.append(hour + rng.random())
	return times


def _burst(rng: random.Random, per_day: float, start: float, hours: float, multiplier: float) -> Burst:
	"""(multiplier - 1) × the base rate (with its pattern) on top for `hours`; at least MIN_EXTRA extra."""
	edges = sorted({start, start + hours, *range(math.ceil(start), math.ceil(start + hours))})
	edges = [edge for edge in edges if start <= edge <= start + hours]
	mean = (
		sum((b - a) * _weight_at(a) for a, b in itertools.pairwise(edges)) * (multiplier - 1) * per_day / 24
	)
	top = max(_weight_at(a) for a in edges[:-1])
	extra = []
	for _complaint in range(max(MIN_EXTRA, poisson_sample(rng, mean))):
		while True:  # rejection sampling: denser where the pattern is higher
			moment = start + hours * rng.random()
			if rng.random() * top <= _weight_at(moment):
				break
		extra.append(moment)
	return Burst(start, hours, multiplier, tuple(sorted(extra)))


def generate_key(rng: random.Random, setting: Setting, index: int, lookback_hours: int) -> KeyStream:
	"""One key: `lookback_hours` of history, then SCORED_DAYS days checked hourly.

	An established key has complaints from hour 0 and BURSTS_PER_KEY bursts, one in each 30 days; a
	young key is launched at a random time of the scored days (nothing before) and has one burst a
	log-uniform 2 h ... 14 days after its launch, of the multiplier and length its index picks.
	"""
	hours = lookback_hours + SCORED_DAYS * 24
	if setting.young:
		born = lookback_hours + rng.randrange(0, (SCORED_DAYS - 30) * 24)
		low, high = YOUNG_AGE_HOURS
		starts = [born + math.exp(rng.uniform(math.log(low), math.log(high)))]
		multiplier = MULTIPLIERS[index % len(MULTIPLIERS)]
		burst_hours = BURST_HOURS[index // len(MULTIPLIERS) % len(BURST_HOURS)]
	else:
		born = 0
		block = SCORED_DAYS * 24 // BURSTS_PER_KEY
		starts = [
			lookback_hours + block * i + rng.uniform(24, block - 24 - DETECT_HORIZON_HOURS)
			for i in range(BURSTS_PER_KEY)
		]
		multiplier, burst_hours = setting.multiplier, setting.burst_hours
	times = _base_times(rng, setting.base_per_day, born, hours)
	bursts = tuple(_burst(rng, setting.base_per_day, start, burst_hours, multiplier) for start in starts)
	for burst in bursts:
		times.extend(burst.extra)
	return KeyStream(tuple(sorted(times)), bursts, max(born, lookback_hours) + 1, hours)


def site_profile(seed: int, per_day: float = 400.0, days: int = 28) -> tuple[float, ...]:
	"""What the job would estimate from all the site's complaints: build_profile over `days` of them."""
	rng = random.Random(f"site-{seed}")
	hours = days * 24
	times = [ORIGIN + timedelta(hours=t) for t in _base_times(rng, per_day, 0, hours)]
	return build_profile(times, ORIGIN, ORIGIN + timedelta(hours=hours - 1))


def _old_detector_fires(times: Sequence[float], hour: int, params: SpikeParams) -> bool:
	"""The current job's test: a window of window_hours against the baseline_days before it."""
	window_start = hour - params.window_hours
	first_in_window = bisect_right(times, window_start)
	count = bisect_right(times, hour) - first_in_window
	if count < params.min_count:
		return False
	baseline = first_in_window - bisect_right(times, window_start - params.baseline_days * 24)
	return spike_test(count, baseline, params).is_spike


def check_key(
	stream: KeyStream,
	scan_params: ScanParams,
	profile: Sequence[float] | None,
	old_params: SpikeParams | None = None,
) -> list[int]:
	"""The hours at which the detector fires, asked every hour the key got a complaint (like the job).

	With `old_params` it is the current job's `detect` test; otherwise :func:`scan` with the profile.
	"""
	times = stream.times
	moments = [ORIGIN + timedelta(hours=t) for t in times]
	lookback = scan_params.lookback / timedelta(hours=1)
	fired = []
	previous = bisect_right(times, stream.first_check - 1)
	for hour in range(stream.first_check, stream.hours + 1):
		end = bisect_right(times, hour, previous)
		if end == previous:
			continue  # no new complaint since the last run: the job does not test the key
		previous = end
		if old_params is not None:
			if _old_detector_fires(times, hour, old_params):
				fired.append(hour)
			continue
		start = bisect_right(times, hour - lookback, 0, end)
		if scan(moments[start:end], ORIGIN + timedelta(hours=hour), scan_params, profile=profile):
			fired.append(hour)
	return fired


def score_key(stream: KeyStream, fired: Sequence[int]) -> Outcome:
	"""Alerts (a firing with no alert open; one closes after CLOSE_AFTER_HOURS without firing), caught
	bursts and their delays from the first check after the 5th extra complaint, false alerts."""
	outcome = Outcome(bursts=len(stream.bursts))
	last = None
	for hour in fired:
		if last is None or hour - last >= CLOSE_AFTER_HOURS:
			outcome.alerts += 1
			if not any(burst.in_span(hour) for burst in stream.bursts):
				outcome.false_alerts += 1
		last = hour
	for burst in stream.bursts:
		caught = [hour for hour in fired if burst.in_span(hour)]
		if caught:
			outcome.delays.append(max(0, caught[0] - math.ceil(burst.fifth)))
	checked = stream.hours - stream.first_check + 1
	spans = sum(
		min(burst.end + DETECT_HORIZON_HOURS, stream.hours) - max(burst.start, stream.first_check - 1)
		for burst in stream.bursts
	)
	outcome.quiet_hours = checked - spans
	outcome.checks = len(fired)
	return outcome


def run_setting(
	setting: Setting,
	seed: int,
	keys: int,
	scan_params: ScanParams = DEFAULT_SCAN,
	profile: Sequence[float] | None = None,
	detectors: Sequence[str] = DETECTORS,
) -> dict[str, Outcome]:
	"""Simulate `keys` keys of one setting (own seed) and score each detector on the same streams."""
	rng = random.Random(
		f"{seed}-{setting.base_per_day}-{setting.multiplier}-{setting.burst_hours}-{setting.young}"
	)
	lookback = math.ceil(scan_params.lookback / timedelta(hours=1))
	lookback = max(lookback, DEFAULT_PARAMS.window_hours + DEFAULT_PARAMS.baseline_days * 24)
	streams = [generate_key(rng, setting, index, lookback) for index in range(keys)]
	outcomes = {}
	for name in detectors:
		total = Outcome()
		for stream in streams:
			if name == DETECTORS[2]:
				fired = check_key(stream, scan_params, None, DEFAULT_PARAMS)
			else:
				fired = check_key(stream, scan_params, None if name == DETECTORS[1] else profile)
			total.add(score_key(stream, fired))
		outcomes[name] = total
	return outcomes


def default_settings(young: bool = True) -> list[Setting]:
	settings = [
		Setting(rate, multiplier, hours)
		for rate in BASE_RATES
		for multiplier in MULTIPLIERS
		for hours in BURST_HOURS
	]
	if young:
		settings += [Setting(rate, young=True) for rate in BASE_RATES]
	return settings


def _run_one(task: tuple) -> dict[str, Outcome]:
	return run_setting(*task)


def simulate(
	seed: int = 1,
	keys: int = 8,
	young_keys: int = 27,
	scan_params: ScanParams = DEFAULT_SCAN,
	settings: Sequence[Setting] | None = None,
	detectors: Sequence[str] = DETECTORS,
	jobs: int = 1,
) -> list[tuple[Setting, dict[str, Outcome]]]:
	"""Every setting's outcomes; `keys` established keys per setting, `young_keys` per young setting."""
	settings = default_settings() if settings is None else list(settings)
	profile = site_profile(seed)
	tasks = [
		(setting, seed, young_keys if setting.young else keys, scan_params, profile, tuple(detectors))
		for setting in settings
	]
	if jobs > 1:
		with multiprocessing.Pool(jobs) as pool:
			results = pool.map(_run_one, tasks, chunksize=1)
	else:
		results = [_run_one(task) for task in tasks]
	return list(zip(settings, results, strict=True))


def summarise(
	results: Sequence[tuple[Setting, dict[str, Outcome]]], detector: str, young: bool | None = None
):
	total = Outcome()
	for setting, outcomes in results:
		if young is None or setting.young == young:
			total.add(outcomes[detector])
	return total


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------


def _cell(value: float | None, digits: int = 2) -> str:
	return "-" if value is None else f"{value:.{digits}f}"


def _scores(outcome: Outcome) -> list[str]:
	return [
		_cell(outcome.recall),
		_cell(outcome.at_first_check),
		_cell(outcome.delay(0.5), 0),
		_cell(outcome.delay(0.9), 0),
		_cell(outcome.precision),
		_cell(outcome.false_per_key_90d, 3),
	]


SCORE_HEADERS = ["recall", "at 1st check", "median delay h", "p90 delay h", "precision", "FA/key/90d"]


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
	lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
	return lines + ["| " + " | ".join(row) + " |" for row in rows]


def report(results: Sequence[tuple[Setting, dict[str, Outcome]]], detectors: Sequence[str]) -> list[str]:
	"""Markdown tables: overall per detector, per base rate, then per setting for scan and detect."""
	lines = ["**Overall** (all settings pooled; young keys separately)", ""]
	rows = []
	for detector in detectors:
		for label, young in (("established keys", False), ("new keys", True), ("all", None)):
			total = summarise(results, detector, young)
			rows.append([detector, label, str(total.bursts), *_scores(total)])
	lines += _table(["detector", "keys", "bursts", *SCORE_HEADERS], rows)
	lines += ["", "**Per base rate** (established keys, all bursts of that rate pooled)", ""]
	rows = []
	for rate in sorted({setting.base_per_day for setting, _outcomes in results}):
		for detector in detectors:
			total = Outcome()
			for setting, outcomes in results:
				if setting.base_per_day == rate and not setting.young:
					total.add(outcomes[detector])
			rows.append([f"{rate:g}", detector, str(total.bursts), *_scores(total)])
	lines += _table(["base/day", "detector", "bursts", *SCORE_HEADERS], rows)
	lines += ["", "**Per burst shape** (established keys, all base rates pooled)", ""]
	rows = []
	shapes = [("multiplier", f"{m:g}×", lambda s, m=m: s.multiplier == m) for m in MULTIPLIERS]
	shapes += [("hours", f"{h:g}", lambda s, h=h: s.burst_hours == h) for h in BURST_HOURS]
	for detector in detectors:
		for kind, label, chosen in shapes:
			total = Outcome()
			for setting, outcomes in results:
				if not setting.young and chosen(setting):
					total.add(outcomes[detector])
			rows.append([f"{kind} {label}", detector, str(total.bursts), *_scores(total)])
	lines += _table(["shape", "detector", "bursts", *SCORE_HEADERS], rows)
	shown = [detector for detector in (DETECTORS[0], DETECTORS[2]) if detector in detectors]
	lines += ["", "**Per setting** (" + " / ".join(shown) + ")", ""]
	rows = []
	for setting, outcomes in results:
		cells = [
			f"{setting.base_per_day:g}",
			"mixed" if setting.young else f"{setting.multiplier:g}×",
			"mixed" if setting.young else f"{setting.burst_hours:g}",
			"new" if setting.young else "old",
			str(outcomes[shown[0]].bursts),
		]
		for column in range(len(SCORE_HEADERS)):
			cells.append(" / ".join(_scores(outcomes[detector])[column] for detector in shown))
		rows.append(cells)
	lines += _table(["base/day", "burst", "hours", "key", "bursts", *SCORE_HEADERS], rows)
	return lines


def main(argv: Sequence[str] | None = None) -> None:
	"""Print the crisis-burst comparison of scan and detect (or, with --legacy, the old table)."""
	parser = argparse.ArgumentParser(prog="python3 -m complaint_response.rules.simulate")
	parser.add_argument("--seed", type=int, default=1)
	parser.add_argument("--keys", type=int, default=8, help="established keys per setting")
	parser.add_argument("--young-keys", type=int, default=27, help="new keys per base rate")
	parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="processes")
	parser.add_argument("--alpha", type=float, default=DEFAULT_SCAN.alpha, help="scan's alpha per check")
	parser.add_argument(
		"--min-history-hours", type=float, default=DEFAULT_SCAN.min_history_hours, help="scan's history floor"
	)
	parser.add_argument("--no-flat", action="store_true", help="skip scan without the profile")
	parser.add_argument("--legacy", action="store_true", help="the old table (detect, long spikes)")
	args = parser.parse_args(argv)
	if args.legacy:
		legacy_main()
		return
	detectors = [d for d in DETECTORS if not (args.no_flat and d == DETECTORS[1])]
	started = time.perf_counter()
	params = replace(DEFAULT_SCAN, alpha=args.alpha, min_history_hours=args.min_history_hours)
	results = simulate(args.seed, args.keys, args.young_keys, params, detectors=detectors, jobs=args.jobs)
	groups: dict[float, list[float]] = {}
	for hours, threshold in zip(params.windows_hours, params.window_thresholds, strict=True):
		groups.setdefault(threshold, []).append(hours)
	thresholds = "; ".join(
		f"{hours[0]:g}-{hours[-1]:g} h {threshold:.2g}"
		if len(hours) > 1
		else f"{hours[0]:g} h {threshold:.2g}"
		for threshold, hours in groups.items()
	)
	print(
		f"Crisis-shaped bursts, seed {args.seed}: {args.keys} keys per setting × {BURSTS_PER_KEY} bursts in "
		f"{SCORED_DAYS} days, {args.young_keys} new keys per base rate × 1 burst; checked hourly."
	)
	print(
		f"scan: windows {', '.join(f'{h:g}' for h in params.windows_hours)} h, baseline {params.baseline_days:g} d, "
		f"alpha {params.alpha:g} per check (per window: {thresholds}), min {params.min_count}, "
		f"ratio ≥ {params.min_ratio:g}, min history {params.min_history_hours:g} h; site profile estimated."
	)
	print()
	print("\n".join(report(results, detectors)))
	print()
	print(f"({time.perf_counter() - started:.1f} s wall, {args.jobs} processes)")


if __name__ == "__main__":
	main()
