"""The spike-detector simulator on small seeded streams; no Frappe needed."""

import random
import statistics

import pytest

from complaint_response.rules.detection import SpikeParams
from complaint_response.rules.simulate import (
	Spike,
	Stream,
	generate,
	poisson_sample,
	run,
	run_job,
	score,
)

SEEDS = (1, 2, 3, 4)


def pooled(results: list[dict]) -> dict:
	spikes = sum(r["spikes"] for r in results)
	detected = sum(round(r["recall"] * r["spikes"]) for r in results)
	alerts = sum(r["alerts"] for r in results)
	true_alerts = sum(r["true_alerts"] for r in results)
	return {"recall": detected / spikes, "precision": true_alerts / alerts, "alerts": alerts}


def test_poisson_sample_mean_and_variance():
	rng = random.Random(5)
	for mu in (0.2, 3.0, 45.0):
		draws = [poisson_sample(rng, mu) for _ in range(4000)]
		assert statistics.fmean(draws) == pytest.approx(mu, rel=0.1)
		assert statistics.pvariance(draws) == pytest.approx(mu, rel=0.15)
	assert poisson_sample(rng, 0.0) == 0


def test_generate_injects_the_spikes():
	stream = generate(
		random.Random(3), items=6, days=35, spikes=3, multiplier=10.0, base_rate=4.0, spike_hours=12
	)
	assert len(stream.counts) == 6 and stream.hours == 35 * 24
	assert len(stream.spikes) == 3
	first = 24 + 28 * 24
	for spike in stream.spikes:
		assert spike.start >= first and spike.multiplier == 10.0
	spiked = sum(sum(stream.counts[s.item][s.start : s.end]) for s in stream.spikes)
	usual = sum(stream.rates[s.item] * s.hours for s in stream.spikes)
	assert spiked > 5 * usual
	for hour in (first, first + 50):
		assert set(stream.active[hour]) == {i for i in range(6) if stream.counts[i][hour]}


def test_too_many_spikes_for_the_stream_raises():
	with pytest.raises(ValueError):
		run(keys=2, days=30, spikes=5)


def test_scoring_by_hand():
	params = SpikeParams(window_hours=2, baseline_days=1, min_count=3)
	hours = 40
	quiet = [1 if h % 12 == 0 else 0 for h in range(hours)]  # 2 complaints a day
	loud = list(quiet)
	loud[30:32] = [3, 3]  # a spike in hours 30-31 of item 0
	counts = (tuple(loud), tuple(quiet))
	active = tuple(tuple(i for i in range(2) if counts[i][h]) for h in range(hours))
	stream = Stream(counts, (1 / 12, 1 / 12), (Spike(0, 30, 2, 5.0),), active)
	result = score(stream, run_job(stream, params), params)
	assert result["alerts"] == 1 and result["true_alerts"] == 1
	assert result["precision"] == 1.0 and result["recall"] == 1.0
	assert result["mean_delay_h"] == 1  # the run at the end of hour 30 sees the first 3 complaints


def test_detects_strong_spikes():
	results = [run(seed=s, keys=10, days=40, spikes=5, multiplier=8.0, spike_hours=24) for s in SEEDS]
	totals = pooled(results)
	assert totals["recall"] >= 0.8
	assert totals["precision"] >= 0.8
	delays = [r["mean_delay_h"] for r in results if r["mean_delay_h"] is not None]
	assert statistics.fmean(delays) <= 24
	assert all(r["median_delay_h"] <= 24 for r in results)
	assert all(r["suppressed_duplicates"] >= 0 for r in results)


def test_one_alert_per_spike_not_one_per_hour():
	result = run(seed=1, keys=10, days=40, spikes=5, multiplier=10.0, spike_hours=24)
	assert result["alerts"] <= result["spikes"] + 2
	assert result["tests"] > 10 * result["alerts"]


def test_no_real_spike_gives_few_alerts():
	results = [run(seed=s, keys=20, days=60, spikes=5, multiplier=1.0) for s in SEEDS]
	alerts_per_key_day = statistics.fmean(r["alerts_per_key_day"] for r in results)
	assert alerts_per_key_day < 0.01
	assert sum(r["true_alerts"] for r in results) <= 2


def test_runs_are_reproducible():
	assert run(seed=9, keys=5, days=35, spikes=2) == run(seed=9, keys=5, days=35, spikes=2)
