"""The spike-detector simulators on small seeded streams; no Frappe needed."""

import math
import random
import statistics
import time

import pytest

from complaint_response.rules.detection import HOURS_PER_WEEK, ScanParams, SpikeParams
from complaint_response.rules.simulate import (
	DETECTORS,
	MIN_EXTRA,
	SITE_PROFILE,
	Burst,
	KeyStream,
	Outcome,
	Setting,
	Spike,
	Stream,
	check_key,
	generate,
	generate_key,
	poisson_sample,
	report,
	run,
	run_job,
	score,
	score_key,
	simulate,
	site_profile,
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


# --- crisis-shaped bursts: scan against detect -------------------------------------------------------

LOOKBACK = 31 * 24


def test_generated_key_has_crisis_shaped_bursts():
	rng = random.Random(4)
	stream = generate_key(rng, Setting(12.0, 10.0, 2.0), 0, LOOKBACK)
	assert list(stream.times) == sorted(stream.times)
	assert stream.first_check == LOOKBACK + 1
	assert len(stream.bursts) == 3
	for burst in stream.bursts:
		assert len(burst.extra) >= MIN_EXTRA
		assert all(burst.start <= t < burst.end for t in burst.extra)
		assert burst.start <= burst.fifth < burst.end
		assert burst.start > LOOKBACK and burst.end + 24 < stream.hours
	extra = {t for burst in stream.bursts for t in burst.extra}
	assert extra <= set(stream.times)
	per_day = (len(stream.times) - len(extra)) / (stream.hours / 24)
	assert per_day == pytest.approx(12.0, rel=0.1)


def test_new_key_starts_without_history():
	rng = random.Random(5)
	stream = generate_key(rng, Setting(24.0, young=True), 4, LOOKBACK)
	assert stream.times[0] >= stream.first_check - 1 > LOOKBACK
	(burst,) = stream.bursts
	assert 2 <= burst.start - (stream.first_check - 1) <= 14 * 24
	assert (burst.multiplier, burst.hours) == (10.0, 2.0)  # the index picks the shape


def test_site_profile_follows_the_pattern():
	profile = site_profile(1)
	assert len(profile) == HOURS_PER_WEEK
	assert math.fsum(profile) / HOURS_PER_WEEK == pytest.approx(1.0)
	assert profile[10] > 5 * profile[3]  # Monday 10:00 against Monday 03:00
	assert profile[10] > profile[24 * 6 + 10]  # Monday against Sunday
	assert max(abs(a - b) for a, b in zip(profile, SITE_PROFILE, strict=True)) < 0.5


def test_score_key_by_hand():
	burst = Burst(start=100.5, hours=2.0, multiplier=10.0, extra=(100.6, 100.8, 101.0, 101.2, 101.4, 102.0))
	stream = KeyStream(times=(50.0, *burst.extra, 300.0), bursts=(burst,), first_check=11, hours=400)
	# fires at 102 (first check after the 5th extra, at 101.4: delay 0) and 103 (same alert), and at 250
	outcome = score_key(stream, [102, 103, 250])
	assert (outcome.alerts, outcome.false_alerts, outcome.delays) == (2, 1, [0])
	assert outcome.recall == 1.0 and outcome.precision == 0.5 and outcome.at_first_check == 1.0
	assert outcome.quiet_hours == (400 - 11 + 1) - (102.5 + 24 - 100.5)
	late = score_key(stream, [105])
	assert late.delays == [3] and late.at_first_check == 0.0
	missed = score_key(stream, [130])  # after the burst's span: a false alert, the burst is missed
	assert (missed.delays, missed.false_alerts, missed.recall) == ([], 1, 0.0)
	assert missed.false_per_key_90d == pytest.approx(2160 / missed.quiet_hours)


def test_outcome_quantiles():
	outcome = Outcome(bursts=10, delays=[0, 0, 0, 1, 1, 2, 5, 9])
	assert outcome.delay(0.5) == 1 and outcome.delay(0.9) == 9
	assert outcome.recall == 0.8 and outcome.at_first_check == 0.3
	assert Outcome().recall is None and Outcome().delay(0.5) is None


def test_scan_catches_what_detect_misses_on_a_small_stream():
	rng = random.Random(2)
	stream = generate_key(rng, Setting(24.0, 20.0, 1.0), 0, LOOKBACK)
	profile = site_profile(2)
	caught = score_key(stream, check_key(stream, ScanParams(), profile))
	old = score_key(stream, check_key(stream, ScanParams(), profile, SpikeParams()))
	assert caught.recall == 1.0 and caught.at_first_check >= 2 / 3
	assert caught.false_alerts == 0
	assert old.recall < caught.recall


def test_simulator_smoke_is_fast_and_reproducible():
	settings = [Setting(12.0, 20.0, 1.0), Setting(4.0, young=True)]
	started = time.perf_counter()
	results = simulate(seed=3, keys=1, young_keys=2, settings=settings)
	assert time.perf_counter() - started < 5
	assert [setting for setting, _outcomes in results] == settings
	for _setting, outcomes in results:
		assert set(outcomes) == set(DETECTORS)
		assert outcomes[DETECTORS[0]].bursts in (3, 2)
	again = simulate(seed=3, keys=1, young_keys=2, settings=settings)
	assert [o[DETECTORS[0]].delays for _s, o in again] == [o[DETECTORS[0]].delays for _s, o in results]
	lines = report(results, DETECTORS)
	assert lines[0].startswith("**Overall**")
	assert any(line.startswith("| scan | established keys | 3 |") for line in lines)
	assert any(line.startswith("| 12 | 20× | 1 | old | 3 |") for line in lines)
