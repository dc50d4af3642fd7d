# Copyright (c) 2026, Complaint Response Contributors
# For license information, please see license.txt

import frappe
from frappe.tests.test_api import FrappeAPITestCase
from frappe.tests.utils import FrappeTestCase
from frappe.utils import now_datetime

from complaint_response.rules.registration import MAX_DESCRIPTION_CHARS
from complaint_response.tests.utils import complaint_count, make_user, new_complaint

NAME_PATTERN = r"^CMP-\d{4}-\d{5}$"

# Frappe's test runner makes test records for every DocType a Complaint links to. Those of the other
# apps (ERPNext's Customer, Item, Sales Invoice..., which link on to apps a site may not have) are
# not this app's to make: its tests create what they need.
test_ignore = ["Company", "Customer", "Item", "Issue", "Sales Invoice", "HD Ticket", "HD Team"]


class TestComplaint(FrappeTestCase):
	def test_insert_gets_name_and_defaults(self):
		doc = new_complaint().insert()
		self.assertRegex(doc.name, NAME_PATTERN)
		self.assertTrue(doc.name.startswith(f"CMP-{now_datetime().year}-"))
		self.assertEqual(doc.status, "Open")
		self.assertEqual(doc.affected_customers, 1)
		self.assertIsNotNone(doc.received_on)
		self.assertEqual(doc.subject, "Waited 40 minutes at the counter and was told to come back tomorrow.")

	def test_names_are_sequential(self):
		first = new_complaint().insert()
		second = new_complaint().insert()
		self.assertEqual(int(second.name[-5:]), int(first.name[-5:]) + 1)

	def test_given_subject_is_kept(self):
		doc = new_complaint(subject="Queue too long").insert()
		self.assertEqual(doc.subject, "Queue too long")

	def test_evidence_rows(self):
		doc = new_complaint(
			evidence=[
				{"evidence_type": "Photo", "attachment": "/private/files/receipt.jpg"},
				{"evidence_type": "Recording", "attachment": "/private/files/call.mp3"},
			]
		).insert()
		self.assertEqual([row.evidence_type for row in doc.evidence], ["Photo", "Recording"])
		self.assertEqual(frappe.db.count("Complaint Evidence", {"parent": doc.name}), 2)

	def assertRefused(self, exception, doc, text):
		before = complaint_count()
		with self.assertRaises(exception) as caught:
			doc.insert()
		self.assertIn(text, str(caught.exception))
		self.assertEqual(complaint_count(), before, "nothing may be written")

	def test_missing_complainant_refused(self):
		self.assertRefused(frappe.MandatoryError, new_complaint(complainant_name=None), "complainant_name")

	def test_unknown_channel_refused(self):
		self.assertRefused(frappe.ValidationError, new_complaint(channel="Carrier Pigeon"), "Channel")

	def test_negative_amount_refused(self):
		self.assertRefused(frappe.NonNegativeError, new_complaint(amount_at_stake=-5), "Amount at Stake")

	def test_negative_affected_customers_refused(self):
		self.assertRefused(
			frappe.NonNegativeError, new_complaint(affected_customers=-1), "Affected Customers"
		)

	def test_oversized_name_refused(self):
		self.assertRefused(
			frappe.CharacterLengthExceededError, new_complaint(complainant_name="x" * 200), "Complainant"
		)

	def test_oversized_description_refused(self):
		self.assertRefused(
			frappe.CharacterLengthExceededError,
			new_complaint(description="x" * (MAX_DESCRIPTION_CHARS + 1)),
			str(MAX_DESCRIPTION_CHARS),
		)

	def test_disabled_category_refused(self):
		frappe.db.set_value("Complaint Category", "Price", "enabled", 0)
		self.addCleanup(frappe.db.set_value, "Complaint Category", "Price", "enabled", 1)
		self.assertRefused(frappe.ValidationError, new_complaint(category="Price"), "Price")

	def test_bad_email_refused(self):
		self.assertRefused(
			frappe.InvalidEmailAddressError, new_complaint(contact_email="not-an-email"), "not-an-email"
		)

	def test_error_is_translated(self):
		frappe.local.lang = "zh"
		try:
			with self.assertRaises(frappe.CharacterLengthExceededError) as caught:
				new_complaint(description="x" * (MAX_DESCRIPTION_CHARS + 1)).insert()
		finally:
			frappe.local.lang = "en"
		self.assertIn("字符", str(caught.exception))

	def test_agent_can_register_but_team_member_cannot(self):
		agent = make_user("cr-agent@example.com", ["Complaint Agent"])
		member = make_user("cr-member@example.com", ["Crisis Team Member"])
		frappe.set_user(agent)
		try:
			doc = new_complaint().insert()
			self.assertEqual(doc.owner, agent)
			frappe.set_user(member)
			self.assertTrue(frappe.has_permission("Complaint", "read", doc.name))
			self.assertRaises(frappe.PermissionError, new_complaint().insert)
		finally:
			frappe.set_user("Administrator")


class TestComplaintAPI(FrappeAPITestCase):
	def tearDown(self):
		frappe.db.rollback()
		for name in getattr(self, "created", []):
			frappe.delete_doc("Complaint", name, force=True, ignore_permissions=True)
			# the request committed its acknowledgement mail too; leave nothing behind
			frappe.db.delete("Email Queue", {"reference_doctype": "Complaint", "reference_name": name})
		frappe.db.commit()

	def test_rest_insert(self):
		response = self.post(
			self.resource("Complaint"),
			{
				"complainant_name": "Wang Fang",
				"contact_email": "wang.fang@example.com",
				"channel": "Email",
				"description": "Parcel arrived broken.",
				"sid": self.sid,
			},
		)
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True))
		data = response.json["data"]
		self.created = [data["name"]]
		self.assertRegex(data["name"], NAME_PATTERN)
		self.assertEqual(data["status"], "Open")
		self.assertEqual(data["subject"], "Parcel arrived broken.")
		frappe.db.rollback()  # the request committed on its own connection: read past our snapshot
		self.assertTrue(frappe.db.exists("Complaint", data["name"]))

	def test_rest_bad_input_refused_and_nothing_written(self):
		before = complaint_count()
		response = self.post(
			self.resource("Complaint"),
			{"complainant_name": "Zhao Lei", "description": "x", "amount_at_stake": -100, "sid": self.sid},
		)
		self.assertEqual(response.status_code, 417, response.get_data(as_text=True))
		self.assertIn("Amount at Stake", response.get_data(as_text=True))
		frappe.db.rollback()
		self.assertEqual(complaint_count(), before)

	def test_desk_list_answers_for_logged_in_user(self):
		response = self.get("/app/complaint", {"sid": self.sid})
		self.assertEqual(response.status_code, 200)
		self.assertIn("frappe", response.get_data(as_text=True).lower())
