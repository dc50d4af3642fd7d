# Copyright (c) 2026, Complaint Response Contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ComplaintTimeNode(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		clock_status: DF.Literal["Not Started", "Running", "Paused", "Met", "Met Late", "Breached"]
		due: DF.Datetime | None
		elapsed_pct: DF.Percent
		escalation_level: DF.Int
		met_on: DF.Datetime | None
		node: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		source: DF.Data | None
		strictest: DF.Check
		warnings_sent: DF.Data | None
	# end: auto-generated types
	pass
