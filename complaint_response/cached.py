"""Rules and policies read by every complaint save, kept in the site's cache instead of read each time:
grading rules, SLA policies and regulatory clocks. A change to one of them (saved, deleted, renamed)
clears its entry at once and again when its transaction ends (commit or rollback), so no request
keeps what another was in the middle of changing."""

from collections.abc import Callable

import frappe

PREFIX = "complaint_response:"
# which cached entries each DocType's records feed
KEYS: dict[str, tuple[str, ...]] = {
	"Complaint Grading Rule": ("grading_rules",),
	"Complaint SLA Policy": ("sla_policies",),
	"Regulatory Clock": ("regulatory_clocks",),
}


def get(key: str, load: Callable):
	return frappe.cache.get_value(PREFIX + key, load)


def clear(doc, method=None) -> None:
	"""doc_events: on_update, on_trash, after_rename of the DocTypes in KEYS."""
	keys = [PREFIX + key for key in KEYS.get(doc.doctype, ())]

	def drop():
		for key in keys:
			frappe.cache.delete_value(key)

	drop()
	frappe.db.after_commit.add(drop)
	frappe.db.after_rollback.add(drop)
