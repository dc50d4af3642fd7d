# Copyright (c) 2026, Complaint Response Contributors
# For license information, please see license.txt

from frappe.model.document import Document

from complaint_response.checked_document import CheckedDocument


class EmergencyPlan(CheckedDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from complaint_response.complaint_response.doctype.emergency_plan_step.emergency_plan_step import (
			EmergencyPlanStep,
		)

		crisis_type: DF.Link
		enabled: DF.Check
		plan_name: DF.Data
		steps: DF.Table[EmergencyPlanStep]
	# end: auto-generated types
	pass
