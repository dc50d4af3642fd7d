# Copyright (c) 2026, Complaint Response Contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import strip_html_tags

from complaint_response.rules.registration import MAX_DESCRIPTION_CHARS, summarise


class Complaint(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from complaint_response.complaint_response.doctype.complaint_evidence.complaint_evidence import (
			ComplaintEvidence,
		)

		affected_customers: DF.Int
		amount_at_stake: DF.Currency
		category: DF.Link | None
		channel: DF.Literal[
			"Phone",
			"Email",
			"Web Form",
			"WeChat",
			"Walk-in / Store",
			"Social Media",
			"Helpdesk Ticket",
			"API",
			"Other",
		]
		complainant_name: DF.Data
		contact_email: DF.Data | None
		contact_phone: DF.Data | None
		currency: DF.Link | None
		description: DF.TextEditor
		evidence: DF.Table[ComplaintEvidence]
		product: DF.Data | None
		received_on: DF.Datetime
		reference_doctype: DF.Link | None
		reference_name: DF.DynamicLink | None
		status: DF.Literal["Open", "Resolved", "Closed", "Rejected"]
		store_branch: DF.Data | None
		subject: DF.Data | None

	# end: auto-generated types
	def validate(self) -> None:
		self.validate_description_length()
		self.validate_category_enabled()
		self.set_subject()

	def validate_description_length(self) -> None:
		if len(self.description or "") > MAX_DESCRIPTION_CHARS:
			frappe.throw(
				_(
					"What Happened is {0} characters long; the limit is {1}. Attach long texts as evidence."
				).format(len(self.description), MAX_DESCRIPTION_CHARS),
				frappe.CharacterLengthExceededError,
				title=_("Description Too Long"),
			)

	def validate_category_enabled(self) -> None:
		if self.category and not frappe.db.get_value("Complaint Category", self.category, "enabled"):
			frappe.throw(
				_("Complaint Category {0} is disabled. Choose another category.").format(
					frappe.bold(self.category)
				),
				title=_("Disabled Category"),
			)

	def set_subject(self) -> None:
		if not self.subject:
			self.subject = summarise(strip_html_tags(self.description or ""))
