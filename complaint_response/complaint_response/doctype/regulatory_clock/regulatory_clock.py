# Copyright (c) 2026, Complaint Response Contributors
# For license information, please see license.txt

from frappe.model.document import Document

from complaint_response.checked_document import CheckedDocument
from complaint_response.lifecycle.sla import validate_nodes


class RegulatoryClock(CheckedDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from complaint_response.complaint_response.doctype.complaint_sla_node.complaint_sla_node import (
			ComplaintSLANode,
		)

		channel: DF.Literal[
			"",
			"Phone",
			"Email",
			"Web Form",
			"WeChat",
			"Walk-in / Store",
			"Social Media",
			"Helpdesk Ticket",
			"API",
			"Other",
		]
		clock_name: DF.Data
		company: DF.Data | None
		description: DF.SmallText | None
		enabled: DF.Check
		nodes: DF.Table[ComplaintSLANode]

	# end: auto-generated types
	def validate(self) -> None:
		validate_nodes(self)
