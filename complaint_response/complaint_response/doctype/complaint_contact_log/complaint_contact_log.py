# Copyright (c) 2026, Complaint Response Contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ComplaintContactLog(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		contact_by: DF.Link | None
		contact_channel: DF.Literal["Phone", "Email", "SMS", "WeChat", "In Person", "Other", "Portal"]
		contact_on: DF.Datetime
		direction: DF.Literal["Outbound", "Inbound"]
		outcome_told: DF.Check
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		summary: DF.SmallText
	# end: auto-generated types
	pass
