# Copyright (c) 2026, Complaint Response Contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from complaint_response.checked_document import CheckedDocument


class CompensationStandard(CheckedDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		category: DF.Link | None
		description: DF.SmallText | None
		max_amount: DF.Currency
		resolution_type: DF.Literal[
			"Refund",
			"Replacement",
			"Free Redo",
			"Repair",
			"Discount / Coupon",
			"Apology",
			"Staff Training / Warning",
			"Recall",
			"Other",
		]
		standard_amount: DF.Currency

	# end: auto-generated types
	def validate(self) -> None:
		if self.max_amount and (self.standard_amount or 0) > self.max_amount:
			frappe.throw(
				_("The standard amount cannot be above the maximum."), title=_("Compensation Standard")
			)
		duplicate = frappe.db.exists(
			"Compensation Standard",
			{
				"resolution_type": self.resolution_type,
				"category": self.category or ("is", "not set"),
				"name": ("!=", self.name),
			},
		)
		if duplicate:
			frappe.throw(
				_("A standard for {0} in this category already exists: {1}.").format(
					_(self.resolution_type), duplicate
				),
				frappe.DuplicateEntryError,
			)
