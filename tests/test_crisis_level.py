"""Plain pytest tests for crisis levels and the risk matrix; no Frappe needed."""

import pytest

from complaint_response.rules.crisis_level import (
	DEFAULT_MATRIX,
	LEVEL_LABELS,
	LEVELS,
	RiskMatrix,
	is_escalation,
	level_for,
	matrix_from_rows,
	more_severe,
	suggest_scores,
	validate_matrix,
)
from complaint_response.rules.grading import Reason


def product_level(likelihood: int, impact: int) -> str:
	product = likelihood * impact
	return "I" if product >= 20 else "II" if product >= 12 else "III" if product >= 6 else "IV"


def default_rows() -> list[tuple[int, int, str]]:
	return DEFAULT_MATRIX.rows()


def replaced(rows: list[tuple], likelihood: int, impact: int, level: object) -> list[tuple]:
	return [(l, i, level if (l, i) == (likelihood, impact) else v) for l, i, v in rows]


# --- levels ----------------------------------------------------------------------------------------


def test_levels_and_labels():
	assert LEVELS == ("I", "II", "III", "IV")
	assert set(LEVEL_LABELS) == set(LEVELS)
	assert LEVEL_LABELS["I"] == ("Major", "重大")
	assert LEVEL_LABELS["IV"][1] == "轻微"


def test_more_severe_and_escalation():
	assert more_severe("III", "I") == "I"
	assert more_severe("II", "IV") == "II"
	assert more_severe("III", "III") == "III"
	assert is_escalation("III", "II") is True
	assert is_escalation("II", "II") is False
	assert is_escalation("I", "IV") is False


def test_unknown_level_raises():
	with pytest.raises(ValueError):
		more_severe("V", "I")
	with pytest.raises(ValueError):
		is_escalation("I", "major")


# --- default matrix --------------------------------------------------------------------------------


def test_default_matrix_corners():
	assert level_for(1, 1) == "IV"
	assert level_for(5, 5) == "I"
	assert level_for(1, 5) == "IV"
	assert level_for(5, 1) == "IV"


def test_default_matrix_matches_score_product():
	for likelihood in range(1, 6):
		for impact in range(1, 6):
			assert level_for(likelihood, impact) == product_level(likelihood, impact), (likelihood, impact)


def test_default_matrix_is_monotonic():
	for likelihood in range(1, 6):
		for impact in range(1, 6):
			level = level_for(likelihood, impact)
			if likelihood < 5:
				assert not is_escalation(level_for(likelihood + 1, impact), level)
			if impact < 5:
				assert not is_escalation(level_for(likelihood, impact + 1), level)


def test_default_matrix_is_valid_and_round_trips():
	rows = default_rows()
	assert len(rows) == 25
	assert validate_matrix(rows) == []
	assert RiskMatrix.from_rows(rows) == DEFAULT_MATRIX


@pytest.mark.parametrize("scores", [(0, 3), (6, 3), (3, 0), (3, 6), (-1, 1)])
def test_level_for_out_of_range(scores):
	with pytest.raises(ValueError):
		level_for(*scores)


def test_level_for_rejects_non_integers():
	with pytest.raises(ValueError):
		level_for(2.5, 3)
	with pytest.raises(ValueError):
		level_for(True, 3)


# --- custom matrices -------------------------------------------------------------------------------


def test_from_rows_uses_the_given_cells_in_any_order():
	rows = replaced(default_rows(), 3, 3, "II")
	matrix = RiskMatrix.from_rows(reversed(rows))
	assert level_for(3, 3, matrix) == "II"
	assert level_for(3, 3) == "III"


def test_validate_catches_non_monotonic_cell():
	problems = validate_matrix(replaced(default_rows(), 5, 5, "IV"))
	assert len(problems) == 2  # less severe than both (4, 5) and (5, 4)
	assert all(p.startswith("Likelihood 5, impact 5 is level IV") for p in problems)


def test_validate_catches_too_severe_low_cell():
	problems = validate_matrix(replaced(default_rows(), 1, 1, "I"))
	assert len(problems) == 2  # (1, 2) and (2, 1) are now less severe than their lower neighbour
	assert any("Likelihood 1, impact 2" in p for p in problems)
	assert any("Likelihood 2, impact 1" in p for p in problems)


def test_validate_catches_unknown_level_and_missing_cell():
	problems = validate_matrix(replaced(default_rows(), 2, 2, "V"))
	assert any('unknown level "V"' in p for p in problems)
	assert any("Missing cells" in p and "(2, 2)" in p for p in problems)


def test_validate_catches_out_of_range_and_duplicate():
	rows = [*default_rows(), (6, 1, "IV"), (1, 1, "IV")]
	problems = validate_matrix(rows)
	assert any("from 1 to 5" in p for p in problems)
	assert any("more than once" in p for p in problems)


def test_validate_reports_malformed_row_and_translates():
	problems = validate_matrix([*default_rows(), (1, 2)], translate=lambda s: "[zh] " + s)
	assert problems == ["[zh] Row 26: expected likelihood, impact and level"]


def test_from_rows_raises_on_bad_grid():
	with pytest.raises(ValueError, match="Invalid risk matrix"):
		RiskMatrix.from_rows(replaced(default_rows(), 5, 5, "IV"))
	with pytest.raises(ValueError):
		RiskMatrix.from_rows(default_rows()[:-1])


def test_constructor_rejects_bad_shape_and_non_monotonic_grid():
	with pytest.raises(ValueError):
		RiskMatrix((("IV",) * 5,) * 4)
	with pytest.raises(ValueError):
		RiskMatrix((("I", "IV", "IV", "IV", "IV"),) + (("IV",) * 5,) * 4)


def test_matrix_from_rows_falls_back_to_default():
	assert matrix_from_rows([]) == (DEFAULT_MATRIX, [])
	matrix, problems = matrix_from_rows(replaced(default_rows(), 5, 5, "IV"))
	assert matrix == DEFAULT_MATRIX
	assert problems
	custom = replaced(default_rows(), 3, 3, "II")
	assert matrix_from_rows(custom) == (RiskMatrix.from_rows(custom), [])


# --- suggested scores ------------------------------------------------------------------------------


def test_suggest_scores_quiet_single_complaint_is_minor():
	likelihood, impact, reasons = suggest_scores(1, 1.0, 1, severe=False, group=False)
	assert (likelihood, impact) == (1, 1)
	assert level_for(likelihood, impact) == "IV"
	assert all(isinstance(r, Reason) for r in reasons)


def test_suggest_scores_large_spike_is_major():
	likelihood, impact, reasons = suggest_scores(40, 2.0, 0, severe=False, group=False)
	assert (likelihood, impact) == (5, 4)
	assert level_for(likelihood, impact) == "I"
	assert reasons[0].params["ratio"] == 20.0


def test_suggest_scores_caps_likelihood_on_few_complaints():
	likelihood, _impact, reasons = suggest_scores(2, 0.1, 2, severe=False, group=False)
	assert likelihood == 2
	assert any("at most" in r.template for r in reasons)


def test_suggest_scores_nothing_expected():
	likelihood, _impact, reasons = suggest_scores(12, 0.0, 0, severe=False, group=False)
	assert likelihood == 5
	assert "none were expected" in reasons[0].text()


def test_suggest_scores_severe_and_group_floors():
	assert suggest_scores(1, 1.0, 1, severe=True, group=False)[:2] == (3, 4)
	assert suggest_scores(1, 1.0, 6, severe=False, group=True)[:2] == (3, 3)
	assert suggest_scores(1, 1.0, 6, severe=True, group=True)[:2] == (3, 5)
	assert level_for(*suggest_scores(1, 1.0, 1, severe=True, group=False)[:2]) == "II"


def test_suggest_scores_impact_from_affected_customers():
	assert suggest_scores(1, 1.0, 150, severe=False, group=False)[1] == 5
	assert suggest_scores(1, 1.0, 30, severe=False, group=False)[1] == 4
	assert suggest_scores(12, 1.0, 0, severe=False, group=False)[1] == 3


def test_suggest_scores_grow_with_numbers():
	previous = (0, 0)
	for count in (1, 3, 6, 12, 30, 60, 120):
		likelihood, impact, _reasons = suggest_scores(count, 1.0, 0, severe=False, group=False)
		assert likelihood >= previous[0] and impact >= previous[1]
		previous = (likelihood, impact)
	assert previous == (5, 5)


def test_suggest_scores_reasons_format():
	_likelihood, _impact, reasons = suggest_scores(9, 3.0, 0, severe=False, group=False)
	assert reasons[0].text() == "9 complaints against about 3.0 expected (3.0 times): likelihood 3"


def test_suggest_scores_rejects_negative():
	with pytest.raises(ValueError):
		suggest_scores(-1, 1.0, 0, severe=False, group=False)
