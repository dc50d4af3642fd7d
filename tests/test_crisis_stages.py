from complaint_response.rules import crisis_stages as c
from complaint_response.rules.crisis_stages import AlertFacts, check_move, statement_problems


def test_moves_are_stages_and_have_roles():
	assert set(c.MOVES) == set(c.STAGES)
	for source, targets in c.MOVES.items():
		for target in targets:
			assert target in c.STAGES
			assert c.roles_for_move(source, target, "IV"), (source, target)


def test_level_one_and_two_published_by_commander_only():
	assert c.roles_for_move(c.ASSESSED, c.PUBLISHED, "I") == (c.COMMANDER,)
	assert c.roles_for_move(c.ASSESSED, c.PUBLISHED, "II") == (c.COMMANDER,)
	assert c.MANAGER in c.roles_for_move(c.ASSESSED, c.PUBLISHED, "III")
	manager = AlertFacts(level="II", roles=frozenset({c.MANAGER}))
	assert [p.text() for p in check_move(c.ASSESSED, c.PUBLISHED, manager)] == [
		"A level II alert is published by the Crisis Commander."
	]
	assert check_move(c.ASSESSED, c.PUBLISHED, AlertFacts(level="III", roles=frozenset({c.MANAGER}))) == []


def test_assess_needs_scores():
	assert len(check_move(c.RAISED, c.ASSESSED, AlertFacts())) == 1
	assert check_move(c.RAISED, c.ASSESSED, AlertFacts(likelihood=3, impact=4)) == []


def test_close_blocked_by_unplanned_actions():
	assert (
		"2 improvement actions"
		in check_move(c.RECOVERING, c.CLOSED, AlertFacts(unplanned_actions=2))[0].text()
	)
	assert check_move(c.RECOVERING, c.CLOSED, AlertFacts()) == []


def test_review_needs_cause_and_lessons():
	assert len(check_move(c.CLOSED, c.REVIEWED, AlertFacts())) == 2


def test_dismiss_needs_reason_and_no_skipping():
	assert len(check_move(c.RAISED, c.DISMISSED, AlertFacts())) == 1
	assert check_move(c.RAISED, c.DISMISSED, AlertFacts(dismissal_reason=True)) == []
	assert len(check_move(c.RAISED, c.PUBLISHED, AlertFacts(roles=frozenset({c.COMMANDER})))) == 1


def test_statement_needs_both_approvals():
	assert len(statement_problems(True, False, False)) == 2
	assert len(statement_problems(True, True, False)) == 1
	assert statement_problems(True, True, True) == []
	assert len(statement_problems(False, True, True)) == 1
