# Copyright (c) 2026, Complaint Response Contributors
# For license information, please see license.txt

from frappe.model.document import Document

from complaint_response import notify
from complaint_response.checked_document import CheckedDocument


class ImprovementAction(CheckedDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		action_owner: DF.Link | None
		due_date: DF.Date | None
		measure: DF.SmallText | None
		root_cause: DF.SmallText | None
		source_complaint: DF.Link | None
		source_crisis_alert: DF.Link | None
		status: DF.Literal["Open", "In Progress", "Implemented", "Verified", "Cancelled"]
		title: DF.Data
	# end: auto-generated types

	def run_notifications(self, method: str) -> None:
		"""Frappe's Notifications, sent after the commit (complaint_response/notify.py)."""
		notify.run_deferred(self, method)

	pass
