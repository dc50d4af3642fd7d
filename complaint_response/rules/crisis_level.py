# Copyright (c) 2025, Complaint Response Contributors
# For license information, please see license.txt

"""Crisis alert levels (危机预警分级) from a likelihood × impact risk matrix.

Plain Python (no Frappe import). An alert has one of four levels, "I" being the most severe:
I 重大 (major), II 较大 (serious), III 一般 (moderate), IV 轻微 (minor). The level is read from a 5×5
risk matrix indexed by a likelihood score (可能性) and an impact score (影响程度), each 1..5.

The Frappe layer keeps the matrix in a settings child table of (likelihood, impact, level) rows, checks
it with :func:`validate_matrix` when the settings are saved and builds it with :meth:`RiskMatrix.from_rows`
(or :func:`matrix_from_rows`, which falls back to :data:`DEFAULT_MATRIX`). The detection job turns its
numbers into scores with :func:`suggest_scores` and shows the returned reasons on the alert, translating
each one with ``reason.text(frappe._)``.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from complaint_response.rules.grading import Reason


def _(text: str) -> str:
	"""Mark `text` as a translatable template; Frappe translates it later with `frappe._`."""
	return text


Translate = Callable[[str], str]

LEVELS: tuple[str, ...] = ("I", "II", "III", "IV")  # most severe first
LEVEL_LABELS: dict[str, tuple[str, str]] = {
	"I": (_("Major"), "重大"),
	"II": (_("Serious"), "较大"),
	"III": (_("Moderate"), "一般"),
	"IV": (_("Minor"), "轻微"),
}
SCORES: tuple[int, ...] = (1, 2, 3, 4, 5)


# ---------------------------------------------------------------------------
# Level order
# ---------------------------------------------------------------------------


def check_level(level: str) -> None:
	if level not in LEVELS:
		raise ValueError(f'Unknown crisis level "{level}"; expected one of {", ".join(LEVELS)}')


def _rank(level: str) -> int:
	"""0 for the most severe level ("I"), 3 for the least severe ("IV")."""
	check_level(level)
	return LEVELS.index(level)


def more_severe(a: str, b: str) -> str:
	"""The more severe of two levels (`a` if they are equal)."""
	return a if _rank(a) <= _rank(b) else b


def is_escalation(old: str, new: str) -> bool:
	"""True if `new` is strictly more severe than `old`."""
	return _rank(new) < _rank(old)


# ---------------------------------------------------------------------------
# Risk matrix
# ---------------------------------------------------------------------------


def _is_score(value: object) -> bool:
	return isinstance(value, int) and not isinstance(value, bool) and value in SCORES


def _row_problems(rows: Iterable[tuple]) -> tuple[dict[tuple[int, int], str], list[tuple[str, dict]]]:
	"""Read the rows into a {(likelihood, impact): level} dict, collecting per-row problems."""
	cells: dict[tuple[int, int], str] = {}
	problems: list[tuple[str, dict]] = []
	for number, row in enumerate(rows, start=1):
		try:
			likelihood, impact, level = row
		except (TypeError, ValueError):
			problems.append((_("Row {row}: expected likelihood, impact and level"), {"row": number}))
			continue
		if not _is_score(likelihood) or not _is_score(impact):
			problems.append(
				(
					_(
						"Row {row}: likelihood and impact must be whole numbers from 1 to 5, not {likelihood} and {impact}"
					),
					{"row": number, "likelihood": likelihood, "impact": impact},
				)
			)
			continue
		if level not in LEVELS:
			problems.append(
				(
					_('Row {row}: unknown level "{level}"; expected one of {allowed}'),
					{"row": number, "level": level, "allowed": ", ".join(LEVELS)},
				)
			)
			continue
		if (likelihood, impact) in cells:
			problems.append(
				(
					_("Row {row}: likelihood {likelihood}, impact {impact} is given more than once"),
					{"row": number, "likelihood": likelihood, "impact": impact},
				)
			)
			continue
		cells[(likelihood, impact)] = level
	return cells, problems


def _missing_problems(cells: dict[tuple[int, int], str]) -> list[tuple[str, dict]]:
	missing = [(l, i) for l in SCORES for i in SCORES if (l, i) not in cells]
	if not missing:
		return []
	listed = ", ".join(f"({l}, {i})" for l, i in missing)
	return [(_("Missing cells (likelihood, impact): {cells}"), {"cells": listed})]


def _monotonic_problems(cells: dict[tuple[int, int], str]) -> list[tuple[str, dict]]:
	"""A cell must be at least as severe as its neighbours with a lower likelihood or a lower impact.

	Checking the two neighbours is enough: by transitivity it covers every cell with lower-or-equal scores
	once the grid is complete, and it reports a wrong cell once or twice instead of once per other cell.
	"""
	problems = []
	for (likelihood, impact), level in sorted(cells.items()):
		for other in ((likelihood - 1, impact), (likelihood, impact - 1)):
			other_level = cells.get(other)
			if other_level is not None and is_escalation(level, other_level):
				problems.append(
					(
						_(
							"Likelihood {likelihood}, impact {impact} is level {level}, less severe than level {other_level} at likelihood {other_likelihood}, impact {other_impact}"
						),
						{
							"likelihood": likelihood,
							"impact": impact,
							"level": level,
							"other_level": other_level,
							"other_likelihood": other[0],
							"other_impact": other[1],
						},
					)
				)
	return problems


def validate_matrix(rows: Iterable[tuple], translate: Translate = lambda s: s) -> list[str]:
	"""Problems with a matrix given as (likelihood, impact, level) rows (empty if usable); never raises.

	Reports malformed rows, scores outside 1..5, unknown levels, cells given twice, missing cells and
	non-monotonic cells (a cell less severe than one with lower-or-equal likelihood and impact).
	Messages are English by default; pass `frappe._` as `translate` to get them translated.
	"""
	cells, problems = _row_problems(rows)
	problems += _missing_problems(cells)
	problems += _monotonic_problems(cells)
	return [translate(template).format(**params) for template, params in problems]


@dataclass(frozen=True)
class RiskMatrix:
	"""Levels indexed ``cells[likelihood - 1][impact - 1]``; always a complete, monotonic 5×5 grid."""

	cells: tuple[tuple[str, ...], ...]

	def __post_init__(self) -> None:
		if len(self.cells) != len(SCORES) or any(len(row) != len(SCORES) for row in self.cells):
			raise ValueError("A risk matrix needs 5 rows of 5 levels")
		problems = validate_matrix(self.rows())
		if problems:
			raise ValueError("Invalid risk matrix: " + "; ".join(problems))

	@classmethod
	def from_rows(cls, rows: Iterable[tuple]) -> "RiskMatrix":
		"""Build from (likelihood, impact, level) rows, e.g. a settings child table; ValueError if invalid."""
		rows = list(rows)
		problems = validate_matrix(rows)
		if problems:
			raise ValueError("Invalid risk matrix: " + "; ".join(problems))
		cells = {(likelihood, impact): level for likelihood, impact, level in rows}
		return cls(tuple(tuple(cells[(l, i)] for i in SCORES) for l in SCORES))

	def rows(self) -> list[tuple[int, int, str]]:
		"""The (likelihood, impact, level) rows, e.g. to fill the settings child table with the defaults."""
		return [(l, i, self.cells[l - 1][i - 1]) for l in SCORES for i in SCORES]

	def level(self, likelihood: int, impact: int) -> str:
		for name, score in (("likelihood", likelihood), ("impact", impact)):
			if not _is_score(score):
				raise ValueError(f"The {name} score must be a whole number from 1 to 5, not {score!r}")
		return self.cells[likelihood - 1][impact - 1]


# Equivalent to: likelihood × impact ≥ 20 → I, ≥ 12 → II, ≥ 6 → III, otherwise IV; written out as the
# grid so admins can edit single cells.
DEFAULT_MATRIX = RiskMatrix(
	(
		# impact: 1     2      3      4      5
		("IV", "IV", "IV", "IV", "IV"),  # likelihood 1
		("IV", "IV", "III", "III", "III"),  # likelihood 2
		("IV", "III", "III", "II", "II"),  # likelihood 3
		("IV", "III", "II", "II", "I"),  # likelihood 4
		("IV", "III", "II", "I", "I"),  # likelihood 5
	)
)


def matrix_from_rows(rows: Iterable[tuple]) -> tuple[RiskMatrix, list[str]]:
	"""The matrix the rows describe, or DEFAULT_MATRIX with the problems when they are empty or invalid.

	For the scheduled job: a broken settings table must not stop crisis alerts.
	"""
	rows = list(rows)
	if not rows:
		return DEFAULT_MATRIX, []
	problems = validate_matrix(rows)
	if problems:
		return DEFAULT_MATRIX, problems
	return RiskMatrix.from_rows(rows), []


def level_for(likelihood: int, impact: int, matrix: RiskMatrix = DEFAULT_MATRIX) -> str:
	"""The crisis level for the two scores (each 1..5); ValueError outside that range."""
	return matrix.level(likelihood, impact)


# ---------------------------------------------------------------------------
# Suggested scores
# ---------------------------------------------------------------------------

# (lowest ratio count / expected, likelihood): the first row whose ratio is reached applies.
RATIO_LIKELIHOOD: tuple[tuple[float, int], ...] = ((10.0, 5), (6.0, 4), (3.0, 3), (1.5, 2), (0.0, 1))
# (fewer than this many complaints, highest likelihood): thin evidence caps the likelihood.
COUNT_LIKELIHOOD_CAP: tuple[tuple[int, int], ...] = ((3, 2), (5, 3), (10, 4))
# (lowest number of people affected, impact): the first row reached applies.
PEOPLE_IMPACT: tuple[tuple[int, int], ...] = ((100, 5), (30, 4), (10, 3), (3, 2), (0, 1))
CONFIRMED_LIKELIHOOD = 3  # a severe or group complaint is a confirmed event, not a statistical hint
SEVERE_IMPACT = 4  # grading reasons marked crisis-worthy (injury, food safety...)
GROUP_IMPACT = 3  # a group complaint (群体投诉)
SEVERE_GROUP_IMPACT = 5


def _ratio_likelihood(count: int, expected: float) -> tuple[int, Reason]:
	if expected <= 0:
		score = 5 if count > 0 else 1
		reason = Reason(
			"Likelihood",
			_("{count} complaints where none were expected: likelihood {score}"),
			{"count": count, "score": score},
		)
		return score, reason
	ratio = count / expected
	score = next(s for lowest, s in RATIO_LIKELIHOOD if ratio >= lowest)
	reason = Reason(
		"Likelihood",
		_("{count} complaints against about {expected} expected ({ratio} times): likelihood {score}"),
		{"count": count, "expected": round(expected, 2), "ratio": round(ratio, 1), "score": score},
	)
	return score, reason


def _likelihood(count: int, expected: float, severe: bool, group: bool) -> tuple[int, list[Reason]]:
	score, reason = _ratio_likelihood(count, expected)
	reasons = [reason]
	cap = next((c for fewer_than, c in COUNT_LIKELIHOOD_CAP if count < fewer_than), None)
	if cap is not None and score > cap:
		score = cap
		reasons.append(
			Reason(
				"Likelihood",
				_("Only {count} complaints: likelihood at most {score}"),
				{"count": count, "score": cap},
			)
		)
	if (severe or group) and score < CONFIRMED_LIKELIHOOD:
		score = CONFIRMED_LIKELIHOOD
		reasons.append(
			Reason(
				"Likelihood",
				_("A severe or group complaint is a confirmed event: likelihood at least {score}"),
				{"score": score},
			)
		)
	return score, reasons


def _impact(count: int, affected_customers: int, severe: bool, group: bool) -> tuple[int, list[Reason]]:
	people = max(count, affected_customers)
	score = next(s for lowest, s in PEOPLE_IMPACT if people >= lowest)
	reasons = [
		Reason(
			"Impact",
			_("About {people} customers affected: impact {score}"),
			{"people": people, "score": score},
		)
	]
	floor, template = 0, ""
	if severe and group:
		floor, template = SEVERE_GROUP_IMPACT, _("Severe group complaint: impact at least {score}")
	elif severe:
		floor, template = (
			SEVERE_IMPACT,
			_("Severe complaint (crisis-worthy grading reason): impact at least {score}"),
		)
	elif group:
		floor, template = GROUP_IMPACT, _("Group complaint: impact at least {score}")
	if score < floor:
		score = floor
		reasons.append(Reason("Impact", template, {"score": floor}))
	return score, reasons


def suggest_scores(
	count: int, expected: float, affected_customers: int, severe: bool, group: bool
) -> tuple[int, int, list[Reason]]:
	"""Suggest (likelihood, impact) scores for what the detection job saw, with the reasons.

	Heuristic, meant as a starting point an admin can override on the alert:

	- likelihood from the ratio count / expected (≥ 10 → 5, ≥ 6 → 4, ≥ 3 → 3, ≥ 1.5 → 2, else 1; 5 when
	  nothing was expected), capped when the count is small (< 3 complaints → at most 2, < 5 → at most 3,
	  < 10 → at most 4), and at least 3 for a severe or group complaint, which is a confirmed event;
	- impact from the people affected, taken as max(count, affected_customers) since every complaint is at
	  least one customer (≥ 100 → 5, ≥ 30 → 4, ≥ 10 → 3, ≥ 3 → 2, else 1), and at least 4 for a severe
	  complaint, 3 for a group complaint and 5 for a severe group complaint.
	"""
	if count < 0 or expected < 0 or affected_customers < 0:
		raise ValueError("count, expected and affected_customers must not be negative")
	likelihood, likelihood_reasons = _likelihood(count, expected, severe, group)
	impact, impact_reasons = _impact(count, affected_customers, severe, group)
	return likelihood, impact, likelihood_reasons + impact_reasons
