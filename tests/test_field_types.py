"""rules/field_types.py: values of the wrong kind are named, numbers in text become numbers."""

from datetime import date, datetime

import pytest

from complaint_response.rules.field_types import coerce


def ok(fieldtype, value):
	fixed, problem = coerce(fieldtype, "F", value)
	assert problem is None, (fieldtype, value, problem)
	return fixed


def bad(fieldtype, value) -> str:
	_fixed, problem = coerce(fieldtype, "F", value)
	assert problem is not None, (fieldtype, value)
	return problem.text()


def test_empty_is_always_fine():
	for fieldtype in ("Data", "Int", "Currency", "Datetime", "Check", "Table", "Link"):
		assert ok(fieldtype, None) is None
		assert ok(fieldtype, "") == ""


@pytest.mark.parametrize("value", [[None], {"": None}, ["a"], {"a": 1}, object()])
def test_no_structure_in_a_text_field(value):
	assert bad("Data", value) == "F must be text."
	assert bad("Link", value) == "F must be text."


def test_text_fields_take_scalars():
	assert ok("Data", "x") == "x"
	assert ok("Small Text", 42) == "42"
	assert ok("Select", True) is True


def test_text_fields_take_text():
	"""Frappe validates a Data field's Phone/Email/Name/URL options, and the app measures and sanitises
	text, on text only (a bool or a number there was a server error: found by the fuzz test with
	contact_phone = true and description = true)."""
	assert ok("Data", 13800000000) == "13800000000"
	assert ok("Data", 1.5) == "1.5"
	assert ok("Text Editor", 7) == "7"
	for fieldtype in ("Data", "Small Text", "Text Editor", "Long Text"):
		assert bad(fieldtype, True) == "F must be text."
		assert bad(fieldtype, False) == "F must be text."


def test_whole_numbers():
	assert ok("Int", "12") == 12
	assert ok("Int", 3.0) == 3
	assert bad("Int", "1.5") == "F must be a whole number."
	assert bad("Int", "many") == "F must be a whole number."
	assert bad("Int", 2**40) == "F is too large."
	assert bad("Int", [1]) == "F must be a whole number."


def test_decimals():
	assert ok("Currency", "0") == 0.0
	assert ok("Currency", "1,200.50") == 1200.5
	assert ok("Float", 2) == 2
	assert bad("Currency", "lots") == "F must be a number."
	assert bad("Currency", float("nan")) == "F must be a number."
	assert bad("Float", 1e13) == "F is too large."


def test_check():
	assert ok("Check", "1") == 1
	assert ok("Check", True) == 1
	assert bad("Check", 2) == "F must be 0 or 1."


def test_moments():
	assert ok("Datetime", "2026-11-30 10:00:00") == "2026-11-30 10:00:00"
	assert ok("Datetime", "2026-11-30T10:00:00Z")
	assert ok("Datetime", datetime(2026, 1, 1))
	assert ok("Date", "2026-11-30")
	assert ok("Date", date(2026, 1, 1))
	assert ok("Time", "10:30:00")
	assert bad("Datetime", "0") == "F must be a date and time (YYYY-MM-DD HH:MM:SS)."
	assert bad("Datetime", "2026-02-30 25:61:00")
	assert bad("Datetime", "0001-01-01 00:00:00")
	assert bad("Date", "yesterday") == "F must be a date (YYYY-MM-DD)."
	assert bad("Time", "25:00") == "F must be a time (HH:MM:SS)."
	assert bad("Date", 20261130)


def test_tables():
	assert ok("Table", [{"a": 1}]) == [{"a": 1}]
	assert bad("Table", [None]) == "F must be a list of rows."
	assert bad("Table", "rows") == "F must be a list of rows."
