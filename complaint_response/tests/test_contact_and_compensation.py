"""Emails on a complaint's timeline land in its contact log; the compensation schedule fills
amounts and sends lines above their cap to finance; Helpdesk teams are assignment pools."""

import frappe
from frappe.tests.utils import FrappeTestCase

from complaint_response.rules import stages as s
from complaint_response.tests.utils import make_user, new_complaint


class TestEmailTimeline(FrappeTestCase):
	def communicate(self, doc, sent_or_received: str, subject: str):
		return frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": sent_or_received,
				"subject": subject,
				"content": subject,
				"sender": "customer@example.com" if sent_or_received == "Received" else "agent@example.com",
				"recipients": "agent@example.com"
				if sent_or_received == "Received"
				else "customer@example.com",
				"reference_doctype": "Complaint",
				"reference_name": doc.name,
			}
		).insert(ignore_permissions=True)

	def test_sent_email_logged_and_counts_as_first_response(self):
		doc = new_complaint(contact_email="customer@example.com").insert()
		self.communicate(doc, "Sent", "Re: your complaint")
		doc.reload()
		self.assertEqual(
			[(r.direction, r.contact_channel, r.summary) for r in doc.contact_log],
			[("Outbound", "Email", "Re: your complaint")],
		)
		self.assertIsNotNone(doc.first_response_on)
		self.assertIsNotNone(doc.acknowledged_on)

	def test_received_email_logged_inbound_without_response(self):
		doc = new_complaint(contact_email="customer@example.com").insert()
		self.communicate(doc, "Received", "More photos")
		doc.reload()
		self.assertEqual([r.direction for r in doc.contact_log], ["Inbound"])
		self.assertIsNone(doc.first_response_on)

	def test_email_logged_even_when_complaint_is_closed(self):
		doc = new_complaint(contact_email="customer@example.com").insert()
		frappe.db.set_value("Complaint", doc.name, "stage", s.REVIEWED)
		self.communicate(doc, "Received", "Thanks")
		self.assertEqual(frappe.db.count("Complaint Contact Log", {"parent": doc.name}), 1)


class TestCompensationSchedule(FrappeTestCase):
	def setUp(self):
		for values in (
			{"resolution_type": "Discount / Coupon", "standard_amount": 50, "max_amount": 200},
			{
				"resolution_type": "Discount / Coupon",
				"category": "Delivery",
				"standard_amount": 30,
				"max_amount": 100,
			},
		):
			frappe.get_doc({"doctype": "Compensation Standard", **values}).insert()

	def tearDown(self):
		frappe.db.delete("Compensation Standard")

	def test_blank_amount_takes_the_category_standard(self):
		doc = new_complaint(
			category="Delivery", resolution_lines=[{"resolution_type": "Discount / Coupon"}]
		).insert()
		self.assertEqual(doc.resolution_lines[0].amount, 30)
		self.assertEqual(doc.total_compensation, 30)
		self.assertIsNone(doc.approval_role, "within the agent's limit on a general complaint")

	def test_line_above_its_cap_needs_finance(self):
		doc = new_complaint(
			category="Delivery", resolution_lines=[{"resolution_type": "Discount / Coupon", "amount": 150}]
		).insert()
		self.assertEqual(doc.approval_role, s.APPROVER, "150 is within the manager's limit but above the cap")

	def test_duplicate_standard_refused(self):
		self.assertRaises(
			frappe.DuplicateEntryError,
			frappe.get_doc(
				{
					"doctype": "Compensation Standard",
					"resolution_type": "Discount / Coupon",
					"standard_amount": 10,
				}
			).insert,
		)

	def test_standard_above_maximum_refused(self):
		self.assertRaises(
			frappe.ValidationError,
			frappe.get_doc(
				{
					"doctype": "Compensation Standard",
					"resolution_type": "Refund",
					"standard_amount": 10,
					"max_amount": 5,
				}
			).insert,
		)


class TestHelpdeskTeamPool(FrappeTestCase):
	def setUp(self):
		if "helpdesk" not in frappe.get_installed_apps():
			self.skipTest("this site has no Helpdesk")

	def test_team_is_an_assignment_pool(self):
		from complaint_response.integrations.helpdesk import rule_name

		a = make_user("cr-team-a@example.com", [s.AGENT])
		b = make_user("cr-team-b@example.com", [s.AGENT])
		team = frappe.get_doc(
			{"doctype": "HD Team", "team_name": "Complaint Test Team", "users": [{"user": a}, {"user": b}]}
		).insert(ignore_permissions=True)
		rule = frappe.get_doc("Assignment Rule", rule_name(team.name))
		self.assertEqual(sorted(u.user for u in rule.users), sorted([a, b]))
		self.assertFalse(rule.disabled)
		names = [new_complaint(hd_team=team.name).insert().name for _ in range(2)]
		owners = [frappe.db.get_value("Complaint", name, "complaint_owner") for name in names]
		self.assertEqual(sorted(owners), sorted([a, b]), "round robin over the team")

		team.set("users", [{"user": a}])
		team.save(ignore_permissions=True)
		rule.reload()
		self.assertEqual([u.user for u in rule.users], [a])
