# Copyright (c) 2026, Complaint Response Contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ComplaintResolutionLine(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		amount: DF.Currency
		line_description: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
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
	# end: auto-generated types
	pass
