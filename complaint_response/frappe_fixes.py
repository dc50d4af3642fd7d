"""A fix to Frappe itself that the app's personal-data rule depends on, applied when the app loads.

Frappe 15's `DatabaseQuery.apply_fieldlevel_read_permissions` drops the fields a user may not read from
a `frappe.get_list` / `/api/resource?fields=...` query by popping them from the list it is iterating
over, so of two such fields in a row the second is skipped and returned: a Crisis Team Member asking
for `["complainant_name", "contact_phone"]` got the phone number. (The desk's list and report views
go through `frappe.desk.reportview`, which filters correctly first.) The fix runs Frappe's own method
again until it removes nothing more: it only ever removes fields, so it can never show more than
Frappe means to. Tested by complaint_response/tests/test_personal_data.py."""

from frappe.model.db_query import DatabaseQuery

_original = DatabaseQuery.apply_fieldlevel_read_permissions


def apply_fieldlevel_read_permissions(self) -> None:
	while True:
		before = list(self.fields or [])
		_original(self)
		# as_list queries blank the fields in place (no skipping); only popped lists can shrink again
		if self.as_list or list(self.fields or []) == before:
			return


def apply() -> None:
	if getattr(DatabaseQuery.apply_fieldlevel_read_permissions, "__module__", "") != __name__:
		DatabaseQuery.apply_fieldlevel_read_permissions = apply_fieldlevel_read_permissions
