# Copyright (c) 2026, Complaint Response Contributors
# For license information, please see license.txt

from frappe.model.document import Document


class CrisisAffectedCustomer(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		callback_done_on: DF.Datetime | None
		callback_notes: DF.SmallText | None
		complaint: DF.Link | None
		contact_email: DF.Data | None
		contact_phone: DF.Data | None
		customer_name: DF.Data
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		placation_sent_on: DF.Datetime | None
	# end: auto-generated types
	pass
