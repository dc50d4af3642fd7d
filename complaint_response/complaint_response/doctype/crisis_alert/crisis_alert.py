# Copyright (c) 2026, Complaint Response Contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document

from complaint_response import notify
from complaint_response.checked_document import CheckedDocument, require
from complaint_response.crisis import alert


class CrisisAlert(CheckedDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from complaint_response.complaint_response.doctype.crisis_affected_customer.crisis_affected_customer import (
			CrisisAffectedCustomer,
		)
		from complaint_response.complaint_response.doctype.crisis_alert_complaint.crisis_alert_complaint import (
			CrisisAlertComplaint,
		)
		from complaint_response.complaint_response.doctype.crisis_alert_team_member.crisis_alert_team_member import (
			CrisisAlertTeamMember,
		)
		from complaint_response.complaint_response.doctype.crisis_alert_update.crisis_alert_update import (
			CrisisAlertUpdate,
		)
		from complaint_response.complaint_response.doctype.emergency_plan_step.emergency_plan_step import (
			EmergencyPlanStep,
		)

		affected_customer_count: DF.Int
		affected_customers: DF.Table[CrisisAffectedCustomer]
		business_impact: DF.SmallText | None
		cause: DF.SmallText | None
		checklist: DF.Table[EmergencyPlanStep]
		closed_on: DF.Datetime | None
		comms_approved_by: DF.Link | None
		comms_approved_on: DF.Datetime | None
		complaints: DF.Table[CrisisAlertComplaint]
		course: DF.TextEditor | None
		crisis_type: DF.Link
		detection_details: DF.SmallText | None
		detection_dimension: DF.Data | None
		detection_key: DF.Data | None
		detection_kind: DF.Data | None
		detection_signals: DF.SmallText | None
		detection_value: DF.Data | None
		dismissal_reason: DF.SmallText | None
		emergency_plan: DF.Link | None
		impact: DF.Int
		incident_time: DF.Datetime | None
		is_drill: DF.Check
		items: DF.SmallText | None
		last_signal_on: DF.Datetime | None
		legal_approved_by: DF.Link | None
		legal_approved_on: DF.Datetime | None
		lessons_learned: DF.SmallText | None
		level: DF.Literal["I", "II", "III", "IV"]
		level_override_reason: DF.SmallText | None
		likelihood: DF.Int
		matrix_level: DF.Literal["", "I", "II", "III", "IV"]
		placation_message: DF.TextEditor | None
		place: DF.Data | None
		published_on: DF.Datetime | None
		regions: DF.SmallText | None
		released_statement: DF.TextEditor | None
		root_cause: DF.SmallText | None
		source: DF.Literal[
			"Manual",
			"Complaint Spike",
			"Group Complaint",
			"Severe Complaint",
			"Internal Monitoring",
			"Public Opinion",
		]
		stage: DF.Literal[
			"Raised", "Assessed", "Published", "Responding", "Recovering", "Closed", "Reviewed", "Dismissed"
		]
		statement_draft: DF.TextEditor | None
		statement_released_on: DF.Datetime | None
		stores: DF.SmallText | None
		team: DF.Table[CrisisAlertTeamMember]
		title: DF.Data
		updates: DF.Table[CrisisAlertUpdate]
		workflow_state: DF.Link | None

	# end: auto-generated types

	def run_notifications(self, method: str) -> None:
		"""Frappe's Notifications, sent after the commit (complaint_response/notify.py)."""
		notify.run_deferred(self, method)

	def validate(self) -> None:
		alert.set_level(self)
		alert.collect_affected_customers(self)
		alert.guard_statement(self)
		alert.tick_checklist(self)
		alert.validate_stage(self)

	def on_update(self) -> None:
		alert.after_save(self)

	@frappe.whitelist()
	def set_stage(self, stage: str | None = None) -> None:
		"""Move to `stage` on a site without an active Crisis Alert workflow."""
		require(stage=stage)
		alert.move(self, stage)

	@frappe.whitelist()
	def next_stages(self) -> list[str]:
		"""The stages the current user may move this alert to (no-workflow sites)."""
		return alert.next_stages(self)

	@frappe.whitelist()
	def approve_statement(self) -> None:
		"""Approve the statement draft as Legal Counsel or Communications Officer."""
		alert.approve_statement(self)

	@frappe.whitelist()
	def release_statement(self) -> None:
		"""Release the approved statement; its text is frozen from then on."""
		alert.release_statement(self)

	@frappe.whitelist()
	def send_placation(self) -> None:
		"""Queue the apology to every affected customer not yet contacted."""
		alert.queue_placation(self)

	@frappe.whitelist()
	def make_improvement_action(self, title: str | None = None) -> str:
		"""Create an Improvement Action from this alert's review and return its name."""
		return alert.make_improvement_action(self, title)
