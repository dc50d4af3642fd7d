# Copyright (c) 2026, Complaint Response Contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from complaint_response.checked_document import CheckedDocument
from complaint_response.lifecycle.grading import rule_problems


class ComplaintGradingRule(CheckedDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		category: DF.Link | None
		crisis_worthy: DF.Check
		enabled: DF.Check
		keywords: DF.SmallText | None
		priority: DF.Literal["", "Low", "Medium", "High", "Urgent"]
		rule_name: DF.Data
		rule_type: DF.Literal["Keyword", "Amount", "Affected Customers", "Repeat Complainant", "Category"]
		sequence: DF.Int
		severity: DF.Literal["", "General", "Major", "Group"]
		threshold: DF.Float

	# end: auto-generated types
	def validate(self) -> None:
		problems = rule_problems(self)
		if problems:
			frappe.throw("<br>".join(problems), title=_("Invalid Grading Rule"))
