"""Sites installed before the Adverse Reaction grading rule (过敏、红肿、不适: the beauty-salon plan's
product risk) get it once; an admin may then tune or disable it like the others."""

import frappe

from complaint_response.rules.grading import DEFAULT_RULES
from complaint_response.setup.install import create_grading_rule

RULE = "Adverse Reaction"


def execute() -> None:
	if frappe.db.exists("Complaint Grading Rule", RULE):
		return
	rule = next(rule for rule in DEFAULT_RULES if rule.name == RULE)
	sequence = (DEFAULT_RULES.index(rule) + 1) * 10 + 5  # beside the other shipped keyword rules
	create_grading_rule(rule, sequence)
