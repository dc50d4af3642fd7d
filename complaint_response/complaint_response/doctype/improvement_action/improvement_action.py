# Copyright (c) 2026, Complaint Response Contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.workflow import get_workflow_name
from frappe.utils import cint, flt, getdate, now_datetime, today

from complaint_response import notify
from complaint_response.checked_document import CheckedDocument, require
from complaint_response.jobs import improvement
from complaint_response.rules import effect

WORKFLOW_FIELD = "workflow_state"
# Changing any of these while the effect is being measured recounts the complaints before.
BEFORE_INPUTS = ("implemented_on", "before_window_days", *improvement.SCOPE)


class ImprovementAction(CheckedDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from complaint_response.complaint_response.doctype.improvement_action_why.improvement_action_why import (
			ImprovementActionWhy,
		)

		action_owner: DF.Link | None
		after_count: DF.Int
		after_days: DF.Float
		after_rate: DF.Float
		before_count: DF.Int
		before_days: DF.Float
		before_rate: DF.Float
		before_window_days: DF.Int
		cause_category: DF.Literal[
			"", "People", "Process", "Product", "Supplier", "Communication", "Environment"
		]
		corrective_measures: DF.Text | None
		department: DF.Data | None
		due_date: DF.Date | None
		effect_confirmed_by: DF.Link | None
		effect_confirmed_on: DF.Datetime | None
		effect_note: DF.SmallText | None
		evidence_notes: DF.Text | None
		five_whys: DF.Table[ImprovementActionWhy]
		implemented_on: DF.Date | None
		measured_on: DF.Datetime | None
		measurement_final: DF.Check
		overdue_notified_on: DF.Datetime | None
		p_value: DF.Float
		preventive_measures: DF.Text | None
		problem_statement: DF.SmallText | None
		proposed_effect: DF.Literal["", "Effective", "Not Effective"]
		rate_ratio: DF.Float
		root_cause: DF.SmallText | None
		scope_category: DF.Link | None
		scope_product: DF.Data | None
		scope_root_cause: DF.Literal[
			"", "People", "Process", "Product", "Supplier", "System", "Environment", "Other"
		]
		scope_store_branch: DF.Data | None
		significance_level: DF.Float
		source_complaint: DF.Link | None
		source_crisis_alert: DF.Link | None
		source_type: DF.Literal["", "Complaint", "Crisis Alert", "Review Meeting", "Periodic Analysis"]
		status: DF.Literal[
			"Open",
			"Planned",
			"In Progress",
			"Implemented",
			"Verifying",
			"Effective",
			"Not Effective",
			"Closed",
			"Cancelled",
		]
		title: DF.Data
		verification_notified_on: DF.Datetime | None
		verification_window_days: DF.Int
		workflow_state: DF.Link | None
	# end: auto-generated types

	def run_notifications(self, method: str) -> None:
		"""Frappe's Notifications, sent after the commit (complaint_response/notify.py)."""
		notify.run_deferred(self, method)

	def validate(self) -> None:
		self.set_source_type()
		self.validate_windows()
		self.validate_implemented_on()
		self.reset_overdue_notice()
		moved = self.guard_status()
		if moved:
			self.on_status_change(*moved)
		self.refresh_before()

	@frappe.whitelist()
	def set_status(self, status: str | None = None) -> None:
		"""Move to `status` on a site without an active Improvement Action workflow."""
		require(status=status)
		if status not in effect.STATUSES:
			frappe.throw(_("{0} is not a status of {1}.").format(status, _(self.doctype)))
		if get_workflow_name(self.doctype):
			frappe.throw(_("This site runs {0} through a workflow: use its actions.").format(_(self.doctype)))
		self.check_permission("write")
		if not set(effect.MOVE_ROLES) & set(frappe.get_roles()):
			frappe.throw(
				_("Moving an improvement action needs one of these roles: {0}.").format(
					", ".join(_(role) for role in effect.MOVE_ROLES)
				),
				frappe.PermissionError,
			)
		self.status = status
		self.flags.status_change_allowed = True
		try:
			self.save()
		finally:
			self.flags.status_change_allowed = False

	@frappe.whitelist()
	def next_statuses(self) -> list[str]:
		"""The statuses the current user may move this action to (no-workflow sites)."""
		if not set(effect.MOVE_ROLES) & set(frappe.get_roles()):
			return []
		return effect.next_statuses(self.status)

	@frappe.whitelist()
	def measure_now(self) -> dict:
		"""The effect so far (complaints before and after, the test), shown and not stored."""
		self.check_permission("read")
		return improvement.interim(self)

	# -- checks ------------------------------------------------------------------------------------

	def set_source_type(self) -> None:
		if not self.source_type:
			if self.source_complaint:
				self.source_type = "Complaint"
			elif self.source_crisis_alert:
				self.source_type = "Crisis Alert"

	def validate_windows(self) -> None:
		for field in ("before_window_days", "verification_window_days"):
			if cint(self.get(field)) < 1:
				frappe.throw(
					_("{0} must be at least 1 day.").format(_(self.meta.get_label(field))),
					title=_("Invalid Window"),
				)
		if not 0 < flt(self.significance_level) < 1:
			frappe.throw(_("Significance Level must be between 0 and 1, such as 0.05."))

	def validate_implemented_on(self) -> None:
		if self.implemented_on and getdate(self.implemented_on) > getdate(today()):
			frappe.throw(_("Implemented On cannot be in the future."))

	def reset_overdue_notice(self) -> None:
		"""A new due date may be missed again: its notice is sent anew."""
		before = self.get_doc_before_save()
		if before and str(before.due_date or "") != str(self.due_date or ""):
			self.overdue_notified_on = None

	def facts(self) -> effect.ActionFacts:
		return effect.ActionFacts(
			has_owner=bool(self.action_owner),
			has_due_date=bool(self.due_date),
			has_measure=bool(
				(self.corrective_measures or "").strip() or (self.preventive_measures or "").strip()
			),
			has_evidence=bool((self.evidence_notes or "").strip()),
			effect_measured=bool(cint(self.measurement_final)),
		)

	def guard_status(self) -> tuple[str, str] | None:
		"""Check a status change: through the workflow's actions, the status buttons or the job, and
		allowed by rules/effect.py. Returns (old, new) when the status moved."""
		if self.is_new():
			if self.status != effect.OPEN and not (frappe.flags.in_import or frappe.flags.in_patch):
				frappe.throw(_("A new improvement action starts Open."))
			return None
		before = self.get_doc_before_save()
		old, new = before.status, self.status
		if old == new:
			return None
		if not self.flags.status_change_allowed:
			workflow = get_workflow_name(self.doctype)
			if workflow and self.get(WORKFLOW_FIELD) == before.get(WORKFLOW_FIELD):
				frappe.throw(
					_("Change the status of this improvement action with its workflow actions."),
					frappe.PermissionError,
				)
			if not workflow:
				frappe.throw(
					_("Change the status of this improvement action with its status buttons."),
					frappe.PermissionError,
				)
		found = effect.check_move(old, new, self.facts())
		if found:
			frappe.throw(
				"<br>".join(p.text(_) for p in found),
				frappe.ValidationError,
				title=_("Cannot move to {0}").format(_(new)),
			)
		return old, new

	def on_status_change(self, old: str, new: str) -> None:
		if new == effect.IMPLEMENTED:
			self.implemented_on = self.implemented_on or today()
			improvement.clear_results(self)
			self.flags.recount_before = True
		elif new in (effect.EFFECTIVE, effect.NOT_EFFECTIVE):
			self.effect_confirmed_by = frappe.session.user
			self.effect_confirmed_on = now_datetime()
		elif old == effect.NOT_EFFECTIVE and new == effect.IN_PROGRESS:
			# rework: the next implementation is measured afresh, from its own day
			self.implemented_on = None
			improvement.clear_results(self)

	def refresh_before(self) -> None:
		"""The complaints before are counted when the action is implemented, and again if its day, its
		before window or its scope change while the effect is still being measured."""
		if self.status not in (effect.IMPLEMENTED, effect.VERIFYING) or not self.implemented_on:
			return
		if cint(self.measurement_final):
			return
		before = self.get_doc_before_save()
		changed = before is None or any(
			str(before.get(f) or "") != str(self.get(f) or "") for f in BEFORE_INPUTS
		)
		if self.flags.recount_before or changed or not cint(self.before_days):
			improvement.record_before(self)
