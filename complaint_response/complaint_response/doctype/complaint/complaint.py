# Copyright (c) 2026, Complaint Response Contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import strip_html_tags

from complaint_response import case_library, notify
from complaint_response.channels import email as email_channel
from complaint_response.checked_document import CheckedDocument, require
from complaint_response.integrations import erpnext
from complaint_response.lifecycle import flow, personal_data, sla
from complaint_response.lifecycle.grading import apply_grading
from complaint_response.rules.registration import MAX_DESCRIPTION_CHARS, summarise


class Complaint(CheckedDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from complaint_response.complaint_response.doctype.complaint_contact_log.complaint_contact_log import (
			ComplaintContactLog,
		)
		from complaint_response.complaint_response.doctype.complaint_evidence.complaint_evidence import (
			ComplaintEvidence,
		)
		from complaint_response.complaint_response.doctype.complaint_pause.complaint_pause import (
			ComplaintPause,
		)
		from complaint_response.complaint_response.doctype.complaint_resolution_line.complaint_resolution_line import (
			ComplaintResolutionLine,
		)
		from complaint_response.complaint_response.doctype.complaint_time_node.complaint_time_node import (
			ComplaintTimeNode,
		)

		accepted_on: DF.Datetime | None
		anonymised_on: DF.Datetime | None
		acknowledged_on: DF.Datetime | None
		affected_customers: DF.Int
		amount_at_stake: DF.Currency
		approval_role: DF.Data | None
		approved_by: DF.Link | None
		approved_on: DF.Datetime | None
		attachment_1: DF.Attach | None
		attachment_2: DF.Attach | None
		attachment_3: DF.Attach | None
		category: DF.Link | None
		channel: DF.Literal[
			"Phone",
			"Email",
			"Web Form",
			"WeChat",
			"Walk-in / Store",
			"Social Media",
			"Helpdesk Ticket",
			"ERPNext Issue",
			"API",
			"Other",
		]
		closed_on: DF.Datetime | None
		complainant_name: DF.Data
		consented_on: DF.Datetime | None
		complaint_owner: DF.Link | None
		contact_email: DF.Data | None
		contact_log: DF.Table[ComplaintContactLog]
		contact_phone: DF.Data | None
		crisis_worthy: DF.Check
		currency: DF.Link | None
		customer_informed_on: DF.Datetime | None
		description: DF.TextEditor
		duplicate_of: DF.Link | None
		evidence: DF.Table[ComplaintEvidence]
		findings: DF.TextEditor | None
		first_response_on: DF.Datetime | None
		follow_up_comment: DF.SmallText | None
		follow_up_due: DF.Datetime | None
		followed_up_on: DF.Datetime | None
		graded_priority: DF.Literal["", "Low", "Medium", "High", "Urgent"]
		graded_severity: DF.Literal["", "General", "Major", "Group"]
		grading_reasons: DF.SmallText | None
		intake_key: DF.Data | None
		investigation_started_on: DF.Datetime | None
		investigator: DF.Link | None
		lessons_learned: DF.SmallText | None
		next_check_at: DF.Datetime | None
		next_due: DF.Datetime | None
		override_reason: DF.SmallText | None
		pauses: DF.Table[ComplaintPause]
		priority: DF.Literal["Low", "Medium", "High", "Urgent"]
		privacy_consent: DF.Check
		product: DF.Data | None
		raised_because: DF.SmallText | None
		received_on: DF.Datetime
		reference_doctype: DF.Link | None
		reference_name: DF.DynamicLink | None
		rejection_note: DF.SmallText | None
		rejection_reason: DF.Literal["", "Not a Complaint", "Duplicate", "Out of Scope", "Other"]
		reopened_on: DF.Datetime | None
		resolution_lines: DF.Table[ComplaintResolutionLine]
		reviewed_on: DF.Datetime | None
		root_cause_category: DF.Literal[
			"", "People", "Process", "Product", "Supplier", "System", "Environment", "Other"
		]
		satisfaction: DF.Int
		severity: DF.Literal["General", "Major", "Group"]
		sla_alert: DF.SmallText | None
		sla_status: DF.Literal["", "On Track", "Warning", "Breached", "Paused", "Met", "Stopped"]
		stage: DF.Literal[
			"Received",
			"Classified",
			"Assigned",
			"Investigating",
			"Resolution Proposed",
			"Resolution Approved",
			"Customer Informed",
			"Follow-up",
			"Closed",
			"Reviewed",
			"Reopened",
			"Rejected",
		]
		status: DF.Literal["Open", "Resolved", "Closed", "Rejected"]
		store_branch: DF.Data | None
		subject: DF.Data | None
		time_nodes: DF.Table[ComplaintTimeNode]
		total_compensation: DF.Currency
		waiting_on_customer: DF.Check
		workflow_state: DF.Link | None

	# end: auto-generated types

	def run_notifications(self, method: str) -> None:
		"""Frappe's Notifications, sent after the commit (complaint_response/notify.py)."""
		notify.run_deferred(self, method)

	def onload(self) -> None:
		# the form offers Add to Case Library, or Open Case when there is one (complaint.js)
		self.set_onload("complaint_case", case_library.case_of(self.name))

	def before_insert(self) -> None:
		email_channel.prepare(self)

	def validate(self) -> None:
		self.validate_description_length()
		self.validate_category_enabled()
		self.set_subject()
		erpnext.fill_from_links(self)
		apply_grading(self)
		flow.set_compensation(self)
		flow.validate_satisfaction(self)
		flow.reopen_if_dissatisfied(self)
		flow.validate_stage(self)
		sla.refresh(self)

	def on_update(self) -> None:
		flow.after_save(self)

	@frappe.whitelist()
	def set_stage(self, stage: str | None = None) -> None:
		"""Move to `stage` on a site without an active Complaint workflow."""
		require(stage=stage)
		flow.move(self, stage)

	@frappe.whitelist()
	def next_stages(self) -> list[str]:
		"""The stages the current user may move this complaint to (no-workflow sites)."""
		return flow.next_stages(self)

	@frappe.whitelist(methods=["POST"])
	def anonymise(self, reason: str | None = None) -> None:
		"""Remove the complainant's identity from this closed complaint (lifecycle/personal_data.py)."""
		personal_data.anonymise(self, reason)

	@frappe.whitelist(methods=["POST"])
	def add_to_case_library(self) -> str:
		"""Keep this reviewed complaint, without the complainant, in the case library for training
		(case_library.py); return its case's name."""
		return case_library.add(self)

	@frappe.whitelist()
	def make_improvement_action(self) -> str:
		"""Create an Improvement Action from this complaint's review and return its name."""
		self.check_permission("write")
		action = frappe.get_doc(
			{
				"doctype": "Improvement Action",
				"title": _("Improve after complaint {0}: {1}").format(self.name, self.subject or "")[:140],
				"source_complaint": self.name,
				"root_cause": "\n".join(
					part for part in (_(self.root_cause_category or ""), self.lessons_learned or "") if part
				),
			}
		).insert()
		return action.name

	def validate_description_length(self) -> None:
		if len(self.description or "") > MAX_DESCRIPTION_CHARS:
			frappe.throw(
				_(
					"What Happened is {0} characters long; the limit is {1}. Attach long texts as evidence."
				).format(len(self.description), MAX_DESCRIPTION_CHARS),
				frappe.CharacterLengthExceededError,
				title=_("Description Too Long"),
			)

	def validate_category_enabled(self) -> None:
		if self.category and not frappe.db.get_value("Complaint Category", self.category, "enabled"):
			frappe.throw(
				_("Complaint Category {0} is disabled. Choose another category.").format(
					frappe.bold(self.category)
				),
				title=_("Disabled Category"),
			)

	def set_subject(self) -> None:
		if not self.subject:
			self.subject = summarise(strip_html_tags(self.description or ""))


def on_doctype_update() -> None:
	"""Indexes for the early-warning job (jobs/detection.py): the complaints created since its last run,
	and the counts per category, product and store over a range of `received_on`."""
	frappe.db.add_index("Complaint", ["creation"])
	for fieldname in ("category", "product", "store_branch"):
		frappe.db.add_index("Complaint", [fieldname, "received_on"])
	# Complaint Performance (analytics.period_totals): a range of `received_on` read from the index alone
	# (it holds every field the report counts; InnoDB adds the name), and each complaint's Resolution
	# time nodes found by parent and node with their status in the index.
	frappe.db.add_index(
		"Complaint",
		["received_on", "first_response_on", "customer_informed_on", "satisfaction", "stage"],
		"performance_report_index",
	)
	# (On install the child table may not exist yet: then it comes with Complaint's next re-import.)
	if frappe.db.table_exists("Complaint Time Node"):
		frappe.db.add_index(
			"Complaint Time Node", ["parent", "node", "clock_status"], "parent_node_status_index"
		)
