# Copyright (c) 2026, Complaint Response Contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from complaint_response.checked_document import CheckedDocument
from complaint_response.rules.flagging import keywords_from


class ComplaintFlagRule(CheckedDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		applies_to: DF.Literal["HD Ticket", "Issue"]
		enabled: DF.Check
		keywords: DF.SmallText | None
		priority: DF.Data | None
		rule_name: DF.Data
		ticket_type: DF.Data | None

	# end: auto-generated types
	def validate(self) -> None:
		if not (self.ticket_type or self.priority or keywords_from(self.keywords)):
			frappe.throw(
				_("Set a ticket type, a priority or keywords: a rule without conditions would flag nothing."),
				title=_("Empty Rule"),
			)
