"""Is a value of the right kind for a field? Checked before a document of the app takes it in.

Frappe takes what a REST client sends as it comes: a list in a Link field, a word in a Datetime or a
number too large for its column reaches the database (or the app's own code) and ends as a server
error. `coerce` answers each value with the value to store (numbers from numeric text, for the code
that compares them) or a Problem naming the field. Plain Python: no `import frappe`."""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from complaint_response.rules.stages import Problem, problem

WHOLE = frozenset({"Int", "Duration"})
CHECK = "Check"
DECIMAL = frozenset({"Float", "Currency", "Percent", "Rating"})
TABLES = frozenset({"Table", "Table MultiSelect"})
STRUCTURED = frozenset({"JSON", "Geolocation"})
TEXT = frozenset(
	{
		"Data",
		"Small Text",
		"Text",
		"Long Text",
		"Text Editor",
		"Code",
		"HTML Editor",
		"Markdown Editor",
		"Password",
		"Phone",
		"Autocomplete",
		"Read Only",
	}
)
# MariaDB's INT column, and Frappe's decimal(21,9) for Float and Currency
INT_LIMIT = 2**31 - 1
DECIMAL_LIMIT = 10**12
SCALARS = (str, int, float, Decimal, date, datetime, time, timedelta)


def _number(value) -> float | None:
	if isinstance(value, bool):
		return float(value)
	if isinstance(value, int | float | Decimal):
		number = float(value)
	elif isinstance(value, str) and value.strip():
		try:
			number = float(value.strip().replace(",", ""))
		except ValueError:
			return None
	else:
		return None
	return number if math.isfinite(number) else None


def _moment(fieldtype: str, value) -> bool:
	if fieldtype == "Time":
		if isinstance(value, time | timedelta):
			return True
		if isinstance(value, str):
			try:
				time.fromisoformat(value.strip())
				return True
			except ValueError:
				return False
		return False
	if isinstance(value, datetime | date):
		return True
	if not isinstance(value, str):
		return False
	text = value.strip()
	try:
		moment = datetime.fromisoformat(text.replace("Z", "+00:00")) if fieldtype == "Datetime" else None
		if fieldtype == "Date":
			moment = datetime.fromisoformat(text[:10]) if len(text) >= 10 else None
	except ValueError:
		return False
	return moment is not None and 1900 <= moment.year <= 9999


def coerce(fieldtype: str, label: str, value) -> tuple[object, Problem | None]:
	"""The value to store for a field of `fieldtype`, or a Problem naming the field by `label`."""
	if value is None or value == "":
		return value, None
	if fieldtype in TABLES:
		if isinstance(value, list | tuple) and all(
			isinstance(row, dict) or hasattr(row, "doctype") for row in value
		):
			return value, None
		return value, problem("{field} must be a list of rows.", field=label)
	if fieldtype in STRUCTURED:
		return value, None
	if fieldtype == CHECK:
		number = _number(value)
		if number in (0.0, 1.0):
			return int(number), None
		return value, problem("{field} must be 0 or 1.", field=label)
	if fieldtype in WHOLE:
		number = _number(value)
		if number is None or number != int(number):
			return value, problem("{field} must be a whole number.", field=label)
		if abs(number) > INT_LIMIT:
			return value, problem("{field} is too large.", field=label)
		return int(number), None
	if fieldtype in DECIMAL:
		number = _number(value)
		if number is None:
			return value, problem("{field} must be a number.", field=label)
		if abs(number) >= DECIMAL_LIMIT:
			return value, problem("{field} is too large.", field=label)
		return (
			value if isinstance(value, int | float | Decimal) and not isinstance(value, bool) else number
		), None
	if fieldtype in ("Date", "Datetime", "Time"):
		if _moment(fieldtype, value):
			return value, None
		if fieldtype == "Date":
			return value, problem("{field} must be a date (YYYY-MM-DD).", field=label)
		if fieldtype == "Datetime":
			return value, problem("{field} must be a date and time (YYYY-MM-DD HH:MM:SS).", field=label)
		return value, problem("{field} must be a time (HH:MM:SS).", field=label)
	if not isinstance(value, SCALARS):
		return value, problem("{field} must be text.", field=label)
	if fieldtype in TEXT:
		# Frappe's checks of a Data field's options (Phone, Email, Name, URL) and the app's own (lengths,
		# sanitising) take text only: a number is stored as its text, a yes/no is not text at all.
		if isinstance(value, bool):
			return value, problem("{field} must be text.", field=label)
		if isinstance(value, int | float | Decimal):
			return str(value), None
	return value, None
