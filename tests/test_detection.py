"""Plain pytest tests for crisis detection; no Frappe needed."""

import itertools
import math
import random
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta, timezone

import pytest

from complaint_response.rules.detection import (
	ESCALATE,
	KEEP,
	MIN_EXPECTED,
	RAISE,
	CauseGroup,
	SpikeParams,
	alert_key,
	cusum,
	cusum_alarm,
	decide,
	detect,
	expected_in_window,
	group_by_cause,
	poisson_sf,
	spike_level,
	spike_test,
)

PARAMS = SpikeParams()  # 24 h window, 28 days baseline: expected = baseline / 28


def direct_sf(k: int, mu: float) -> float:
	return 1.0 - sum(math.exp(-mu) * mu**j / math.factorial(j) for j in range(k))


def direct_tail(k: int, mu: float, terms: int = 400) -> float:
	"""Sum of the Poisson pmf from k upwards, in log space (accurate for tiny tails)."""
	return sum(math.exp(j * math.log(mu) - mu - math.lgamma(j + 1)) for j in range(k, k + terms))


def normal_sf(k: int, mu: float) -> float:
	"""Normal approximation with continuity correction."""
	z = (k - 0.5 - mu) / math.sqrt(mu)
	return 0.5 * math.erfc(z / math.sqrt(2))


def poisson_draw(rng: random.Random, mu: float) -> int:
	limit, product, count = math.exp(-mu), rng.random(), 0
	while product > limit:
		count += 1
		product *= rng.random()
	return count


class GetOnlyMapping(Mapping):
	"""A baseline that may be looked up by key but not iterated, so detect cannot scan it."""

	def __init__(self, data: dict):
		self.data = data
		self.looked_up: list = []

	def __getitem__(self, key):
		self.looked_up.append(key)
		return self.data[key]

	def __iter__(self) -> Iterator:
		raise AssertionError("detect must not iterate over the baseline")

	def __len__(self) -> int:
		raise AssertionError("detect must not size the baseline")


# --- poisson_sf ------------------------------------------------------------------------------------


@pytest.mark.parametrize("k", range(7))
def test_poisson_sf_small_exact(k):
	assert poisson_sf(k, 2.0) == pytest.approx(direct_sf(k, 2.0), rel=1e-12, abs=1e-15)


def test_poisson_sf_known_values():
	assert poisson_sf(1, 2.0) == pytest.approx(1 - math.exp(-2))
	assert poisson_sf(3, 2.0) == pytest.approx(1 - 5 * math.exp(-2))


def test_poisson_sf_tiny_tail_keeps_relative_precision():
	assert poisson_sf(30, 2.0) == pytest.approx(direct_tail(30, 2.0), rel=1e-9)
	assert 0 < poisson_sf(30, 2.0) < 1e-20


def test_poisson_sf_edges():
	assert poisson_sf(0, 5.0) == 1.0
	assert poisson_sf(-3, 5.0) == 1.0
	assert poisson_sf(0, 0.0) == 1.0
	assert poisson_sf(1, 0.0) == 0.0
	with pytest.raises(ValueError):
		poisson_sf(1, -1.0)
	with pytest.raises(ValueError):
		poisson_sf(1, math.nan)


@pytest.mark.parametrize("k", [9800, 10000, 10100, 10200, 10300])
def test_poisson_sf_large_mu_close_to_normal(k):
	assert poisson_sf(k, 1e4) == pytest.approx(normal_sf(k, 1e4), abs=2e-3)


def test_poisson_sf_large_k_is_finite_and_tiny():
	value = poisson_sf(11000, 1e4)
	assert 0 <= value < 1e-15
	assert poisson_sf(9000, 1e4) == pytest.approx(1.0)


@pytest.mark.parametrize("mu", [0.3, 2.0, 25.0, 500.0, 1e4])
def test_poisson_sf_monotone_in_k(mu):
	step = max(1, int(math.sqrt(mu) / 5))
	ks = range(0, int(mu + 10 * math.sqrt(mu) + 10), step)
	values = [poisson_sf(k, mu) for k in ks]
	assert all(0.0 <= v <= 1.0 for v in values)
	assert all(a >= b for a, b in itertools.pairwise(values))
	assert values[0] == 1.0 and values[-1] < 1e-6


# --- spike test ------------------------------------------------------------------------------------


def test_params_validation():
	with pytest.raises(ValueError):
		SpikeParams(window_hours=0)
	with pytest.raises(ValueError):
		SpikeParams(min_count=0)
	with pytest.raises(ValueError):
		SpikeParams(p_threshold=0)
	with pytest.raises(ValueError):
		SpikeParams(min_ratio=-1)


def test_expected_scales_baseline_to_window_with_floor():
	assert expected_in_window(56) == pytest.approx(2.0)
	assert expected_in_window(56, SpikeParams(window_hours=12)) == pytest.approx(1.0)
	assert expected_in_window(0) == MIN_EXPECTED
	assert expected_in_window(1) == MIN_EXPECTED  # 1/28 is below the floor


def test_spike_min_count_boundary():
	# an empty baseline: expected is the floor, ratio and p are overwhelming; only min_count decides
	assert spike_test(4, 0, PARAMS).is_spike is False
	assert spike_test(5, 0, PARAMS).is_spike is True
	assert spike_test(4, 0, SpikeParams(min_count=4)).is_spike is True


def test_spike_min_ratio_boundary():
	# expected 10 per window: p is tiny well before the ratio reaches 3
	below, at = spike_test(29, 280, PARAMS), spike_test(30, 280, PARAMS)
	assert below.p_value < PARAMS.p_threshold and below.ratio < 3
	assert below.is_spike is False
	assert at.ratio == pytest.approx(3.0) and at.is_spike is True


def test_spike_p_threshold_boundary():
	# expected 2: ratio and count pass from 6 on, p decides (P(X>=8) ≈ 0.0011, P(X>=9) ≈ 0.00024)
	eight, nine = spike_test(8, 56, PARAMS), spike_test(9, 56, PARAMS)
	assert eight.ratio >= 3 and eight.count >= 5
	assert eight.p_value > 0.001 and eight.is_spike is False
	assert nine.p_value <= 0.001 and nine.is_spike is True
	assert spike_test(8, 56, SpikeParams(p_threshold=0.002)).is_spike is True


def test_spike_result_numbers_and_reasons():
	result = spike_test(12, 56, PARAMS, key=("item", "ITEM-001"))
	assert result.key == ("item", "ITEM-001")
	assert (result.count, result.expected, result.ratio) == (12, pytest.approx(2.0), pytest.approx(6.0))
	assert result.p_value == pytest.approx(direct_sf(12, 2.0), rel=1e-9)
	assert len(result.reasons) == 1
	text = result.reasons[0].text()
	assert text.startswith(
		"12 complaints about item ITEM-001 in 24 h; about 2.0 expected from the last 28 days"
	)


def test_not_a_spike_says_why():
	result = spike_test(3, 56, PARAMS, key=("store", "S1"))
	templates = [r.template for r in result.reasons[1:]]
	assert any("Fewer than" in t for t in templates)
	assert any("below {min_ratio}" in t for t in templates)
	assert any("above the threshold" in t for t in templates)


def test_spike_test_rejects_negative_counts():
	with pytest.raises(ValueError):
		spike_test(-1, 0)


# --- detect ----------------------------------------------------------------------------------------


def test_detect_evaluates_only_window_keys():
	baseline = GetOnlyMapping({("item", "A"): 28, ("item", "B"): 28, ("item", "Z"): 1000})
	window = {("item", "A"): 20, ("item", "B"): 1, ("store", "S1"): 6}
	results = detect(window, baseline, PARAMS, only_spikes=False)
	assert {r.key for r in results} == set(window)
	assert ("item", "Z") not in baseline.looked_up
	spikes = detect(window, baseline, PARAMS)
	assert [r.key for r in spikes] == [("item", "A"), ("store", "S1")]  # S1 has no baseline: expected 0.1


def test_detect_sorts_most_significant_first():
	window = {("item", "weak"): 10, ("item", "strong"): 40, ("item", "none"): 2, ("item", "mid"): 20}
	baseline = {("item", "weak"): 56, ("item", "strong"): 56, ("item", "none"): 56, ("item", "mid"): 56}
	results = detect(window, baseline, PARAMS, only_spikes=False)
	assert [r.key[1] for r in results] == ["strong", "mid", "weak", "none"]
	assert [r.is_spike for r in results] == [True, True, True, False]
	assert [r.p_value for r in results[:3]] == sorted(r.p_value for r in results[:3])


def test_detect_empty_window():
	assert detect({}, {("item", "A"): 5}) == []


def test_spike_level_grows_with_the_spike():
	small = spike_level(spike_test(9, 56, PARAMS, ("item", "A")))[0]
	large = spike_level(spike_test(60, 56, PARAMS, ("item", "A")))[0]
	assert is_more_or_equally_severe(large, small)
	assert large == "I"


def is_more_or_equally_severe(a: str, b: str) -> bool:
	return ("I", "II", "III", "IV").index(a) <= ("I", "II", "III", "IV").index(b)


# --- CUSUM -----------------------------------------------------------------------------------------


def test_cusum_flat_data_never_alarms():
	assert cusum([10] * 200, 10.0) == [0.0] * 200
	assert cusum_alarm([10] * 200, 10.0) is None


def test_cusum_seeded_in_control_data_does_not_alarm():
	rng = random.Random(7)
	counts = [poisson_draw(rng, 20.0) for _ in range(150)]
	assert cusum_alarm(counts, 20.0) is None


def test_cusum_alarms_soon_after_a_step_change():
	rng = random.Random(11)
	before = [poisson_draw(rng, 20.0) for _ in range(100)]
	after = [poisson_draw(rng, 35.0) for _ in range(50)]
	alarm = cusum_alarm(before + after, 20.0)
	assert alarm is not None
	assert 100 <= alarm <= 110


def test_cusum_statistic_by_hand_and_restart():
	# expected 4 (sd 2), k 0.5: z - k = (x - 4) / 2 - 0.5
	assert cusum([8, 8, 0, 8], 4.0, k=0.5, h=100) == pytest.approx([1.5, 3.0, 0.5, 2.0])
	path = cusum([14, 14, 4], 4.0, k=0.5, h=4.0)  # 4.5 ≥ h: alarm, then restart from 0
	assert path == pytest.approx([4.5, 4.5, 0.0])
	assert cusum_alarm([4, 14, 14], 4.0, k=0.5, h=4.0) == 1


def test_cusum_rejects_bad_parameters():
	with pytest.raises(ValueError):
		cusum([1], -1.0)
	with pytest.raises(ValueError):
		cusum([1], 1.0, h=0)


# --- alert keys ------------------------------------------------------------------------------------


def test_alert_key_format():
	key = alert_key("spike", "item", "ITEM-001", datetime(2026, 11, 23, 14, 30))
	assert key == "spike:item:ITEM-001:2026-11-23"


def test_alert_key_stable_within_a_window():
	day = datetime(2026, 11, 23)
	keys = {alert_key("spike", "item", "ITEM-001", day + timedelta(minutes=m)) for m in range(0, 24 * 60, 17)}
	assert keys == {"spike:item:ITEM-001:2026-11-23"}


def test_alert_key_differs_across_windows_and_causes():
	day = datetime(2026, 11, 23, 23, 59)
	assert alert_key("spike", "item", "A", day) != alert_key("spike", "item", "A", day + timedelta(minutes=1))
	assert alert_key("spike", "item", "A", day) != alert_key("spike", "store", "A", day)
	assert alert_key("spike", "item", "A", day) != alert_key("group", "item", "A", day)
	assert alert_key("spike", "item", "A", day) != alert_key("spike", "item", "B", day)


def test_alert_key_shorter_buckets():
	start = datetime(2026, 11, 23, 7, 45)
	assert alert_key("spike", "item", "A", start, window_hours=6) == "spike:item:A:2026-11-23T06"
	assert alert_key("spike", "item", "A", start.replace(hour=11), 6) == "spike:item:A:2026-11-23T06"
	assert alert_key("spike", "item", "A", start.replace(hour=12), 6) == "spike:item:A:2026-11-23T12"


def test_alert_key_aware_datetime_uses_utc():
	local = datetime(2026, 11, 24, 2, 0, tzinfo=timezone(timedelta(hours=8)))
	assert alert_key("spike", "item", "A", local).endswith(":2026-11-23")


def test_alert_key_long_values_stay_short_and_distinct():
	day = datetime(2026, 11, 23)
	a = alert_key("group", "cause", "x" * 300 + "a", day)
	b = alert_key("group", "cause", "x" * 300 + "b", day)
	assert len(a) <= 140 and len(b) <= 140
	assert a != b
	assert a.endswith(":2026-11-23")


# --- decide ----------------------------------------------------------------------------------------


def test_decide():
	assert decide(None, "III") == RAISE
	assert decide("III", "II") == ESCALATE
	assert decide("III", "III") == KEEP
	assert decide("II", "IV") == KEEP
	with pytest.raises(ValueError):
		decide(None, "V")


# --- group complaints ------------------------------------------------------------------------------


def complaint(name: str, cause: str = "", category: str = "Quality", item: str = "ITEM-1") -> dict:
	return {"name": name, "category": category, "item": item, "store": "S1", "cause": cause}


def test_group_by_cause_finds_groups_of_n():
	complaints = [
		complaint("C1", "Spoiled milk batch 42"),
		complaint("C2", " spoiled  milk batch 42 "),
		complaint("C3", "Spoiled Milk Batch 42"),
		complaint("C4", "Late delivery"),
		complaint("C5", "Late delivery"),
	]
	groups = group_by_cause(complaints, 3)
	assert groups == [CauseGroup("cause", "Spoiled milk batch 42", ("C1", "C2", "C3"))]
	assert groups[0].count == 3
	assert [g.value for g in group_by_cause(complaints, 2)] == ["Spoiled milk batch 42", "Late delivery"]


def test_group_by_cause_falls_back_to_category_and_item():
	complaints = [
		complaint("C1", category="Quality", item="ITEM-7"),
		complaint("C2", category="Quality", item="ITEM-7"),
		complaint("C3", "Known cause", category="Quality", item="ITEM-7"),
		complaint("C4", category="Quality", item="ITEM-8"),
		complaint("C5", category="", item=""),
		complaint("C6", category="", item=""),
	]
	groups = group_by_cause(complaints, 2)
	assert groups == [CauseGroup("category_item", "Quality/ITEM-7", ("C1", "C2"))]


def test_group_by_cause_rejects_small_n():
	with pytest.raises(ValueError):
		group_by_cause([], 1)
