"""The measured effect of an improvement action and its moves (rules/effect.py), checked by hand."""

import math

import pytest

from complaint_response.rules import effect as e


def test_binomial_cdf_by_hand():
	# 23 complaints in all, equal windows: P(X <= 3) = (1 + 23 + 253 + 1771) / 2**23 = 2**11 / 2**23
	assert e.binomial_cdf(3, 23, 0.5) == pytest.approx(2**-12, rel=1e-12)
	assert e.binomial_cdf(0, 5, 0.5) == pytest.approx(1 / 32)
	assert e.binomial_cdf(5, 5, 0.3) == 1.0
	assert e.binomial_cdf(-1, 5, 0.3) == 0.0
	# against the plain sum for an unequal split
	n, p = 30, 0.25
	plain = sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(8))
	assert e.binomial_cdf(7, n, p) == pytest.approx(plain, rel=1e-12)


def test_large_counts_stay_finite():
	# 10,000 complaints: the terms underflow one by one but the log sum does not
	p = e.poisson_rate_p_value(6000, 90, 2000, 60)
	assert 0.0 <= p < 1e-10
	# equal counts in equal windows: P(X <= 600), X ~ Bin(1200, 1/2) = 1/2 + P(X = 600) / 2
	assert e.poisson_rate_p_value(600, 60, 600, 60) == pytest.approx(
		0.5 + math.comb(1200, 600) / 2**1201, rel=1e-9
	)


def test_twenty_before_three_after_is_effective():
	found = e.measure(20, 30, 3, 30)
	assert found.verdict == e.EFFECTIVE
	assert found.p_value == pytest.approx(2**-12, rel=1e-12)  # 0.000244
	assert found.rate_ratio == pytest.approx(0.15)
	assert found.before_rate == pytest.approx(20) and found.after_rate == pytest.approx(3)
	assert "15%" in found.note.text()


def test_twenty_before_eighteen_after_is_not_effective():
	found = e.measure(20, 30, 18, 30)
	# P(X <= 18), X ~ Bin(38, 1/2) = (1 - P(X = 19)) / 2 by symmetry
	by_hand = (1 - math.comb(38, 19) / 2**38) / 2
	assert found.p_value == pytest.approx(by_hand, rel=1e-12)  # 0.4357
	assert found.rate_ratio == pytest.approx(0.9)
	assert found.verdict == e.NOT_EFFECTIVE
	assert "could be chance" in found.note.text()


def test_unequal_windows():
	# 90 days before, 60 after: the same daily rate is ratio 1, not effective
	found = e.measure(30, 90, 20, 60)
	assert found.rate_ratio == pytest.approx(1.0)
	assert found.verdict == e.NOT_EFFECTIVE
	assert found.p_value == pytest.approx(e.binomial_cdf(20, 50, 0.4))


def test_a_rise_is_not_effective():
	found = e.measure(5, 30, 12, 30)
	assert found.rate_ratio > 1 and found.verdict == e.NOT_EFFECTIVE
	assert "did not fall" in found.note.text()


def test_zero_counts():
	none = e.measure(0, 30, 0, 30)
	assert none.verdict == e.NOT_EFFECTIVE and none.rate_ratio is None and none.p_value == 1.0
	assert "nothing to reduce" in none.note.text()
	only_after = e.measure(0, 30, 4, 30)
	assert only_after.verdict == e.NOT_EFFECTIVE and only_after.rate_ratio is None
	# 5 before, none after, equal windows: p = (1/2)**5 = 0.03125 < 0.05
	gone = e.measure(5, 30, 0, 30)
	assert gone.rate_ratio == 0 and gone.p_value == pytest.approx(1 / 32) and gone.verdict == e.EFFECTIVE
	# 4 before, none after: p = 1/16 is not below 0.05
	assert e.measure(4, 30, 0, 30).verdict == e.NOT_EFFECTIVE


def test_alpha_is_configurable():
	assert e.measure(4, 30, 0, 30, alpha=0.1).verdict == e.EFFECTIVE
	assert e.measure(20, 30, 3, 30, alpha=0.0001).verdict == e.NOT_EFFECTIVE


def test_bad_inputs_are_refused():
	with pytest.raises(ValueError):
		e.poisson_rate_p_value(-1, 30, 0, 30)
	with pytest.raises(ValueError):
		e.poisson_rate_p_value(1, 30, 0, 0)


def test_moves():
	ready = e.ActionFacts(True, True, True, True, True)
	assert e.check_move(e.OPEN, e.PLANNED, ready) == []
	assert e.check_move(e.OPEN, e.EFFECTIVE, ready)[0].text() == (
		"An improvement action cannot move from Open to Effective."
	)
	assert len(e.check_move(e.OPEN, e.PLANNED, e.ActionFacts())) == 3
	assert e.check_move(e.IN_PROGRESS, e.IMPLEMENTED, e.ActionFacts())
	assert e.check_move(e.VERIFYING, e.EFFECTIVE, e.ActionFacts(effect_measured=False))
	assert e.check_move(e.VERIFYING, e.NOT_EFFECTIVE, ready) == []
	assert e.check_move(e.NOT_EFFECTIVE, e.IN_PROGRESS, e.ActionFacts()) == []
	assert e.next_statuses(e.VERIFYING) == [e.EFFECTIVE, e.NOT_EFFECTIVE]
	assert set(e.STATUS_ZH) == set(e.STATUSES)
	assert {s for move in e.MOVES for s in move} == set(e.STATUSES)
