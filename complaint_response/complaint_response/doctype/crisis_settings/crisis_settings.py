# Copyright (c) 2026, Complaint Response Contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from complaint_response.checked_document import CheckedDocument
from complaint_response.rules.crisis_level import validate_matrix


class CrisisSettings(CheckedDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from complaint_response.complaint_response.doctype.crisis_risk_cell.crisis_risk_cell import (
			CrisisRiskCell,
		)

		baseline_days: DF.Int
		detection_enabled: DF.Check
		group_by_category: DF.Check
		group_by_product: DF.Check
		group_by_store: DF.Check
		group_interval_hours: DF.Int
		group_same_cause: DF.Int
		last_detection_run: DF.Datetime | None
		min_count: DF.Int
		min_ratio: DF.Float
		opinion_min_mentions: DF.Int
		opinion_min_reach: DF.Int
		opinion_negative_share: DF.Percent
		opinion_window_hours: DF.Int
		p_threshold: DF.Float
		risk_matrix: DF.Table[CrisisRiskCell]
		spike_test: DF.Literal["Several Windows", "24 Hours"]
		window_hours: DF.Int

	# end: auto-generated types
	def validate(self) -> None:
		if self.risk_matrix:
			rows = [(row.likelihood, row.impact, row.level) for row in self.risk_matrix]
			problems = validate_matrix(rows, translate=_)
			if problems:
				frappe.throw("<br>".join(problems), title=_("Invalid Risk Matrix"))
