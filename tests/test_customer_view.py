"""rules.customer_view: the stage in the customer's words."""

from complaint_response.rules import customer_view as cv
from complaint_response.rules import stages as s


def test_every_stage_has_customer_words_without_internal_terms():
	for stage in s.STAGES:
		words = cv.customer_stage(stage)
		assert words and words not in ("Resolution Proposed", "Resolution Approved", "Classified", "Assigned")


def test_open_for_customer():
	assert cv.may_add_information(s.INVESTIGATING)
	assert cv.may_add_information(s.REOPENED)
	assert not cv.may_add_information(s.CLOSED)
	assert not cv.may_add_information(s.CUSTOMER_INFORMED)
	assert not cv.may_add_information(s.REJECTED)
