"""Personal data on complaints (PIPL / GDPR): which fields hold it, when a complaint may be anonymised,
and how a change log is kept without the values. Plain Python: no `import frappe`."""

from __future__ import annotations

# The complainant's identity on a complaint: permission level 1, read only by customer service and
# managers (complaint.json).
PERSONAL_FIELDS: tuple[str, ...] = ("complainant_name", "contact_phone", "contact_email")
# Free text that may name or describe the customer: emptied (or replaced) on anonymisation.
FREE_TEXT_FIELDS: tuple[str, ...] = ("description", "subject", "findings", "follow_up_comment")
# Child rows whose text may hold personal data, and the fields of theirs that are cleared.
CHILD_TEXT_FIELDS: dict[str, tuple[str, ...]] = {
	"contact_log": ("summary",),
	"evidence": ("evidence_description", "attachment"),
	"resolution_lines": ("line_description",),
}
# Fields of other apps' links that carry the customer's identity, when those apps are installed.
LINK_FIELDS: tuple[str, ...] = ("customer",)
# Stages after which the customer's case is over and the record may lose its identity.
ANONYMISABLE_STAGES: frozenset[str] = frozenset({"Closed", "Reviewed", "Rejected"})
MASK = "***"


ALREADY = "already"
STILL_OPEN = "still open"


def may_anonymise(stage: str | None, already: bool) -> str | None:
	"""None when the complaint may be anonymised, else why not: ALREADY or STILL_OPEN."""
	if already:
		return ALREADY
	if stage not in ANONYMISABLE_STAGES:
		return STILL_OPEN
	return None


def mask_changes(data: dict, fields: tuple[str, ...] = PERSONAL_FIELDS, tables: dict | None = None) -> dict:
	"""A Version's data with the values of personal fields replaced by MASK: who changed which field,
	and when, stays on record; what the field held does not. `tables` maps a table field to the
	personal fields of its rows."""
	tables = tables or {}
	out = dict(data)
	out["changed"] = [
		[field, MASK if old not in (None, "") else old, MASK if new not in (None, "") else new]
		if field in fields
		else [field, old, new]
		for field, old, new in data.get("changed") or []
	]
	for key in ("added", "removed"):
		out[key] = [[table, mask_row(row, tables.get(table, ()))] for table, row in data.get(key) or []]
	out["row_changed"] = [
		[
			table,
			index,
			name,
			[
				[field, MASK, MASK] if field in tables.get(table, ()) else [field, old, new]
				for field, old, new in changes
			],
		]
		for table, index, name, changes in data.get("row_changed") or []
	]
	return out


def mask_row(row: dict, fields: tuple[str, ...]) -> dict:
	return {key: (MASK if key in fields and value not in (None, "") else value) for key, value in row.items()}
