"""The base of the app's DocTypes: values of the wrong kind are refused with a 422 naming the field,
before Frappe or the app's code acts on them (rules/field_types.py), whether they come from a REST
create or update, a desk save or code. Numbers sent as text are stored as numbers."""

import html

import frappe
from frappe import _
from frappe.model.document import Document

from complaint_response.rules import field_types


class InvalidValue(frappe.ValidationError):
	"""A value of the wrong kind for its field: nothing is written."""

	http_status_code = 422


def refuse(problems: list) -> None:
	if problems:
		frappe.throw(
			"<br>".join(html.escape(p.text(_)) for p in problems), InvalidValue, title=_("Invalid Value")
		)


def checked_values(doctype: str, values: dict, problems: list) -> dict:
	"""`values` (a dict meant for a document of `doctype`) with each value checked and coerced."""
	meta = frappe.get_meta(doctype)
	out = dict(values)
	for fieldname, value in values.items():
		df = meta.get_field(fieldname) if isinstance(fieldname, str) else None
		if not df:
			continue
		label = _(df.label or df.fieldname)
		out[fieldname], found = field_types.coerce(df.fieldtype, label, value)
		if found:
			problems.append(found)
		elif df.fieldtype in field_types.TABLES and value:
			out[fieldname] = [
				checked_values(df.options, row, problems) if isinstance(row, dict) else row for row in value
			]
	return out


def check_document(doc: Document) -> None:
	problems: list = []
	for df in doc.meta.fields:
		value = doc.get(df.fieldname)
		if df.fieldtype in field_types.TABLES:
			for row in value or []:
				for child_df in row.meta.fields:
					row_value = row.get(child_df.fieldname)
					if row_value is None:
						continue
					fixed, found = field_types.coerce(
						child_df.fieldtype, _(child_df.label or child_df.fieldname), row_value
					)
					if found:
						problems.append(found)
					elif fixed is not row_value:
						row.set(child_df.fieldname, fixed)
			continue
		if value is None:
			continue
		fixed, found = field_types.coerce(df.fieldtype, _(df.label or df.fieldname), value)
		if found:
			problems.append(found)
		elif fixed is not value:
			doc.set(df.fieldname, fixed)
	refuse(problems)


class CheckedDocument(Document):
	def update(self, d):
		if isinstance(d, dict) and self.doctype:
			problems: list = []
			d = checked_values(self.doctype, d, problems)
			refuse(problems)
		return super().update(d)

	def insert(self, *args, **kwargs):
		check_document(self)
		return super().insert(*args, **kwargs)

	def save(self, *args, **kwargs):
		check_document(self)
		return super().save(*args, **kwargs)


class MissingArgument(frappe.ValidationError):
	"""A whitelisted method called without an argument it needs."""

	http_status_code = 422


def require(**arguments) -> None:
	"""Refuse a call missing any of `arguments` with a 422 naming them (instead of Python's TypeError,
	which Frappe answers with a server error)."""
	missing = [name for name, value in arguments.items() if value is None or value == ""]
	if missing:
		frappe.throw(
			_("Missing argument: {0}").format(", ".join(missing)),
			MissingArgument,
			title=_("Missing Argument"),
		)
