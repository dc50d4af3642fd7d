# Copyright (c) 2026, Complaint Response Contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ComplaintSLANode(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		duration: DF.Float
		extended_duration: DF.Float
		node: DF.Data
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		starts_at: DF.Literal[
			"received",
			"acknowledged",
			"accepted",
			"first_response",
			"investigation_started",
			"resolved",
			"followed_up",
		]
		stops_at: DF.Literal[
			"received",
			"acknowledged",
			"accepted",
			"first_response",
			"investigation_started",
			"resolved",
			"followed_up",
		]
		unit: DF.Literal["Hours", "Calendar Hours", "Working Days", "Calendar Days", "Weeks"]
	# end: auto-generated types
	pass
