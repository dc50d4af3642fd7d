# Copyright (c) 2026, Complaint Response Contributors
# For license information, please see license.txt

from frappe.model.document import Document

from complaint_response.checked_document import CheckedDocument


class CrisisTeamRoster(CheckedDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from complaint_response.complaint_response.doctype.crisis_team_duty.crisis_team_duty import (
			CrisisTeamDuty,
		)

		duties: DF.Table[CrisisTeamDuty]
		level: DF.Literal["I", "II", "III", "IV"]
	# end: auto-generated types
	pass
