# Copyright (c) 2026, Complaint Response Contributors
# For license information, please see license.txt

from frappe.model.document import Document


class EmergencyPlanStep(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		done: DF.Check
		done_by: DF.Link | None
		done_on: DF.Datetime | None
		owner_role: DF.Link | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		step: DF.Data
		within_hours: DF.Float
	# end: auto-generated types
	pass
