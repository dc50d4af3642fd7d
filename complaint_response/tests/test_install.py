"""What `bench install-app complaint_response` must leave on a site.

These tests also run right after an uninstall and a reinstall of the app (see tools/run_tests.py)."""

import frappe
from frappe.tests.utils import FrappeTestCase

from complaint_response.integrations.links import APP_LINK_FIELDS, sync_links
from complaint_response.setup.install import DEFAULT_CATEGORIES
from complaint_response.setup.roles import ROLES
from complaint_response.tests.utils import new_complaint


class TestInstall(FrappeTestCase):
	def test_roles_created(self):
		for role in ROLES:
			self.assertTrue(frappe.db.exists("Role", role), f"role {role} missing")
			self.assertEqual(frappe.db.get_value("Role", role, "desk_access"), 1)

	def test_doctypes_installed(self):
		for doctype in ("Complaint", "Complaint Category", "Complaint Evidence"):
			self.assertTrue(frappe.db.exists("DocType", doctype), doctype)
			self.assertTrue(frappe.db.table_exists(doctype), doctype)
		self.assertEqual(frappe.db.get_value("DocType", "Complaint", "module"), "Complaint Response")

	def test_complaint_permissions_name_the_roles(self):
		roles = {perm.role for perm in frappe.get_meta("Complaint").permissions}
		self.assertLessEqual({"Complaint Agent", "Complaint Manager", "Quality Officer"}, roles)

	def test_workspace_installed(self):
		workspace = frappe.get_doc("Workspace", "Complaint Response")
		self.assertEqual((workspace.module, workspace.public), ("Complaint Response", 1))
		self.assertLessEqual(
			{"Complaint", "Crisis Alert", "Improvement Action"}, {link.link_to for link in workspace.links}
		)

	def test_default_categories(self):
		for category, _description in DEFAULT_CATEGORIES:
			self.assertEqual(frappe.db.get_value("Complaint Category", category, "enabled"), 1, category)

	def test_install_steps_are_idempotent(self):
		from complaint_response.setup.install import after_migrate

		before = (
			frappe.db.count("Role"),
			frappe.db.count("Complaint Category"),
			frappe.db.count("Custom Field"),
		)
		after_migrate()
		after_migrate()
		after = (
			frappe.db.count("Role"),
			frappe.db.count("Complaint Category"),
			frappe.db.count("Custom Field"),
		)
		self.assertEqual(before, after)

	def test_admin_changes_to_a_category_survive_migrate_steps(self):
		from complaint_response.setup.install import after_migrate

		frappe.db.set_value("Complaint Category", "Other", "enabled", 0)
		self.addCleanup(frappe.db.set_value, "Complaint Category", "Other", "enabled", 1)
		after_migrate()
		self.assertEqual(frappe.db.get_value("Complaint Category", "Other", "enabled"), 0)

	def test_working_day_is_usable_after_install(self):
		from datetime import time

		from complaint_response.lifecycle.sla import _time

		start, end = (frappe.db.get_single_value("Complaint Settings", f) for f in ("day_start", "day_end"))
		self.assertLess(_time(start, time(9)), _time(end, time(18)), (start, end))

	def test_complaint_works_after_install(self):
		doc = new_complaint().insert()
		self.assertRegex(doc.name, r"^CMP-\d{4}-\d{5}$")


class TestAppLinks(FrappeTestCase):
	"""Links to Helpdesk and ERPNext exist exactly when those apps are installed."""

	def field_names(self) -> set[str]:
		return {df.fieldname for df in frappe.get_meta("Complaint", cached=False).fields}

	def test_link_fields_match_installed_apps(self):
		installed = set(frappe.get_installed_apps())
		names = self.field_names()
		for app, fields in APP_LINK_FIELDS.items():
			for field in fields:
				if app in installed:
					self.assertIn(field["fieldname"], names, f"{app} is installed")
				else:
					self.assertNotIn(field["fieldname"], names, f"{app} is not installed")

	def test_without_helpdesk_complaint_has_no_ticket_link(self):
		if "helpdesk" in frappe.get_installed_apps():
			self.skipTest("this site has Helpdesk")
		self.assertFalse(frappe.db.exists("DocType", "HD Ticket"))
		self.assertFalse(frappe.db.has_column("Complaint", "hd_ticket"))
		doc = new_complaint(hd_ticket="whatever").insert()  # unknown field: ignored, nothing breaks
		self.assertFalse(frappe.db.exists("Custom Field", {"dt": "Complaint", "fieldname": "hd_ticket"}))
		self.assertTrue(frappe.db.exists("Complaint", doc.name))

	def test_with_helpdesk_complaint_links_a_ticket(self):
		if "helpdesk" not in frappe.get_installed_apps():
			self.skipTest("this site has no Helpdesk")
		ticket = frappe.get_doc(
			{
				"doctype": "HD Ticket",
				"subject": "Cold food delivered",
				"raised_by": "customer@example.com",
				"description": "The soup was cold.",
			}
		).insert(ignore_permissions=True)
		doc = new_complaint(channel="Helpdesk Ticket", hd_ticket=ticket.name).insert()
		self.assertEqual(str(frappe.db.get_value("Complaint", doc.name, "hd_ticket")), str(ticket.name))
		bad = new_complaint(hd_ticket="no-such-ticket")
		self.assertRaises(frappe.LinkValidationError, bad.insert)

	def test_links_removed_with_the_app_and_restored(self):
		if "helpdesk" not in frappe.get_installed_apps():
			self.skipTest("this site has no Helpdesk")
		from complaint_response.integrations.links import after_app_install, before_app_uninstall

		before_app_uninstall("helpdesk")
		self.assertNotIn("hd_ticket", self.field_names())
		after_app_install("helpdesk")
		after_app_install("helpdesk")
		self.assertIn("hd_ticket", self.field_names())
		self.assertEqual(frappe.db.count("Custom Field", {"dt": "Complaint", "fieldname": "hd_ticket"}), 1)
		sync_links()
		self.assertEqual(frappe.db.count("Custom Field", {"dt": "Complaint", "fieldname": "hd_ticket"}), 1)


class TestShippedGradingRules(FrappeTestCase):
	def test_the_beauty_salon_example_is_major_on_every_site(self):
		"""New sites get the rule with the others; older ones from the patch (patches.txt)."""
		from complaint_response.patches.add_adverse_reaction_rule import RULE, execute

		execute()  # idempotent: a second run adds nothing
		self.assertEqual(frappe.db.count("Complaint Grading Rule", {"rule_name": RULE}), 1)
		doc = new_complaint(
			description="<p>使用贵店推荐的面霜后面部过敏红肿,要求退款并赔偿医药费</p>"
		).insert()
		self.assertEqual((doc.severity, doc.crisis_worthy), ("Major", 1))
		self.assertIn(RULE, doc.grading_reasons)
