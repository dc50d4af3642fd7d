# Copyright (c) 2026, Complaint Response Contributors
# For license information, please see license.txt

from frappe.model.document import Document


class CrisisTeamDuty(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		duty: DF.Literal[
			"Commander", "Communications", "Customer Service", "Quality / Production", "Legal", "Other"
		]
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		responsibilities: DF.SmallText | None
		role: DF.Link
		user: DF.Link | None
	# end: auto-generated types
	pass
