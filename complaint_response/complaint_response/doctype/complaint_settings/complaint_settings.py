# Copyright (c) 2026, Complaint Response Contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ComplaintSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		agent_limit: DF.Currency
		follow_up_days: DF.Int
		manager_limit: DF.Currency
		repeat_window_days: DF.Int
	# end: auto-generated types
	pass
