"""The crisis alert's course (预警 → 发布 → 响应 → 恢复 → 复盘) as data: stages the code owns, the
moves between them, who may make each, and what must be true first. Plain Python."""

from dataclasses import dataclass

from complaint_response.rules.stages import Problem, problem


def _(text: str) -> str:
	return text


RAISED = "Raised"
ASSESSED = "Assessed"
PUBLISHED = "Published"
RESPONDING = "Responding"
RECOVERING = "Recovering"
CLOSED = "Closed"
REVIEWED = "Reviewed"
DISMISSED = "Dismissed"

STAGES = (RAISED, ASSESSED, PUBLISHED, RESPONDING, RECOVERING, CLOSED, REVIEWED, DISMISSED)
STAGE_ZH = {
	RAISED: "已预警",
	ASSESSED: "已评估",
	PUBLISHED: "已发布",
	RESPONDING: "应急响应",
	RECOVERING: "危机恢复",
	CLOSED: "已关闭",
	REVIEWED: "已复盘",
	DISMISSED: "误报撤销",
}
ACTIVE_STAGES = frozenset({RAISED, ASSESSED, PUBLISHED, RESPONDING, RECOVERING})

MOVES: dict[str, tuple[str, ...]] = {
	RAISED: (ASSESSED, DISMISSED),
	ASSESSED: (PUBLISHED, DISMISSED),
	PUBLISHED: (RESPONDING,),
	RESPONDING: (RECOVERING,),
	RECOVERING: (CLOSED,),
	CLOSED: (REVIEWED,),
	REVIEWED: (),
	DISMISSED: (),
}

COMMANDER = "Crisis Commander"
MANAGER = "Complaint Manager"
QUALITY = "Quality Officer"
LEGAL = "Legal Counsel"
COMMS = "Communications Officer"

# Levels I and II are published by the Crisis Commander; lower levels also by the Complaint Manager.
COMMANDER_LEVELS = frozenset({"I", "II"})

MOVE_ROLES: dict[tuple[str, str], tuple[str, ...]] = {
	(RAISED, ASSESSED): (COMMANDER, MANAGER, QUALITY),
	(RAISED, DISMISSED): (COMMANDER, MANAGER),
	(ASSESSED, PUBLISHED): (COMMANDER, MANAGER),
	(ASSESSED, DISMISSED): (COMMANDER, MANAGER),
	(PUBLISHED, RESPONDING): (COMMANDER, MANAGER),
	(RESPONDING, RECOVERING): (COMMANDER, MANAGER),
	(RECOVERING, CLOSED): (COMMANDER, MANAGER),
	(CLOSED, REVIEWED): (COMMANDER, MANAGER, QUALITY),
}


@dataclass(frozen=True)
class AlertFacts:
	level: str = "IV"
	likelihood: int = 0
	impact: int = 0
	roles: frozenset[str] = frozenset()
	unplanned_actions: int = 0
	root_cause: bool = False
	lessons: bool = False
	dismissal_reason: bool = False


def publisher_roles(level: str) -> tuple[str, ...]:
	return (COMMANDER,) if level in COMMANDER_LEVELS else (COMMANDER, MANAGER)


def roles_for_move(from_stage: str, to_stage: str, level: str) -> tuple[str, ...]:
	if (from_stage, to_stage) == (ASSESSED, PUBLISHED):
		return publisher_roles(level)
	return MOVE_ROLES.get((from_stage, to_stage), ())


def check_move(from_stage: str, to_stage: str, facts: AlertFacts) -> list[Problem]:
	if from_stage == to_stage:
		return []
	if to_stage not in MOVES.get(from_stage, ()):
		return [
			problem(
				_("A crisis alert cannot go from {from_stage} to {to_stage}."),
				from_stage=from_stage,
				to_stage=to_stage,
			)
		]
	problems: list[Problem] = []
	if to_stage == ASSESSED and not (1 <= facts.likelihood <= 5 and 1 <= facts.impact <= 5):
		problems.append(problem(_("Score the likelihood and the impact (1 to 5) to assess the alert.")))
	if to_stage == PUBLISHED and not set(publisher_roles(facts.level)) & facts.roles:
		problems.append(
			problem(_("A level {level} alert is published by the Crisis Commander."), level=facts.level)
		)
	if to_stage == CLOSED and facts.unplanned_actions:
		problems.append(
			problem(
				_("{count} improvement actions have no owner or due date: plan them before closing."),
				count=facts.unplanned_actions,
			)
		)
	if to_stage == REVIEWED:
		if not facts.root_cause:
			problems.append(problem(_("Write down the root cause for the review.")))
		if not facts.lessons:
			problems.append(problem(_("Write down the lessons learned for the review.")))
	if to_stage == DISMISSED and not facts.dismissal_reason:
		problems.append(problem(_("Say why the alert is a false alarm before dismissing it.")))
	return problems


def statement_problems(draft: bool, legal_approved: bool, comms_approved: bool) -> list[Problem]:
	"""Why the external statement (统一口径) cannot be released yet."""
	problems = []
	if not draft:
		problems.append(problem(_("Write the statement before releasing it.")))
	if not legal_approved:
		problems.append(problem(_("Legal Counsel has not approved the statement.")))
	if not comms_approved:
		problems.append(problem(_("The Communications Officer has not approved the statement.")))
	return problems
