# Copyright (c) 2026, Complaint Response Contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from complaint_response.checked_document import CheckedDocument
from complaint_response.lifecycle.sla import WEEKDAY_FIELDS


class ComplaintSettings(CheckedDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from complaint_response.complaint_response.doctype.complaint_holiday.complaint_holiday import (
			ComplaintHoliday,
		)

		agent_limit: DF.Currency
		day_end: DF.Time | None
		digest_enabled: DF.Check
		digest_recipients: DF.SmallText | None
		digest_role: DF.Link | None
		day_start: DF.Time | None
		follow_up_days: DF.Int
		friday: DF.Check
		holiday_list: DF.Data | None
		holidays: DF.Table[ComplaintHoliday]
		major_escalation_role: DF.Link | None
		manager_limit: DF.Currency
		max_attachment_mb: DF.Int
		monday: DF.Check
		re_escalate_after_hours: DF.Float
		reassign_on_escalation: DF.Check
		repeat_window_days: DF.Int
		saturday: DF.Check
		second_escalation_role: DF.Link | None
		sunday: DF.Check
		survey_valid_days: DF.Int
		thursday: DF.Check
		tuesday: DF.Check
		warning_percentages: DF.Data | None
		wednesday: DF.Check

	# end: auto-generated types
	def validate(self) -> None:
		self.validate_working_day()
		self.validate_limits()

	def validate_working_day(self) -> None:
		if not any(self.get(day) for day in WEEKDAY_FIELDS):
			frappe.throw(_("Choose at least one working day."), title=_("Working Calendar"))
		if self.day_start and self.day_end and str(self.day_start) >= str(self.day_end):
			frappe.throw(_("The working day must end after it starts."), title=_("Working Calendar"))

	def validate_limits(self) -> None:
		if (self.manager_limit or 0) < (self.agent_limit or 0):
			frappe.throw(
				_("The manager's limit cannot be below the agent's limit."), title=_("Compensation Approval")
			)
