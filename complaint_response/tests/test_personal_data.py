"""The complainant's personal data: who reads it, what the logs keep, and anonymisation on request."""

import json

import frappe
from frappe.desk.form.load import getdoc
from frappe.desk.reportview import get as reportview_get
from frappe.tests.utils import FrappeTestCase
from frappe.utils import now_datetime

from complaint_response.lifecycle.personal_data import ANONYMISED
from complaint_response.rules import personal_data as rules
from complaint_response.rules import stages as s
from complaint_response.tests.utils import make_user, new_complaint

AGENT = "pd.agent@example.com"
MANAGER = "pd.manager@example.com"
TEAM = "pd.team@example.com"
COMMS = "pd.comms@example.com"
COMMANDER = "pd.commander@example.com"
APPROVER = "pd.approver@example.com"
QUALITY = "pd.quality@example.com"

PHONE = "13912345678"
EMAIL = "wang.fang@example.com"
NAME = "Wang Fang"

READERS = {AGENT: [s.AGENT], MANAGER: [s.MANAGER], QUALITY: ["Quality Officer"]}
NON_READERS = {
	TEAM: ["Crisis Team Member"],
	COMMS: ["Communications Officer"],
	COMMANDER: ["Crisis Commander"],
	APPROVER: [s.APPROVER],
}


def complaint_with_identity(**values):
	return new_complaint(complainant_name=NAME, contact_phone=PHONE, contact_email=EMAIL, **values).insert()


class TestWhoReadsPersonalData(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		for user, roles in {**READERS, **NON_READERS}.items():
			make_user(user, roles)

	def setUp(self):
		frappe.set_user("Administrator")
		self.name = complaint_with_identity(subject="Cold soup").name

	def tearDown(self):
		frappe.set_user("Administrator")

	def read_as(self, user: str) -> dict:
		frappe.set_user(user)
		return frappe.client.get("Complaint", self.name)

	def test_customer_service_and_managers_read_it(self):
		for user in READERS:
			doc = self.read_as(user)
			self.assertEqual(
				(doc["complainant_name"], doc["contact_phone"], doc["contact_email"]),
				(NAME, PHONE, EMAIL),
				user,
			)

	def test_crisis_and_communications_roles_see_the_complaint_without_it(self):
		for user in NON_READERS:
			doc = self.read_as(user)
			self.assertEqual(doc["subject"], "Cold soup", user)
			for field in rules.PERSONAL_FIELDS:
				self.assertIsNone(doc.get(field), f"{user} reads {field}")

	def test_the_desk_form_list_and_report_view_withhold_it(self):
		frappe.set_user(TEAM)
		getdoc("Complaint", self.name)
		loaded = frappe.response.docs[-1]
		self.assertIsNone(loaded.get("contact_phone"))
		rows = frappe.get_list(
			"Complaint", filters={"name": self.name}, fields=["name", "complainant_name", "contact_phone"]
		)
		self.assertEqual(len(rows), 1)
		self.assertNotIn(PHONE, json.dumps(rows, default=str))
		frappe.local.form_dict = frappe._dict(
			doctype="Complaint",
			fields=json.dumps(["`tabComplaint`.`name`", "`tabComplaint`.`contact_phone`"]),
			filters=json.dumps([["Complaint", "name", "=", self.name]]),
		)
		result = reportview_get()
		self.assertNotIn(PHONE, json.dumps(result, default=str))

	def test_print_withholds_it(self):
		for user, sees in ((COMMANDER, False), (APPROVER, False), (AGENT, True)):
			frappe.set_user(user)
			html = frappe.get_print("Complaint", self.name, "Complaint Record Form")
			self.assertEqual(PHONE in html, sees, user)
			self.assertEqual(NAME in html, sees, user)
			if not sees:
				self.assertIn("Restricted", html)

	def test_a_save_by_a_role_without_it_keeps_it(self):
		frappe.set_user(APPROVER)
		doc = frappe.get_doc("Complaint", self.name)
		doc.apply_fieldlevel_read_permissions()  # as the desk hands it over
		self.assertIsNone(doc.get("contact_phone"))
		doc.override_reason = "approver note"
		doc.save()
		frappe.set_user("Administrator")
		stored = frappe.db.get_value("Complaint", self.name, list(rules.PERSONAL_FIELDS), as_dict=True)
		self.assertEqual(
			(stored.complainant_name, stored.contact_phone, stored.contact_email), (NAME, PHONE, EMAIL)
		)

	def test_who_viewed_and_who_changed_is_recorded_without_the_values(self):
		frappe.set_user(AGENT)
		getdoc("Complaint", self.name)
		self.assertTrue(
			frappe.db.exists(
				"View Log",
				{"reference_doctype": "Complaint", "reference_name": self.name, "viewed_by": AGENT},
			)
		)
		doc = frappe.get_doc("Complaint", self.name)
		doc.contact_phone = "13700000000"
		doc.save(ignore_version=False)  # Frappe keeps no versions in tests unless asked
		frappe.set_user("Administrator")
		versions = frappe.get_all(
			"Version", filters={"ref_doctype": "Complaint", "docname": self.name}, fields=["owner", "data"]
		)
		changes = [
			(version.owner, change)
			for version in versions
			for change in json.loads(version.data).get("changed", [])
			if change[0] == "contact_phone"
		]
		self.assertEqual(changes, [(AGENT, ["contact_phone", rules.MASK, rules.MASK])], versions)
		self.assertFalse(any("13700000000" in v.data or PHONE in v.data for v in versions))


class TestAnonymise(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(AGENT, [s.AGENT])
		make_user(MANAGER, [s.MANAGER])

	def tearDown(self):
		frappe.set_user("Administrator")

	def closed_complaint(self):
		doc = complaint_with_identity(subject="Wang Fang's soup", category="Service", store_branch="Store 9")
		doc.append(
			"contact_log",
			{
				"contact_on": now_datetime(),
				"contact_channel": "Phone",
				"direction": "Outbound",
				"summary": "Called Wang",
			},
		)
		doc.contact_phone = PHONE[:-1] + "9"
		doc.save(ignore_version=False)  # a change log to forget
		frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": "Received",
				"subject": "About my soup",
				"content": "I am Wang Fang, call me on " + PHONE,
				"sender": EMAIL,
				"reference_doctype": "Complaint",
				"reference_name": doc.name,
			}
		).insert(ignore_permissions=True)
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "receipt.txt",
				"content": b"receipt of Wang Fang",
				"attached_to_doctype": "Complaint",
				"attached_to_name": doc.name,
				"is_private": 1,
			}
		).insert(ignore_permissions=True)
		doc.reload()
		doc.append(
			"evidence",
			{
				"evidence_type": "Document",
				"attachment": file.file_url,
				"evidence_description": "Wang's receipt",
			},
		)
		doc.save()
		doc.db_set({"stage": s.CLOSED, "status": "Closed", "satisfaction": 4})
		return doc

	def test_a_manager_anonymises_a_closed_complaint_keeping_its_figures(self):
		doc = self.closed_complaint()
		received_on, category = doc.received_on, doc.category
		self.assertTrue(frappe.get_all("Version", filters={"ref_doctype": "Complaint", "docname": doc.name}))
		frappe.set_user(MANAGER)
		doc = frappe.get_doc("Complaint", doc.name)
		doc.anonymise("The customer asked to be forgotten (PIPL art. 47)")
		frappe.set_user("Administrator")
		doc = frappe.get_doc("Complaint", doc.name)
		self.assertEqual(doc.complainant_name, ANONYMISED)
		self.assertFalse(doc.contact_phone or doc.contact_email)
		self.assertTrue(doc.anonymised_on)
		self.assertNotIn("Wang", doc.subject or "")
		self.assertNotIn("Wang", doc.description)
		self.assertFalse(any(row.summary for row in doc.contact_log))
		self.assertFalse(any(row.attachment or row.evidence_description for row in doc.evidence))
		# the statistics keep their facts
		self.assertEqual((doc.received_on, doc.category, doc.store_branch, doc.stage, doc.satisfaction),
			(received_on, category, "Store 9", s.CLOSED, 4))  # fmt: skip
		self.assertEqual(len(doc.contact_log), 2, "the contact log keeps its rows (the e-mail added one)")
		# nothing about the customer is left beside it
		comm = frappe.get_all(
			"Communication", filters={"reference_doctype": "Complaint", "reference_name": doc.name},
			fields=["content", "sender", "subject"],
		)  # fmt: skip
		self.assertTrue(comm)
		self.assertFalse(any(PHONE in (c.content or "") or c.sender for c in comm))
		self.assertFalse(frappe.get_all("File", filters={"attached_to_name": doc.name}))
		self.assertFalse(frappe.get_all("Version", filters={"ref_doctype": "Complaint", "docname": doc.name}))
		timeline = frappe.get_all(
			"Comment", filters={"reference_name": doc.name, "comment_type": "Info"}, pluck="content"
		)
		self.assertTrue(any("PIPL art. 47" in text for text in timeline), timeline)

		frappe.set_user(MANAGER)
		with self.assertRaises(frappe.ValidationError):
			frappe.get_doc("Complaint", doc.name).anonymise("again")

	def test_only_a_manager_and_only_when_closed(self):
		doc = self.closed_complaint()
		frappe.set_user(AGENT)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc("Complaint", doc.name).anonymise("asked")
		frappe.set_user("Administrator")
		open_one = complaint_with_identity()
		frappe.set_user(MANAGER)
		with self.assertRaises(frappe.ValidationError):
			frappe.get_doc("Complaint", open_one.name).anonymise("asked")
		with self.assertRaises(frappe.ValidationError):
			frappe.get_doc("Complaint", doc.name).anonymise("  ")
		frappe.set_user("Administrator")
		for name in (doc.name, open_one.name):
			self.assertTrue(frappe.db.get_value("Complaint", name, "contact_phone"))
			self.assertEqual(frappe.db.get_value("Complaint", name, "complainant_name"), NAME)
