"""rules.flagging: which tickets the admin's rules flag as complaints, and why."""

from complaint_response.rules.flagging import FlagRule, Ticket, first_match, keywords_from, match

TICKET = Ticket(
	ticket_type="Complaint",
	priority="Urgent",
	subject="Refund please",
	description="<p>食物<b>中毒</b>了</p>",
)


def test_keywords_in_subject_or_description_any_case_and_markup():
	assert match(FlagRule("R", keywords=("REFUND",)), TICKET).params["found"] == '"REFUND"'
	assert match(FlagRule("R", keywords=("食物中毒",)), TICKET) is not None
	assert match(FlagRule("R", keywords=("lawyer", "media")), TICKET) is None


def test_every_condition_must_hold():
	assert match(FlagRule("R", ticket_type="Complaint", priority="Urgent", keywords=("refund",)), TICKET)
	assert match(FlagRule("R", ticket_type="Complaint", priority="Low"), TICKET) is None
	assert match(FlagRule("R", ticket_type="Question", keywords=("refund",)), TICKET) is None
	assert match(FlagRule("R", ticket_type="complaint"), TICKET) is not None


def test_a_rule_without_conditions_never_matches():
	assert match(FlagRule("Empty"), TICKET) is None


def test_reason_names_the_rule_and_what_matched():
	reason = match(FlagRule("Urgent refunds", priority="Urgent", keywords=("refund",)), TICKET)
	assert reason.text() == 'Flagged as a complaint by rule Urgent refunds: priority Urgent, "refund".'


def test_first_match_and_keyword_lists():
	rules = [FlagRule("A", keywords=("nothing",)), FlagRule("B", ticket_type="Complaint")]
	assert first_match(rules, TICKET).params["rule"] == "B"
	assert first_match([], TICKET) is None
	assert keywords_from("refund, 退款，lawyer\n\n media ") == ("refund", "退款", "lawyer", "media")
