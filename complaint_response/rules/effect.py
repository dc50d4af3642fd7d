"""Improvement actions (整改, CAPA) as data: the statuses an action moves through, what each move
needs, and the measured effect (效果验证): did the complaints the action aimed at become rarer?

The effect is an exact conditional test of two Poisson rates. Given n1 complaints over t1 days before
the action was implemented and n2 over t2 days after, under the null hypothesis (the rate did not
change) n2, given the total n1 + n2, is Binomial(n1 + n2, t2 / (t1 + t2)). The one-sided p-value for
"the rate after is lower" is P(X <= n2) under that binomial, computed exactly (integer binomial
coefficients, summed in logs). No statistics library is needed."""

import math
from collections.abc import Callable
from dataclasses import dataclass, field


def _(text: str) -> str:
	"""Marks a template for translation; the Frappe layer translates it."""
	return text


# -- statuses and moves ---------------------------------------------------------------------------

OPEN = "Open"
PLANNED = "Planned"
IN_PROGRESS = "In Progress"
IMPLEMENTED = "Implemented"
VERIFYING = "Verifying"
EFFECTIVE = "Effective"
NOT_EFFECTIVE = "Not Effective"
CLOSED = "Closed"
CANCELLED = "Cancelled"

STATUSES: tuple[str, ...] = (
	OPEN,
	PLANNED,
	IN_PROGRESS,
	IMPLEMENTED,
	VERIFYING,
	EFFECTIVE,
	NOT_EFFECTIVE,
	CLOSED,
	CANCELLED,
)

# The plans' words for each status (the workflow's states keep the English names; zh.csv has these).
STATUS_ZH: dict[str, str] = {
	OPEN: "待处理",
	PLANNED: "已计划",
	IN_PROGRESS: "整改中",
	IMPLEMENTED: "已实施",
	VERIFYING: "效果验证中",
	EFFECTIVE: "整改有效",
	NOT_EFFECTIVE: "整改无效",
	CLOSED: "已关闭",
	CANCELLED: "已取消",
}

# Statuses before the measure is in place: an action past its due date in one of them is overdue.
NOT_YET_IMPLEMENTED: frozenset[str] = frozenset({OPEN, PLANNED, IN_PROGRESS, NOT_EFFECTIVE})

# (from, to) -> action name in the shipped workflow. Not Effective goes back to In Progress.
MOVES: dict[tuple[str, str], str] = {
	(OPEN, PLANNED): "Plan Action",
	(OPEN, CANCELLED): "Cancel",
	(PLANNED, IN_PROGRESS): "Start",
	(PLANNED, CANCELLED): "Cancel",
	(IN_PROGRESS, IMPLEMENTED): "Mark Implemented",
	(IN_PROGRESS, CANCELLED): "Cancel",
	(IMPLEMENTED, VERIFYING): "Start Verification",
	(VERIFYING, EFFECTIVE): "Confirm Effective",
	(VERIFYING, NOT_EFFECTIVE): "Confirm Not Effective",
	(NOT_EFFECTIVE, IN_PROGRESS): "Rework",
	(NOT_EFFECTIVE, CANCELLED): "Cancel",
	(EFFECTIVE, CLOSED): "Close",
}

MANAGER = "Complaint Manager"
QUALITY = "Quality Officer"
# Who may make each move (the roles that may write an improvement action); confirming the effect is a
# quality decision: a Quality Officer or a Complaint Manager.
MOVE_ROLES: tuple[str, ...] = (MANAGER, QUALITY)


def next_statuses(status: str) -> list[str]:
	return [to for (frm, to) in MOVES if frm == status]


@dataclass(frozen=True)
class Problem:
	template: str
	params: dict = field(default_factory=dict)

	def text(self, translate: Callable[[str], str] = lambda s: s) -> str:
		params = {
			key: translate(value) if isinstance(value, str) else value for key, value in self.params.items()
		}
		return translate(self.template).format(**params)


def problem(template: str, **params) -> Problem:
	return Problem(template, params)


@dataclass(frozen=True)
class ActionFacts:
	"""What the moves look at, read off the action by the Frappe layer."""

	has_owner: bool = False
	has_due_date: bool = False
	has_measure: bool = False
	has_evidence: bool = False
	effect_measured: bool = False


def check_move(old: str, new: str, facts: ActionFacts) -> list[Problem]:
	"""Why the action may not go from `old` to `new`; empty when it may."""
	if old == new:
		return []
	if (old, new) not in MOVES:
		return [problem("An improvement action cannot move from {old} to {new}.", old=old, new=new)]
	found = []
	if new == PLANNED:
		if not facts.has_owner:
			found.append(problem("Name the owner before planning the action."))
		if not facts.has_due_date:
			found.append(problem("Set the due date before planning the action."))
		if not facts.has_measure:
			found.append(problem("Write the corrective or preventive measures before planning the action."))
	if new == IMPLEMENTED and not facts.has_evidence:
		found.append(problem("Record the evidence of implementation before marking the action implemented."))
	if new in (EFFECTIVE, NOT_EFFECTIVE) and not facts.effect_measured:
		found.append(
			problem("The effect has not been measured yet: it is measured when the verification window ends.")
		)
	return found


# -- the measured effect ---------------------------------------------------------------------------

ALPHA = 0.05
RATE_UNIT_DAYS = 30  # rates are shown as complaints per 30 days


@dataclass(frozen=True)
class Effect:
	before_count: int
	before_days: float
	after_count: int
	after_days: float
	before_rate: float  # complaints per RATE_UNIT_DAYS days
	after_rate: float
	rate_ratio: float | None  # after rate / before rate; None when there was nothing before
	p_value: float  # one-sided: the chance of so few complaints after if the rate had not changed
	verdict: str  # EFFECTIVE or NOT_EFFECTIVE
	note: Problem


def _log_add(a: float, b: float) -> float:
	if a == -math.inf:
		return b
	if b == -math.inf:
		return a
	hi, lo = max(a, b), min(a, b)
	return hi + math.log1p(math.exp(lo - hi))


def binomial_cdf(k: int, n: int, p: float) -> float:
	"""P(X <= k) for X ~ Binomial(n, p), summed exactly term by term in logs."""
	if k < 0:
		return 0.0
	if k >= n or p <= 0.0:
		return 1.0
	if p >= 1.0:
		return 0.0
	log_p, log_q = math.log(p), math.log1p(-p)
	total = -math.inf
	for i in range(k + 1):
		total = _log_add(total, math.log(math.comb(n, i)) + i * log_p + (n - i) * log_q)
	return min(1.0, math.exp(total))


def poisson_rate_p_value(n1: int, t1: float, n2: int, t2: float) -> float:
	"""One-sided p-value of the exact conditional test that the rate after (n2 over t2) is lower than
	the rate before (n1 over t1)."""
	if n1 < 0 or n2 < 0:
		raise ValueError("counts must be 0 or more")
	if t1 <= 0 or t2 <= 0:
		raise ValueError("both windows must be longer than 0 days")
	return binomial_cdf(n2, n1 + n2, t2 / (t1 + t2))


def measure(n1: int, t1: float, n2: int, t2: float, alpha: float = ALPHA) -> Effect:
	"""Compare n1 complaints over t1 days before with n2 over t2 days after; Effective when the rate
	fell (ratio < 1) and the test says so at level `alpha` (p < alpha)."""
	p_value = poisson_rate_p_value(n1, t1, n2, t2)
	before_rate, after_rate = n1 / t1 * RATE_UNIT_DAYS, n2 / t2 * RATE_UNIT_DAYS
	ratio = (n2 / t2) / (n1 / t1) if n1 else None
	if n1 == 0 and n2 == 0:
		note = problem(
			"No matching complaints before or after: there was nothing to reduce, so the effect cannot be shown."
		)
		verdict = NOT_EFFECTIVE
	elif n1 == 0:
		note = problem(
			"No matching complaints before and {after} after: the complaints did not become rarer.",
			after=n2,
		)
		verdict = NOT_EFFECTIVE
	elif ratio < 1 and p_value < alpha:
		note = problem(
			"The complaint rate fell to {ratio}% of what it was (p = {p}, below {alpha}): effective.",
			ratio=round(ratio * 100),
			p=_fmt(p_value),
			alpha=alpha,
		)
		verdict = EFFECTIVE
	elif ratio < 1:
		note = problem(
			"The complaint rate fell to {ratio}% of what it was, but a fall this size could be chance (p = {p}, not below {alpha}): not shown effective.",
			ratio=round(ratio * 100),
			p=_fmt(p_value),
			alpha=alpha,
		)
		verdict = NOT_EFFECTIVE
	else:
		note = problem(
			"The complaint rate did not fall ({ratio}% of what it was, p = {p}): not effective.",
			ratio=round(ratio * 100),
			p=_fmt(p_value),
		)
		verdict = NOT_EFFECTIVE
	return Effect(n1, t1, n2, t2, before_rate, after_rate, ratio, p_value, verdict, note)


def _fmt(p: float) -> str:
	return f"{p:.4f}" if p >= 0.0001 else f"{p:.1e}"
