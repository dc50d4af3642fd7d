# Copyright (c) 2026, Complaint Response Contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ComplaintPause(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		paused_from: DF.Datetime
		paused_to: DF.Datetime | None
		reason: DF.Data | None
	# end: auto-generated types
	pass
