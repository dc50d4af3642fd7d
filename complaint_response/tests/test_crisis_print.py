"""The crisis alert's print formats (预警通知, 对外声明) on a real site, and the notice on the team's email.

Printing is what is tested here, not the course of the alert: the filled alert gets its publication,
approvals and released statement written directly; only the last test publishes through the workflow,
to see the notice reach the team as a PDF."""

import email

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, now_datetime

from complaint_response.crisis.alert import NOTICE_FORMAT
from complaint_response.rules import crisis_stages as cs
from complaint_response.tests.test_print_and_notify import assets_served, body, outgoing_email_account
from complaint_response.tests.utils import make_user, new_complaint

STATEMENT_FORMAT = "External Statement"
FORMATS = (NOTICE_FORMAT, STATEMENT_FORMAT)
NOTICE_SECTIONS = ("cr-scope", "cr-facts", "cr-checklist", "cr-team", "cr-complaints")
NOT_RECORDED = "Not recorded"
DRAFT = "DRAFT — not approved for release"
DRILL = "DRILL 演练"

COMMANDER = "cr-cp-commander@example.com"
MANAGER = "cr-cp-manager@example.com"
LEGAL = "cr-cp-legal@example.com"
COMMS = "cr-cp-comms@example.com"
QUALITY = "cr-cp-quality@example.com"
NAMES = {
	COMMANDER: ("Zhou", "Min"),
	LEGAL: ("Qian", "Hui"),
	COMMS: ("Sun", "Yue"),
}

CAUSE = "Supplier delivered a spoiled batch of soup base"
COURSE = "<p>Twelve customers reported stomach pain after dinner on Friday evening.</p>"
STATEMENT = "<p>We are sorry. We have withdrawn the affected soup base from all our stores.</p>"
DRAFT_TEXT = "<p>We are looking into reports about our soup base.</p>"
HOSTILE = '<p>Counter closed.</p><script>alert("x")</script><img src="x" onerror="alert(1)">'


class CrisisPrintCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		make_user(COMMANDER, [cs.COMMANDER])
		make_user(MANAGER, [cs.MANAGER])
		make_user(LEGAL, [cs.LEGAL])
		make_user(COMMS, [cs.COMMS])
		make_user(QUALITY, [cs.QUALITY])
		for user, (first, last) in NAMES.items():
			frappe.get_doc("User", user).update({"first_name": first, "last_name": last}).save(
				ignore_permissions=True
			)
			# Frappe keeps the full names it has looked up for the rest of the request
			getattr(frappe.local, "fullnames", {}).pop(user, None)
		super().setUpClass()
		cls.filled = cls.make_filled_alert()
		cls.bare = cls.new_alert(title="Odd smell at one store", likelihood=1, impact=1).name

	def setUp(self):
		frappe.set_user("Administrator")
		self.addCleanup(frappe.set_user, "Administrator")

	@staticmethod
	def new_alert(**values):
		doc = {
			"doctype": "Crisis Alert",
			"title": "Soup base contamination at three stores",
			"crisis_type": "Food Safety",
			"likelihood": 3,
			"impact": 4,
		}
		doc.update(values)
		return frappe.get_doc(doc).insert()

	@classmethod
	def make_filled_alert(cls) -> str:
		complaints = [
			new_complaint(subject="Stomach pain after the hotpot dinner").insert(),
			new_complaint(subject="Soup tasted sour", complainant_name="Ma Lin").insert(),
		]
		doc = cls.new_alert(
			source="Group Complaint",
			likelihood=5,
			impact=5,
			stores="Beijing Chaoyang\nShanghai Xuhui\nTianjin Heping",
			items="Spicy hotpot soup base",
			regions="North China",
			affected_customer_count=12,
			incident_time=add_days(now_datetime(), -2),
			place="Central kitchen, Tianjin",
			cause=CAUSE,
			course=COURSE,
			complaints=[{"complaint": c.name} for c in complaints],
			team=[
				{
					"duty": "Commander",
					"user": COMMANDER,
					"responsibilities": "Leads the response and calls the team together",
				},
				{"duty": "Legal", "user": LEGAL, "responsibilities": "Checks the statement"},
			],
			checklist=[
				{
					"step": "Stop selling the affected batch",
					"owner_role": cs.QUALITY,
					"within_hours": 2,
					"done": 1,
				},
				{"step": "Call back every affected customer", "owner_role": cs.MANAGER, "within_hours": 24},
			],
			statement_draft=STATEMENT,
		)
		now = now_datetime()
		doc.db_set(
			{
				"stage": cs.PUBLISHED,
				"workflow_state": cs.PUBLISHED,
				"published_on": add_days(now, -1),
				"legal_approved_by": LEGAL,
				"legal_approved_on": now,
				"comms_approved_by": COMMS,
				"comms_approved_on": now,
				"released_statement": STATEMENT,
				"statement_released_on": now,
			}
		)
		return doc.name

	def render(self, name: str, print_format: str, as_pdf: bool = False):
		return frappe.get_print("Crisis Alert", name, print_format, as_pdf=as_pdf)

	def text(self, name: str, print_format: str) -> str:
		return body(self.render(name, print_format)).get_text(" ", strip=True)

	def part(self, name: str, print_format: str, part_id: str) -> str:
		found = body(self.render(name, print_format)).find(id=part_id)
		return found.get_text(" ", strip=True) if found else ""


class TestCrisisAlertNotice(CrisisPrintCase):
	def test_formats_are_shipped_standard_jinja(self):
		for print_format in FORMATS:
			pf = frappe.get_doc("Print Format", print_format)
			self.assertEqual(
				(pf.doc_type, pf.standard, pf.custom_format, pf.print_format_type, pf.module),
				("Crisis Alert", "Yes", 1, "Jinja", "Complaint Response"),
				print_format,
			)

	def test_filled_notice(self):
		text = self.text(self.filled, NOTICE_FORMAT)
		for expected in (
			self.filled,
			"Crisis Alert Notice",
			"Soup base contamination at three stores",
			"I Major (重大)",
			"Food Safety",
			"Group Complaint",
			"Shanghai Xuhui",
			"Spicy hotpot soup base",
			"North China",
			"12",
			"Central kitchen, Tianjin",
			CAUSE,
			"Twelve customers reported stomach pain",
			"Stop selling the affected batch",
			"Call back every affected customer",
			cs.QUALITY,
			"Zhou Min",
			"Commander",
			"Leads the response and calls the team together",
			"Linked Complaints (2)",
			"Stomach pain after the hotpot dinner",
			"Soup tasted sour",
			"Released on",
			"Qian Hui",
			"Sun Yue",
			"We have withdrawn the affected soup base",
		):
			self.assertIn(expected, text)
		self.assertNotIn(DRILL, text)
		self.assertNotIn("Not yet released", text)
		for section_id in (*NOTICE_SECTIONS, "cr-statement"):
			self.assertNotIn(NOT_RECORDED, self.part(self.filled, NOTICE_FORMAT, section_id), section_id)

		checklist = body(self.render(self.filled, NOTICE_FORMAT)).find(id="cr-checklist")
		rows = {
			tr.find_all("td")[1].get_text(strip=True): tr.find_all("td")[4].get_text(strip=True)
			for tr in checklist.find("tbody").find_all("tr")
		}
		self.assertEqual(
			rows, {"Stop selling the affected batch": "✓", "Call back every affected customer": "–"}
		)
		for link in frappe.get_doc("Crisis Alert", self.filled).complaints:
			self.assertIn(link.complaint, self.part(self.filled, NOTICE_FORMAT, "cr-complaints"))

	def test_bare_notice_prints_not_recorded(self):
		text = self.text(self.bare, NOTICE_FORMAT)
		self.assertIn(self.bare, text)
		self.assertIn("Odd smell at one store", text)
		self.assertIn("IV Minor (轻微)", text)
		self.assertIn("Linked Complaints (0)", text)
		self.assertIn("Not yet released", self.part(self.bare, NOTICE_FORMAT, "cr-statement"))
		for section_id in NOTICE_SECTIONS:
			self.assertIn(NOT_RECORDED, self.part(self.bare, NOTICE_FORMAT, section_id), section_id)

	def test_level_words(self):
		for likelihood, impact, expected in ((5, 5, "I Major (重大)"), (3, 4, "II Serious (较大)")):
			name = self.new_alert(likelihood=likelihood, impact=impact).name
			self.assertIn(expected, self.text(name, NOTICE_FORMAT))

	def test_level_word_in_chinese_is_not_repeated(self):
		self.addCleanup(setattr, frappe.local, "lang", frappe.local.lang)
		frappe.local.lang = "zh"
		level = body(self.render(self.filled, NOTICE_FORMAT)).find(class_="cr-level").get_text(strip=True)
		self.assertEqual(level, "I 重大")

	def test_drill_banner(self):
		drill = self.new_alert(is_drill=1).name
		for print_format in FORMATS:
			self.assertIn(DRILL, self.text(drill, print_format), print_format)
			self.assertIn("no customer is to be contacted", self.text(drill, print_format), print_format)
			self.assertNotIn(DRILL, self.text(self.bare, print_format), print_format)


class TestExternalStatement(CrisisPrintCase):
	def test_released_statement(self):
		text = self.text(self.filled, STATEMENT_FORMAT)
		for expected in (
			"External Statement",
			self.filled,
			"We are sorry. We have withdrawn the affected soup base from all our stores.",
			"Qian Hui",
			"Sun Yue",
		):
			self.assertIn(expected, text)
		self.assertNotIn(DRAFT, text)
		self.assertIsNone(body(self.render(self.filled, STATEMENT_FORMAT)).find(id="cr-draft-banner"))
		self.assertNotIn(NOT_RECORDED, text)

	def test_statement_never_prints_internal_notes(self):
		text = self.text(self.filled, STATEMENT_FORMAT)
		for internal in (
			CAUSE,
			"Twelve customers reported stomach pain",
			"Central kitchen, Tianjin",
			"Zhou Min",  # on the team, not an approver
			"Leads the response",
			"Stop selling the affected batch",
			"Stomach pain after the hotpot dinner",
		):
			self.assertNotIn(internal, text)

	def test_released_text_is_the_frozen_one(self):
		# the draft cannot change after release; if it ever differs, the released text is what prints
		frappe.db.set_value("Crisis Alert", self.filled, "statement_draft", DRAFT_TEXT)
		text = self.text(self.filled, STATEMENT_FORMAT)
		self.assertIn("We have withdrawn the affected soup base", text)
		self.assertNotIn("We are looking into reports", text)

	def test_unreleased_statement_is_a_draft(self):
		banner = self.part(self.bare, STATEMENT_FORMAT, "cr-draft-banner")
		self.assertIn(DRAFT, banner)
		self.assertIn("Legal Counsel", banner)
		self.assertIn("Communications Officer", banner)
		self.assertIn(NOT_RECORDED, self.part(self.bare, STATEMENT_FORMAT, "cr-statement-text"))

		half = self.new_alert(statement_draft=DRAFT_TEXT).name
		frappe.db.set_value(
			"Crisis Alert", half, {"legal_approved_by": LEGAL, "legal_approved_on": now_datetime()}
		)
		banner = self.part(half, STATEMENT_FORMAT, "cr-draft-banner")
		missing = self.part(half, STATEMENT_FORMAT, "cr-missing-approvals")
		self.assertIn(DRAFT, banner)
		self.assertIn("Communications Officer", missing)
		self.assertNotIn("Legal Counsel", missing)
		self.assertIn("We are looking into reports", self.part(half, STATEMENT_FORMAT, "cr-statement-text"))
		self.assertIn("Qian Hui", self.part(half, STATEMENT_FORMAT, "cr-approvals"))


class TestCrisisPrintOutput(CrisisPrintCase):
	def test_pdf(self):
		with assets_served():
			for name in (self.filled, self.bare):
				for print_format in FORMATS:
					pdf = self.render(name, print_format, as_pdf=True)
					self.assertTrue(pdf.startswith(b"%PDF"), f"{print_format} of {name}")

	def test_free_text_is_sanitised(self):
		name = self.new_alert().name
		# written past the document's own sanitising, as an import or a patch could
		frappe.db.set_value(
			"Crisis Alert",
			name,
			{
				"title": 'Leak <img src="y" onerror="alert(2)">',
				"cause": "<script>alert(3)</script>",
				"course": HOSTILE,
				"statement_draft": HOSTILE,
			},
		)
		frappe.get_doc(
			{
				"doctype": "Crisis Alert Team Member",
				"parent": name,
				"parenttype": "Crisis Alert",
				"parentfield": "team",
				"user": COMMANDER,
				"duty": "<script>alert(4)</script>",
				"responsibilities": "<script>alert(5)</script>",
			}
		).db_insert()
		for print_format in FORMATS:
			markup = str(body(self.render(name, print_format)))
			self.assertNotIn("<script", markup, print_format)
			self.assertNotIn("onerror", markup, print_format)
			self.assertIn("Counter closed.", markup, print_format)
		self.assertIn("&lt;script&gt;", str(body(self.render(name, NOTICE_FORMAT))))

		frappe.db.set_value(
			"Crisis Alert", name, {"released_statement": HOSTILE, "statement_released_on": now_datetime()}
		)
		markup = str(body(self.render(name, STATEMENT_FORMAT)))
		self.assertNotIn("<script", markup)
		self.assertIn("Counter closed.", markup)


class TestNoticeEmailed(CrisisPrintCase):
	def act(self, name: str, action: str, user: str):
		frappe.set_user(user)
		try:
			return apply_workflow(frappe.get_doc("Crisis Alert", name).as_dict(), action)
		finally:
			frappe.set_user("Administrator")

	def test_publishing_mails_the_notice_as_pdf(self):
		self.addCleanup(
			frappe.db.set_single_value,
			"Print Settings",
			"send_print_as_pdf",
			frappe.db.get_single_value("Print Settings", "send_print_as_pdf"),
		)
		frappe.db.set_single_value("Print Settings", "send_print_as_pdf", 1)
		before = set(frappe.get_all("Email Queue", pluck="name"))
		doc = self.new_alert()  # level II: published by the Crisis Commander
		self.act(doc.name, "Assess", MANAGER)
		with outgoing_email_account(), assets_served():
			doc = self.act(doc.name, "Publish", COMMANDER)
		self.assertEqual(doc.stage, cs.PUBLISHED)

		queued = [
			q
			for q in frappe.get_all(
				"Email Queue",
				filters={"reference_doctype": "Crisis Alert", "reference_name": doc.name},
				fields=["name", "message"],
			)
			if q.name not in before
		]
		recipients = set(
			frappe.get_all(
				"Email Queue Recipient",
				filters={"parent": ["in", [q.name for q in queued]]},
				pluck="recipient",
			)
		)
		self.assertLessEqual({COMMANDER, LEGAL, COMMS}, recipients)
		file_name = f"{doc.name}-notice.pdf"
		for q in queued:
			attachments = {
				part.get_filename(): part.get_payload(decode=True)
				for part in email.message_from_string(q.message).walk()
				if part.get_filename()
			}
			self.assertIn(file_name, attachments, q.name)
			self.assertTrue(attachments[file_name].startswith(b"%PDF"), q.name)
