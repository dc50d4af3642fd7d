"""The complaint lifecycle (受理 → 复盘) as data: the stages the code owns, the moves between them,
and what must be true before each move.

The desk's Workflow (which admins may rename, extend or switch off) maps its states onto these
stages; SLAs, reports and notifications key on the stage, never on a workflow state's name."""

from collections.abc import Callable
from dataclasses import dataclass


def _(text: str) -> str:
	"""Marks a template for translation; the Frappe layer translates it."""
	return text


RECEIVED = "Received"
CLASSIFIED = "Classified"
ASSIGNED = "Assigned"
INVESTIGATING = "Investigating"
RESOLUTION_PROPOSED = "Resolution Proposed"
RESOLUTION_APPROVED = "Resolution Approved"
CUSTOMER_INFORMED = "Customer Informed"
FOLLOW_UP = "Follow-up"
CLOSED = "Closed"
REVIEWED = "Reviewed"
REOPENED = "Reopened"
REJECTED = "Rejected"

STAGES: tuple[str, ...] = (
	RECEIVED,
	CLASSIFIED,
	ASSIGNED,
	INVESTIGATING,
	RESOLUTION_PROPOSED,
	RESOLUTION_APPROVED,
	CUSTOMER_INFORMED,
	FOLLOW_UP,
	CLOSED,
	REVIEWED,
	REOPENED,
	REJECTED,
)

# The plan's Chinese words for each stage (the workflow's shipped state names use both).
STAGE_ZH: dict[str, str] = {
	RECEIVED: "已受理",
	CLASSIFIED: "已分级",
	ASSIGNED: "已分配",
	INVESTIGATING: "调查中",
	RESOLUTION_PROPOSED: "方案待批",
	RESOLUTION_APPROVED: "方案已批",
	CUSTOMER_INFORMED: "已告知",
	FOLLOW_UP: "回访中",
	CLOSED: "已关闭",
	REVIEWED: "已复盘",
	REOPENED: "已重开",
	REJECTED: "不予受理",
}

# The coarse status shown in lists.
STATUS_BY_STAGE: dict[str, str] = {
	**{stage: "Open" for stage in STAGES},
	CUSTOMER_INFORMED: "Resolved",
	FOLLOW_UP: "Resolved",
	CLOSED: "Closed",
	REVIEWED: "Closed",
	REJECTED: "Rejected",
}

# Stages whose complaint is still being worked (SLA clocks run, sweeps look at them).
OPEN_STAGES: frozenset[str] = frozenset(
	{RECEIVED, CLASSIFIED, ASSIGNED, INVESTIGATING, RESOLUTION_PROPOSED, RESOLUTION_APPROVED, REOPENED}
)

# Where each stage may go next. The fast path (general complaints resolved at intake) is the move
# from Received/Classified/Assigned straight to Customer Informed; its precondition restricts it.
MOVES: dict[str, tuple[str, ...]] = {
	RECEIVED: (CLASSIFIED, CUSTOMER_INFORMED, REJECTED),
	CLASSIFIED: (ASSIGNED, CUSTOMER_INFORMED, REJECTED),
	ASSIGNED: (INVESTIGATING, CUSTOMER_INFORMED, REJECTED),
	INVESTIGATING: (RESOLUTION_PROPOSED,),
	RESOLUTION_PROPOSED: (RESOLUTION_APPROVED, INVESTIGATING),
	RESOLUTION_APPROVED: (CUSTOMER_INFORMED,),
	CUSTOMER_INFORMED: (FOLLOW_UP,),
	FOLLOW_UP: (CLOSED, REOPENED),
	CLOSED: (REVIEWED, REOPENED),
	REVIEWED: (),
	REOPENED: (ASSIGNED, INVESTIGATING),
	REJECTED: (REOPENED,),
}

# Who may make each move when no Workflow is active (the shipped Workflow names the same roles).
MANAGER = "Complaint Manager"
AGENT = "Complaint Agent"
QUALITY = "Quality Officer"
APPROVER = "Compensation Approver"
MOVE_ROLES: dict[tuple[str, str], tuple[str, ...]] = {
	(RECEIVED, CLASSIFIED): (AGENT, MANAGER),
	(RECEIVED, CUSTOMER_INFORMED): (AGENT, MANAGER),
	(RECEIVED, REJECTED): (MANAGER,),
	(CLASSIFIED, ASSIGNED): (MANAGER,),
	(CLASSIFIED, CUSTOMER_INFORMED): (AGENT, MANAGER),
	(CLASSIFIED, REJECTED): (MANAGER,),
	(ASSIGNED, INVESTIGATING): (AGENT, MANAGER, QUALITY),
	(ASSIGNED, CUSTOMER_INFORMED): (AGENT, MANAGER),
	(ASSIGNED, REJECTED): (MANAGER,),
	(INVESTIGATING, RESOLUTION_PROPOSED): (AGENT, MANAGER, QUALITY),
	(RESOLUTION_PROPOSED, RESOLUTION_APPROVED): (MANAGER, APPROVER),
	(RESOLUTION_PROPOSED, INVESTIGATING): (MANAGER, APPROVER),
	(RESOLUTION_APPROVED, CUSTOMER_INFORMED): (AGENT, MANAGER),
	(CUSTOMER_INFORMED, FOLLOW_UP): (AGENT, MANAGER),
	(FOLLOW_UP, CLOSED): (AGENT, MANAGER),
	(FOLLOW_UP, REOPENED): (AGENT, MANAGER),
	(CLOSED, REVIEWED): (MANAGER, QUALITY),
	(CLOSED, REOPENED): (MANAGER,),
	(REOPENED, ASSIGNED): (MANAGER,),
	(REOPENED, INVESTIGATING): (AGENT, MANAGER),
	(REJECTED, REOPENED): (MANAGER,),
}

DISSATISFIED_AT_OR_BELOW = 2


@dataclass(frozen=True)
class StageFacts:
	"""What the preconditions look at, read off the complaint by the Frappe layer."""

	severity: str = "General"
	category: str | None = None
	has_owner: bool = False
	investigation_started: bool = False
	findings: bool = False
	resolution_lines: int = 0
	approval_role: str | None = None  # who must approve this resolution, if anyone
	approver_roles: frozenset[str] = frozenset()  # the roles of the user approving
	approved: bool = False
	outcome_told: bool = False  # a contact-log entry says the customer was told the outcome
	satisfaction: int = 0  # 0 = not recorded, else 1..5
	followed_up: bool = False
	rejection_reason: str | None = None
	root_cause: str | None = None
	lessons: bool = False


@dataclass(frozen=True)
class Problem:
	template: str
	params: dict

	def text(self, translate: Callable[[str], str] = lambda s: s) -> str:
		"""The message in the reader's language; word values (stages, severities, roles) too."""
		params = {
			key: translate(value) if isinstance(value, str) else value for key, value in self.params.items()
		}
		return translate(self.template).format(**params)


def problem(template: str, **params) -> Problem:
	return Problem(template, params)


def is_fast_path(from_stage: str, to_stage: str) -> bool:
	return to_stage == CUSTOMER_INFORMED and from_stage in (RECEIVED, CLASSIFIED, ASSIGNED)


def check_move(from_stage: str, to_stage: str, facts: StageFacts) -> list[Problem]:
	"""Why the complaint may not go from `from_stage` to `to_stage`; empty when it may."""
	if from_stage == to_stage:
		return []
	if to_stage not in MOVES.get(from_stage, ()):
		return [
			problem(
				_("A complaint cannot go from {from_stage} to {to_stage}."),
				from_stage=from_stage,
				to_stage=to_stage,
			)
		]
	problems: list[Problem] = []
	for check in _CHECKS.get(to_stage, ()):
		problems.extend(check(from_stage, facts))
	if is_fast_path(from_stage, to_stage):
		problems.extend(_fast_path(facts))
	return problems


def _classified(_from: str, facts: StageFacts) -> list[Problem]:
	return [] if facts.category else [problem(_("Choose a category before classifying the complaint."))]


def _assigned(_from: str, facts: StageFacts) -> list[Problem]:
	return [] if facts.has_owner else [problem(_("Assign the complaint to an accountable owner first."))]


def _investigating(from_stage: str, facts: StageFacts) -> list[Problem]:
	return [] if facts.has_owner else [problem(_("A complaint under investigation needs an owner."))]


def _proposed(_from: str, facts: StageFacts) -> list[Problem]:
	problems = []
	if not facts.findings:
		problems.append(problem(_("Record the investigation findings before proposing a resolution.")))
	if not facts.resolution_lines:
		problems.append(problem(_("Add at least one resolution line to the plan.")))
	return problems


def _approved(_from: str, facts: StageFacts) -> list[Problem]:
	if facts.approval_role and facts.approval_role not in facts.approver_roles:
		return [
			problem(
				_("This resolution needs the approval of a {role}."),
				role=facts.approval_role,
			)
		]
	return []


def _informed(from_stage: str, facts: StageFacts) -> list[Problem]:
	problems = []
	if from_stage == RESOLUTION_APPROVED and not facts.approved:
		problems.append(problem(_("The resolution has not been approved.")))
	if not facts.outcome_told:
		problems.append(
			problem(
				_("Log the contact in which the customer was told the outcome before marking them informed.")
			)
		)
	return problems


def _fast_path(facts: StageFacts) -> list[Problem]:
	problems = []
	if not facts.resolution_lines:
		problems.append(problem(_("Record what was done for the customer as a resolution line first.")))
	if facts.severity != "General":
		problems.append(
			problem(
				_("A {severity} complaint cannot skip investigation and approval."),
				severity=facts.severity,
			)
		)
	if facts.approval_role:
		problems.append(
			problem(
				_("The compensation needs the approval of a {role}: propose it for approval instead."),
				role=facts.approval_role,
			)
		)
	return problems


def _closed(_from: str, facts: StageFacts) -> list[Problem]:
	problems = []
	if not facts.followed_up or not facts.satisfaction:
		problems.append(
			problem(_("Record the follow-up call and the customer's satisfaction before closing."))
		)
	elif facts.satisfaction <= DISSATISFIED_AT_OR_BELOW:
		problems.append(
			problem(_("The customer is dissatisfied: reopen the complaint instead of closing it."))
		)
	return problems


def _reviewed(_from: str, facts: StageFacts) -> list[Problem]:
	problems = []
	if not facts.root_cause:
		problems.append(problem(_("Choose the root-cause category for the review.")))
	if not facts.lessons:
		problems.append(problem(_("Write down the lessons learned for the review.")))
	return problems


def _rejected(_from: str, facts: StageFacts) -> list[Problem]:
	return [] if facts.rejection_reason else [problem(_("Give the reason for rejecting the complaint."))]


_CHECKS: dict[str, tuple[Callable[[str, StageFacts], list[Problem]], ...]] = {
	CLASSIFIED: (_classified,),
	ASSIGNED: (_assigned,),
	INVESTIGATING: (_investigating,),
	RESOLUTION_PROPOSED: (_proposed,),
	RESOLUTION_APPROVED: (_approved,),
	CUSTOMER_INFORMED: (_informed,),
	CLOSED: (_closed,),
	REVIEWED: (_reviewed,),
	REJECTED: (_rejected,),
}


def approval_role_for(total: float, severity: str, agent_limit: float, manager_limit: float) -> str | None:
	"""Who must approve a resolution worth `total`: nobody within the agent's limit on a general
	complaint, a Complaint Manager up to the manager's limit (and always for major and group
	complaints), a Compensation Approver above it."""
	if total > manager_limit:
		return APPROVER
	if total > agent_limit or severity != "General":
		return MANAGER
	return None


def roles_for_move(from_stage: str, to_stage: str) -> tuple[str, ...]:
	return MOVE_ROLES.get((from_stage, to_stage), ())


def next_stage_after_follow_up(satisfaction: int) -> str:
	"""A dissatisfied customer (≤ 2 of 5) reopens the complaint; otherwise it may close."""
	return REOPENED if 0 < satisfaction <= DISSATISFIED_AT_OR_BELOW else CLOSED


def status_for(stage: str) -> str:
	return STATUS_BY_STAGE.get(stage, "Open")
