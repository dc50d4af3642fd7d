"""Plain pytest tests for the multi-window spike scan (rules.detection.scan); no Frappe needed."""

import math
import random
from datetime import datetime, timedelta, timezone

import pytest

from complaint_response.rules.detection import (
	DEFAULT_SCAN,
	FLAT_PROFILE,
	HOURS_PER_WEEK,
	LONG_WINDOW_WEIGHT,
	ScanParams,
	SpikeResult,
	binomial_sf,
	build_profile,
	hour_of_week,
	profile_from_factors,
	scan,
	scan_all,
	spike_level,
)

MONDAY = datetime(2026, 3, 2)  # a Monday
NOW = MONDAY + timedelta(days=35, hours=15)  # Monday 6 April 2026, 15:00
KEY = ("item", "ITEM-001")


def steady(per_day: float, days: float, end: datetime = NOW) -> list[datetime]:
	"""Complaints evenly spaced at `per_day`, for `days` before `end` (none in the last gap)."""
	gap = timedelta(days=1) / per_day
	count = int(days * per_day)
	return [end - gap * (i + 0.5) for i in range(count)]


def burst(count: int, hours: float, end: datetime = NOW) -> list[datetime]:
	"""`count` complaints evenly spread over the `hours` before `end`."""
	return [end - timedelta(hours=hours) * (i + 0.5) / count for i in range(count)]


# Opening hours and a busy Monday: nights at a tenth of the daytime rate.
HOURS = tuple(0.1 if hour < 8 or hour >= 20 else (3.0 if 9 <= hour < 12 else 1.5) for hour in range(24))
WEEKDAYS = (2.0, 1.0, 1.0, 1.0, 1.0, 0.6, 0.6)
PROFILE = profile_from_factors(HOURS, WEEKDAYS)


def seasonal(per_week_hour: float, weeks: int, end: datetime, profile=PROFILE) -> list[datetime]:
	"""Deterministic traffic following `profile`: round(rate × weight) complaints in each hour, evenly
	spaced inside it, for `weeks` weeks before `end`."""
	times = []
	start = end - timedelta(weeks=weeks)
	for hour in range(weeks * HOURS_PER_WEEK):
		moment = start + timedelta(hours=hour)
		n = round(per_week_hour * profile[hour_of_week(moment)])
		times += [moment + timedelta(hours=(i + 0.5) / n) for i in range(n)]
	return times


# --- firing and staying silent ---------------------------------------------------------------------


def test_fires_on_a_clear_two_hour_burst():
	times = steady(12, 35) + burst(10, 2)
	result = scan(times, NOW, key=KEY)
	assert result is not None and result.is_spike
	assert result.window_hours <= 3
	assert result.count >= 10
	assert result.ratio >= 5
	assert result.p_value <= result.p_threshold


def test_stays_silent_on_steady_traffic():
	times = steady(12, 35)
	for hour in range(0, 24 * 7, 5):
		assert scan(times, NOW - timedelta(hours=hour)) is None


def test_seeded_poisson_traffic_does_not_fire():
	rng = random.Random(3)
	start = NOW - timedelta(days=35)
	times = [start + timedelta(days=35 * rng.random()) for _ in range(35 * 24)]  # 24/day, flat
	times.sort()
	checks = [NOW - timedelta(hours=hour) for hour in range(0, 7 * 24)]
	fired = [now for now in checks if scan([t for t in times if t <= now], now)]
	assert fired == []


def test_monday_morning_peak_is_no_spike_with_the_profile():
	monday_morning = MONDAY + timedelta(weeks=5, hours=11)
	times = seasonal(2.0, 5, monday_morning)
	assert scan(times, monday_morning, profile=PROFILE) is None
	# without the profile every Monday morning looks like a spike: the test above can fail
	flat = scan(times, monday_morning)
	assert flat is not None and flat.is_spike
	# ...and a real burst on top of the peak is still found with the profile
	peak_burst = scan(times + burst(25, 1, monday_morning), monday_morning, profile=PROFILE)
	assert peak_burst is not None and peak_burst.is_spike and peak_burst.window_hours == 1


def test_a_whole_week_of_seasonal_traffic_stays_silent_with_the_built_profile():
	end = MONDAY + timedelta(weeks=6)
	times = seasonal(2.0, 6, end)
	profile = build_profile([t for t in times if t < end - timedelta(weeks=1)])
	for hour in range(0, HOURS_PER_WEEK, 3):
		now = end - timedelta(hours=hour)
		assert scan([t for t in times if t <= now], now, profile=profile) is None, now


def test_night_burst_stands_out_with_the_profile():
	night = MONDAY + timedelta(weeks=5, days=2, hours=3)  # Wednesday 03:00
	times = seasonal(2.0, 5, night) + burst(6, 1, night)
	result = scan(times, night, profile=PROFILE)
	assert result is not None and result.is_spike and result.window_hours == 1


# --- history ---------------------------------------------------------------------------------------


def test_new_key_is_judged_on_its_observed_span():
	times = steady(10, 3) + burst(4, 24)  # three days at 10/day, a quiet-ish last day
	judged = scan(times, NOW, key=KEY, only_spikes=False)
	assert judged is not None and not judged.is_spike
	assert judged.baseline_hours <= 3 * 24
	assert judged.expected > 1
	# the same complaints judged against 28 days of zeros would be a spike
	as_old = scan(times, NOW, key=KEY, first_seen=NOW - timedelta(days=40))
	assert as_old is not None and as_old.is_spike
	assert as_old.baseline_hours == DEFAULT_SCAN.baseline_days * 24


def test_first_seen_extends_the_history_to_the_key_creation():
	times = steady(2, 10)
	result = scan(times, NOW, only_spikes=False, first_seen=NOW - timedelta(days=300))
	assert result.baseline_hours == DEFAULT_SCAN.baseline_days * 24


def test_brand_new_key_fires_on_a_clear_burst():
	result = scan(burst(6, 1), NOW, key=KEY)  # its first six complaints, all within the last hour
	assert result is not None and result.is_spike
	assert result.baseline_hours == pytest.approx(DEFAULT_SCAN.min_history_hours - 1)


@pytest.mark.parametrize(
	"times",
	[
		burst(3, 1),  # too few
		burst(4, 10),  # a few complaints over the morning
		burst(5, 5),  # one an hour since it appeared
		steady(24, 0.5),  # half a day at about one an hour
	],
)
def test_brand_new_key_does_not_fire_on_noise(times):
	assert scan(times, NOW) is None


def test_windows_longer_than_the_history_are_not_tested():
	result = scan(burst(6, 1), NOW, only_spikes=False)
	assert result.window_hours < DEFAULT_SCAN.min_history_hours
	assert scan([], NOW, ScanParams(windows_hours=(48,)), only_spikes=False) is None


# --- multiple windows ------------------------------------------------------------------------------


def test_more_windows_make_each_threshold_stricter():
	few = ScanParams(windows_hours=(1, 2))
	many = ScanParams(windows_hours=(1, 2, 4, 8, 24))
	assert few.window_thresholds[0] > many.window_thresholds[0]
	assert few.window_thresholds == pytest.approx((few.alpha / 2,) * 2)
	for params in (few, many, DEFAULT_SCAN):
		assert math.fsum(params.window_thresholds) == pytest.approx(params.alpha)


def test_long_windows_get_a_smaller_share_by_default():
	thresholds = dict(zip(DEFAULT_SCAN.windows_hours, DEFAULT_SCAN.window_thresholds, strict=True))
	assert thresholds[72] == pytest.approx(thresholds[1] * LONG_WINDOW_WEIGHT)
	assert DEFAULT_SCAN.window_threshold == min(thresholds.values())
	weighted = ScanParams(windows_hours=(1, 2), window_weights=(3, 1))
	assert weighted.window_thresholds == pytest.approx((0.75 * weighted.alpha, 0.25 * weighted.alpha))


def test_the_correction_changes_the_verdict():
	times = steady(12, 35) + burst(5, 1)
	p = scan(times, NOW, ScanParams(windows_hours=(1,), alpha=1.0)).p_value
	one = ScanParams(windows_hours=(1,), alpha=2 * p)
	four = ScanParams(windows_hours=(1, 2, 3, 4), alpha=2 * p)
	assert scan(times, NOW, one).is_spike
	assert scan(times, NOW, four) is None
	why = scan(times, NOW, four, only_spikes=False)
	assert any("above the threshold" in reason.template for reason in why.reasons)
	assert why.windows_tested == 4


def test_false_alerts_bound():
	assert DEFAULT_SCAN.false_alerts_bound() == pytest.approx(DEFAULT_SCAN.alpha * 90 * 24)
	assert ScanParams(alpha=1e-4).false_alerts_bound(days=30, checks_per_day=96) == pytest.approx(0.288)


@pytest.mark.parametrize(
	"kwargs",
	[
		{"windows_hours": ()},
		{"windows_hours": (2, 1)},
		{"windows_hours": (1, 0)},
		{"window_weights": (1, 2)},
		{"windows_hours": (1, 2), "window_weights": (1, 0)},
		{"alpha": 0},
		{"alpha": 2},
		{"min_count": 0},
		{"min_ratio": -1},
		{"baseline_days": 0},
		{"min_history_hours": 0},
	],
)
def test_scan_params_are_checked(kwargs):
	with pytest.raises(ValueError):
		ScanParams(**kwargs)


# --- explanation -----------------------------------------------------------------------------------


def test_result_explains_itself():
	times = steady(12, 35) + burst(10, 1)
	result = scan(times, NOW, key=KEY)
	assert result.key == KEY and result.is_spike
	assert result.window_hours == 1
	assert result.window_start == NOW - timedelta(hours=1)
	assert result.count == 10
	assert result.baseline_count in (12 * 28, 12 * 28 + 1)  # one complaint may sit on its start
	assert result.baseline_hours == 28 * 24
	assert result.expected == pytest.approx(12 / 24, rel=0.01)
	assert result.ratio == pytest.approx(result.count / result.expected)
	assert result.p_threshold == DEFAULT_SCAN.window_thresholds[0]
	assert result.windows_tested == len(DEFAULT_SCAN.windows_hours)
	assert len(result.reasons) == 1
	assert result.reasons[0].text() == (
		f"10 complaints about item ITEM-001 in 1 h; about 0.5 expected from the last 28.0 days "
		f"(p = {float(f'{result.p_value:.2g}')})"
	)
	level, _reasons = spike_level(result)
	assert level in ("I", "II", "III", "IV")


def test_non_spike_says_why():
	result = scan(steady(12, 35) + burst(3, 1), NOW, key=KEY, only_spikes=False)
	assert result is not None and not result.is_spike
	templates = [reason.template for reason in result.reasons[1:]]
	assert any("Fewer than" in template for template in templates)
	assert any("above the threshold" in template for template in templates)


def test_spike_result_keeps_its_old_constructor():
	result = SpikeResult(("item", "A"), 3, 1.0, 3.0, 0.08, False, ())
	assert (result.window_hours, result.baseline_hours, result.windows_tested) == (0.0, 0.0, 1)
	assert result.window_start is None


# --- input handling --------------------------------------------------------------------------------


def test_unsorted_input_and_later_times():
	times = steady(12, 35) + burst(10, 2)
	shuffled = list(times)
	random.Random(1).shuffle(shuffled)
	later = [NOW + timedelta(minutes=m) for m in range(1, 60, 3)]  # after now: ignored
	assert scan(shuffled + later, NOW) == scan(times, NOW)


def test_aware_datetimes_are_read_on_their_wall_clock():
	tz = timezone(timedelta(hours=8))
	naive = steady(12, 35) + burst(10, 2)
	aware = [t.replace(tzinfo=tz) for t in naive]
	a = scan(aware, NOW.replace(tzinfo=tz), profile=PROFILE, only_spikes=False)
	b = scan(naive, NOW, profile=PROFILE, only_spikes=False)
	seen = (a.count, a.expected, a.p_value, a.window_hours)
	assert seen == (b.count, b.expected, b.p_value, b.window_hours)


def test_bad_profiles_are_refused():
	with pytest.raises(ValueError):
		scan(steady(1, 30), NOW, profile=(1.0,) * 24)
	with pytest.raises(ValueError):
		scan(steady(1, 30), NOW, profile=(0.0,) + (1.0,) * 167)


def test_scan_all_sorts_like_detect():
	keys = {
		("item", "weak"): steady(12, 35) + burst(8, 2),
		("item", "strong"): steady(12, 35) + burst(30, 2),
		("item", "none"): steady(12, 35),
	}
	results = scan_all(keys, NOW)
	assert [r.key[1] for r in results] == ["strong", "weak"]
	everything = scan_all(keys, NOW, only_spikes=False)
	assert [r.key[1] for r in everything][-1] == "none"
	assert not everything[-1].is_spike


# --- binomial tail ---------------------------------------------------------------------------------


def direct_binomial_sf(k: int, n: int, p: float) -> float:
	"""Every pmf term from k to n, each from log C(n, j) (exact integer) and the powers in log space."""

	def log_pmf(j: int) -> float:
		power = (j * math.log(p) if j else 0.0) + ((n - j) * math.log1p(-p) if n - j else 0.0)
		return math.log(math.comb(n, j)) + power

	return math.fsum(math.exp(log_pmf(j)) for j in range(max(k, 0), n + 1))


@pytest.mark.parametrize(
	("k", "n", "p"),
	[(0, 5, 0.3), (1, 10, 0.2), (3, 10, 0.2), (2, 10, 0.2), (9, 10, 0.5), (10, 10, 0.9), (30, 400, 0.01)],
)
def test_binomial_sf_matches_the_direct_sum(k, n, p):
	assert binomial_sf(k, n, p) == pytest.approx(direct_binomial_sf(k, n, p), rel=1e-10, abs=1e-14)


def test_binomial_sf_edges_and_tiny_tails():
	assert binomial_sf(11, 10, 0.5) == 0.0
	assert binomial_sf(1, 10, 0.0) == 0.0
	assert binomial_sf(10, 10, 1.0) == 1.0
	tiny = binomial_sf(20, 2000, 0.001)
	assert 0 < tiny < 1e-10
	assert tiny == pytest.approx(direct_binomial_sf(20, 2000, 0.001), rel=1e-8)
	with pytest.raises(ValueError):
		binomial_sf(1, 10, 1.5)


# --- profiles --------------------------------------------------------------------------------------


def test_profile_from_factors():
	profile = profile_from_factors(HOURS, WEEKDAYS)
	assert len(profile) == HOURS_PER_WEEK
	assert math.fsum(profile) / HOURS_PER_WEEK == pytest.approx(1.0)
	assert profile[10] == pytest.approx(profile[24 + 10] * 2)  # Monday vs Tuesday, same hour
	assert profile[10] == pytest.approx(profile[3] * 30)  # 10:00 vs 03:00 on Monday
	with pytest.raises(ValueError):
		profile_from_factors(HOURS[:23], WEEKDAYS)


def test_build_profile_recovers_the_pattern():
	end = MONDAY + timedelta(weeks=8)
	times = seasonal(3.0, 8, end)
	built = build_profile(times, end - timedelta(weeks=8), end - timedelta(hours=1))
	assert len(built) == HOURS_PER_WEEK
	assert math.fsum(built) / HOURS_PER_WEEK == pytest.approx(1.0)
	# the shape is recovered (rounding the hourly counts and the floor keep it from being exact)
	assert max(built) == built[hour_of_week(MONDAY + timedelta(hours=10))]
	assert built[10] / built[24 + 10] == pytest.approx(2.0, rel=0.1)
	assert built[10] > 10 * built[3]


def test_build_profile_is_flat_for_uniform_or_no_complaints():
	uniform = [MONDAY + timedelta(hours=h + 0.5) for h in range(4 * HOURS_PER_WEEK)]
	assert build_profile(uniform) == pytest.approx(FLAT_PROFILE)
	assert build_profile([]) == FLAT_PROFILE


def test_build_profile_smoothing_and_floor():
	# ten complaints, all on Monday mornings: sparse data is pulled towards the flat profile
	times = [MONDAY + timedelta(weeks=w, hours=9, minutes=10 * i) for w in range(2) for i in range(5)]
	start, end = MONDAY, MONDAY + timedelta(weeks=2, hours=-1)
	smooth = build_profile(times, start, end, smoothing=50)
	sharp = build_profile(times, start, end, smoothing=0.5)
	assert max(smooth) < max(sharp)
	assert min(sharp) >= 0.05 * math.fsum(sharp) / HOURS_PER_WEEK * 0.999
	assert min(build_profile(times, start, end, smoothing=0.5, floor=0.2)) > min(sharp)
	with pytest.raises(ValueError):
		build_profile(times, floor=0)


def test_build_profile_counts_quiet_edges_of_the_period():
	times = [MONDAY + timedelta(days=d, hours=12) for d in range(7)]  # one a day at noon
	narrow = build_profile(times)  # first to last complaint
	wide = build_profile(times, MONDAY, MONDAY + timedelta(weeks=1, hours=-1))
	assert narrow != wide
	assert wide[12] == max(wide)
