"""The permission matrix (complaint_response/permission_matrix.json), proven cell by cell on a real site:
for every DocType of the app and every role of the app (and System Manager), a user holding only that
role gets exactly the actions the matrix lists, no more and no fewer. Any drift — a DocType's permissions
changed without the matrix, a new DocType, a Custom DocPerm on the site — fails here."""

import json
from pathlib import Path

import frappe
from frappe.permissions import get_role_permissions
from frappe.tests.utils import FrappeTestCase

from complaint_response.setup.roles import ROLES
from complaint_response.tests.utils import make_user, website_user

MATRIX_FILE = Path(__file__).resolve().parent.parent / "permission_matrix.json"
MODULE = "Complaint Response"


def load():
	data = json.loads(MATRIX_FILE.read_text(encoding="utf-8"))
	return data["actions"], data["matrix"]


class TestPermissionMatrix(FrappeTestCase):
	def test_every_doctype_of_the_app_is_in_the_matrix(self):
		_actions, matrix = load()
		doctypes = set(frappe.get_all("DocType", filters={"module": MODULE, "istable": 0}, pluck="name"))
		self.assertEqual(doctypes, set(matrix))

	def test_every_cell(self):
		actions, matrix = load()
		roles = [*ROLES, "System Manager"]
		users = {
			role: make_user(f"cr-perm-{role.lower().replace(' ', '-')}@example.com", [role]) for role in roles
		}
		wrong = []
		for doctype, granted in matrix.items():
			meta = frappe.get_meta(doctype)
			for role, user in users.items():
				actual = get_role_permissions(meta, user=user)
				have = sorted(action for action in actions if actual.get(action))
				if have != sorted(granted.get(role, [])):
					wrong.append(f"{doctype} / {role}: site {have}, matrix {granted.get(role, [])}")
		self.assertEqual(wrong, [], "\n".join(wrong))

	def test_every_field_level(self):
		"""Fields above level 0 (the complainant's identity) are those the matrix names, and exactly its
		roles read and write them."""
		data = json.loads(MATRIX_FILE.read_text(encoding="utf-8"))
		roles = [*ROLES, "System Manager"]
		users = {
			role: make_user(f"cr-perm-{role.lower().replace(' ', '-')}@example.com", [role]) for role in roles
		}
		doctypes = set(frappe.get_all("DocType", filters={"module": MODULE, "istable": 0}, pluck="name"))
		high = {
			doctype: sorted(df.fieldname for df in frappe.get_meta(doctype).get_high_permlevel_fields())
			for doctype in doctypes
		}
		self.assertEqual(
			{doctype: fields for doctype, fields in high.items() if fields},
			{
				doctype: sorted(f for level in levels.values() for f in level["fields"])
				for doctype, levels in data["levels"].items()
			},
		)
		wrong = []
		try:
			for doctype, levels in data["levels"].items():
				for level, spec in levels.items():
					for role, user in users.items():
						frappe.set_user(user)
						meta = frappe.get_meta(doctype)
						for action in ("read", "write"):
							has = int(level) in meta.get_permlevel_access(action)
							if has != (role in spec[action]):
								wrong.append(f"{doctype} level {level} / {role} / {action}: site {has}")
		finally:
			frappe.set_user("Administrator")
		self.assertEqual(wrong, [], "\n".join(wrong))

	def test_a_customer_holds_none(self):
		"""A website user (a customer on the portal) has no action on any of the app's DocTypes."""
		actions, matrix = load()
		email = website_user("cr-perm-customer@example.com")
		for doctype in matrix:
			actual = get_role_permissions(frappe.get_meta(doctype), user=email)
			self.assertEqual([a for a in actions if actual.get(a)], [], doctype)
