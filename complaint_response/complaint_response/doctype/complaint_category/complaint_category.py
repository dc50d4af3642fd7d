# Copyright (c) 2026, Complaint Response Contributors
# For license information, please see license.txt

from frappe.model.document import Document

from complaint_response.checked_document import CheckedDocument


class ComplaintCategory(CheckedDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		category_name: DF.Data
		description: DF.SmallText | None
		enabled: DF.Check
	# end: auto-generated types
	pass
