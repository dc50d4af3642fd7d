import itertools

import pytest

from complaint_response.rules import stages as s
from complaint_response.rules.stages import StageFacts, check_move

READY = StageFacts(
	category="Service",
	has_owner=True,
	investigation_started=True,
	findings=True,
	resolution_lines=1,
	approved=True,
	outcome_told=True,
	satisfaction=4,
	followed_up=True,
	rejection_reason="Duplicate",
	root_cause="Process",
	lessons=True,
)


def texts(problems):
	return [p.text() for p in problems]


def test_every_stage_has_moves_and_moves_lead_to_stages():
	assert set(s.MOVES) == set(s.STAGES)
	for targets in s.MOVES.values():
		assert set(targets) <= set(s.STAGES)


def test_every_move_names_roles():
	for source, targets in s.MOVES.items():
		for target in targets:
			assert s.roles_for_move(source, target), (source, target)


def test_every_stage_reachable_from_received():
	seen, todo = {s.RECEIVED}, [s.RECEIVED]
	while todo:
		for nxt in s.MOVES[todo.pop()]:
			if nxt not in seen:
				seen.add(nxt)
				todo.append(nxt)
	assert seen == set(s.STAGES)


def test_happy_path_major_complaint():
	path = [
		s.RECEIVED,
		s.CLASSIFIED,
		s.ASSIGNED,
		s.INVESTIGATING,
		s.RESOLUTION_PROPOSED,
		s.RESOLUTION_APPROVED,
		s.CUSTOMER_INFORMED,
		s.FOLLOW_UP,
		s.CLOSED,
		s.REVIEWED,
	]
	facts = StageFacts(
		**{
			**READY.__dict__,
			"severity": "Major",
			"approval_role": s.MANAGER,
			"approver_roles": frozenset({s.MANAGER}),
		}
	)
	for a, b in itertools.pairwise(path):
		assert check_move(a, b, facts) == [], (a, b)


def test_unknown_move_refused():
	problems = check_move(s.RECEIVED, s.CLOSED, READY)
	assert texts(problems) == ["A complaint cannot go from Received to Closed."]


def test_same_stage_is_no_move():
	assert check_move(s.INVESTIGATING, s.INVESTIGATING, StageFacts()) == []


def test_classify_needs_category():
	assert texts(check_move(s.RECEIVED, s.CLASSIFIED, StageFacts())) == [
		"Choose a category before classifying the complaint."
	]


def test_assign_needs_owner():
	assert len(check_move(s.CLASSIFIED, s.ASSIGNED, StageFacts(category="Service"))) == 1
	assert check_move(s.CLASSIFIED, s.ASSIGNED, StageFacts(has_owner=True)) == []


def test_propose_needs_findings_and_lines():
	assert len(check_move(s.INVESTIGATING, s.RESOLUTION_PROPOSED, StageFacts(has_owner=True))) == 2
	assert (
		check_move(s.INVESTIGATING, s.RESOLUTION_PROPOSED, StageFacts(findings=True, resolution_lines=2))
		== []
	)


def test_approval_needs_the_named_role():
	facts = StageFacts(approval_role=s.APPROVER, approver_roles=frozenset({s.MANAGER}))
	assert texts(check_move(s.RESOLUTION_PROPOSED, s.RESOLUTION_APPROVED, facts)) == [
		"This resolution needs the approval of a Compensation Approver."
	]
	ok = StageFacts(approval_role=s.APPROVER, approver_roles=frozenset({s.APPROVER}))
	assert check_move(s.RESOLUTION_PROPOSED, s.RESOLUTION_APPROVED, ok) == []


def test_inform_needs_logged_contact():
	assert len(check_move(s.RESOLUTION_APPROVED, s.CUSTOMER_INFORMED, StageFacts(approved=True))) == 1


def test_fast_path_for_general_complaint():
	facts = StageFacts(severity="General", resolution_lines=1, outcome_told=True)
	assert check_move(s.RECEIVED, s.CUSTOMER_INFORMED, facts) == []


@pytest.mark.parametrize("severity", ["Major", "Group"])
def test_fast_path_refused_for_major_and_group(severity):
	facts = StageFacts(severity=severity, resolution_lines=1, outcome_told=True)
	assert texts(check_move(s.RECEIVED, s.CUSTOMER_INFORMED, facts)) == [
		f"A {severity} complaint cannot skip investigation and approval."
	]


def test_fast_path_refused_when_compensation_needs_approval():
	facts = StageFacts(resolution_lines=1, outcome_told=True, approval_role=s.MANAGER)
	assert len(check_move(s.CLASSIFIED, s.CUSTOMER_INFORMED, facts)) == 1


def test_fast_path_needs_a_resolution_line():
	assert len(check_move(s.ASSIGNED, s.CUSTOMER_INFORMED, StageFacts(outcome_told=True))) == 1


def test_close_needs_follow_up_and_satisfaction():
	assert len(check_move(s.FOLLOW_UP, s.CLOSED, StageFacts())) == 1
	assert len(check_move(s.FOLLOW_UP, s.CLOSED, StageFacts(followed_up=True, satisfaction=2))) == 1
	assert check_move(s.FOLLOW_UP, s.CLOSED, StageFacts(followed_up=True, satisfaction=3)) == []


def test_review_needs_root_cause_and_lessons():
	assert len(check_move(s.CLOSED, s.REVIEWED, StageFacts())) == 2


def test_reject_needs_reason():
	assert len(check_move(s.RECEIVED, s.REJECTED, StageFacts())) == 1
	assert check_move(s.RECEIVED, s.REJECTED, StageFacts(rejection_reason="Duplicate")) == []


def test_follow_up_outcome():
	assert s.next_stage_after_follow_up(1) == s.REOPENED
	assert s.next_stage_after_follow_up(2) == s.REOPENED
	assert s.next_stage_after_follow_up(3) == s.CLOSED
	assert s.next_stage_after_follow_up(0) == s.CLOSED


def test_approval_role_thresholds():
	assert s.approval_role_for(100, "General", 200, 2000) is None
	assert s.approval_role_for(200, "General", 200, 2000) is None
	assert s.approval_role_for(201, "General", 200, 2000) == s.MANAGER
	assert s.approval_role_for(0, "Major", 200, 2000) == s.MANAGER
	assert s.approval_role_for(2000, "Group", 200, 2000) == s.MANAGER
	assert s.approval_role_for(2001, "General", 200, 2000) == s.APPROVER


def test_status_for_stage():
	assert s.status_for(s.INVESTIGATING) == "Open"
	assert s.status_for(s.FOLLOW_UP) == "Resolved"
	assert s.status_for(s.REVIEWED) == "Closed"
	assert s.status_for(s.REJECTED) == "Rejected"


def test_problem_translation():
	problems = check_move(s.RECEIVED, s.CLOSED, READY)
	assert (
		problems[0].text(lambda t: t.replace("A complaint cannot go", "不能"))
		== "不能 from Received to Closed."
	)
