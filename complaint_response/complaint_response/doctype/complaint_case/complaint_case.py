# Copyright (c) 2026, Complaint Response Contributors
# For license information, please see license.txt

from complaint_response import case_library
from complaint_response.checked_document import CheckedDocument


class ComplaintCase(CheckedDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		category: DF.Link | None
		channel: DF.Literal[
			"",
			"Phone",
			"Email",
			"Web Form",
			"WeChat",
			"Walk-in / Store",
			"Social Media",
			"Helpdesk Ticket",
			"ERPNext Issue",
			"API",
			"Other",
		]
		findings: DF.Text | None
		keywords: DF.SmallText | None
		lessons_learned: DF.Text | None
		product: DF.Data | None
		received_on: DF.Date | None
		resolution: DF.Text | None
		root_cause_category: DF.Literal[
			"", "People", "Process", "Product", "Supplier", "System", "Environment", "Other"
		]
		severity: DF.Literal["", "General", "Major", "Group"]
		source_complaint: DF.Link
		store_branch: DF.Data | None
		summary: DF.Text | None
		title: DF.Data
	# end: auto-generated types

	def validate(self) -> None:
		if self.is_new():
			case_library.validate_source(self)
		case_library.anonymise_case(self)
