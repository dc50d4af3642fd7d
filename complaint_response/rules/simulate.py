# Copyright (c) 2025, Complaint Response Contributors
# For license information, please see license.txt

"""Spike-detector simulator over synthetic complaint streams (plain Python, no Frappe).

Generates hourly Poisson complaint counts for K items over D days, each item with its own base rate,
injects spikes (an item's rate multiplied by m for h hours from a random start) and runs the detector the
way the scheduled job does: every hour, testing only the items that got new complaints in that hour,
a sliding window of `window_hours` against the `baseline_days` before it, with alerts de-duplicated by
:func:`~complaint_response.rules.detection.alert_key` and an open alert kept or escalated instead of
raising a new one. Window and baseline counts come from per-item prefix sums, so each test is O(1).

Scoring:

- an alert is true if it is for a spiked item and raised while the spike is in the window, i.e. at a run
  time t with start < t ≤ end + window_hours; precision = true alerts / all alerts;
- a spike is detected if the detector fires for its item in that span (a firing may update an alert that
  is already open); recall = detected spikes / spikes;
- time to detection = first firing time - spike start, in hours (at least 1: the job runs at the end of
  each hour).

Not modelled: daily and weekly seasonality, trends, and spikes shared by several items (a store or
category). Run ``python3 -m complaint_response.rules.simulate`` for a table over a few settings.
"""

import math
import random
import statistics
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from complaint_response.rules.detection import (
	DEFAULT_PARAMS,
	ESCALATE,
	SpikeParams,
	alert_key,
	decide,
	detect,
	spike_level,
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
# Command line
# ---------------------------------------------------------------------------


def _cell(value: float | None, digits: int = 2) -> str:
	return "-" if value is None else f"{value:.{digits}f}"


def _row(spike_hours: int, base_rate: float, multiplier: float, result: dict, seconds: float) -> str:
	cells = (
		f"{spike_hours:>7}",
		f"{base_rate:>8g}",
		f"{multiplier:>4g}",
		f"{result['alerts']:>6}",
		f"{_cell(result['precision']):>9}",
		f"{_cell(result['recall']):>6}",
		f"{_cell(result['mean_delay_h'], 1):>10}",
		f"{_cell(result['median_delay_h'], 1):>12}",
		f"{result['false_alarms_per_key_day']:>10.4f}",
		f"{seconds:>5.2f}",
	)
	return " ".join(cells)


def main(
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
				print(_row(spike_hours, base_rate, multiplier, result, time.process_time() - started))


if __name__ == "__main__":
	main()
