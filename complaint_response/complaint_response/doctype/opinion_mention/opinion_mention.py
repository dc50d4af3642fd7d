# Copyright (c) 2026, Complaint Response Contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document

from complaint_response.checked_document import CheckedDocument


class OpinionMention(CheckedDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		brand: DF.Data | None
		crisis_alert: DF.Link | None
		mention_id: DF.Data | None
		mention_key: DF.Data | None
		product: DF.Data | None
		published_on: DF.Datetime | None
		reach: DF.Int
		sentiment: DF.Literal["Negative", "Neutral", "Positive"]
		source: DF.Link
		store: DF.Data | None
		text: DF.SmallText | None
		url: DF.Data | None
	# end: auto-generated types
	pass


def on_doctype_update() -> None:
	"""The public-opinion windows count by brand, store or product over a range of `published_on`."""
	for fieldname in ("brand", "store", "product"):
		frappe.db.add_index("Opinion Mention", [fieldname, "published_on"])
