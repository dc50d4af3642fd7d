"""The complaint's print formats (投诉登记表, 投诉处理报告) and its notifications, on a real site.

Printing is what is tested here, not the lifecycle: the filled complaint makes one real stage change
(so there is one to print) and gets the rest of its fields written directly."""

import email
import email.header
import os
import threading
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import frappe
from bs4 import BeautifulSoup
from frappe.desk.form.assign_to import add as assign
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, now_datetime

from complaint_response.rules import stages as s
from complaint_response.setup.install import after_migrate
from complaint_response.setup.notifications import (
	EMAIL_TEMPLATES,
	NOTIFICATIONS,
	SLA_BREACH_METHOD,
	SLA_WARNING_METHOD,
)
from complaint_response.tests.utils import make_user, new_complaint, outgoing_email_account

RECORD_FORM = "Complaint Record Form"
HANDLING_REPORT = "Complaint Handling Report"
FORMATS = (RECORD_FORM, HANDLING_REPORT)
REPORT_SECTIONS = (
	"cr-timeline",
	"cr-investigation",
	"cr-resolution",
	"cr-contact-log",
	"cr-follow-up",
	"cr-review",
	"cr-improvement-actions",
)
NOT_RECORDED = "Not recorded"

OWNER = "cr-pn-owner@example.com"
MANAGER = "cr-pn-manager@example.com"
APPROVER = "cr-pn-approver@example.com"
CUSTOMER = "cr-pn-customer@example.com"

HOSTILE = '<p>Counter closed.</p><script>alert("x")</script><img src="x" onerror="alert(1)">'


class AssetsOnly(SimpleHTTPRequestHandler):
	def do_GET(self):
		if not self.path.startswith("/assets/"):
			return self.send_error(404)
		return super().do_GET()

	def log_message(self, *args):
		pass


@contextmanager
def assets_served():
	"""wkhtmltopdf fetches the print style (/assets/...) from the site's URL, and a test site has no
	web server: serve the bench's assets on a free local port while the PDF is made."""
	handler = partial(AssetsOnly, directory=os.path.abspath(frappe.local.sites_path))
	server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
	threading.Thread(target=server.serve_forever, daemon=True).start()
	host_name = frappe.local.conf.host_name
	frappe.local.conf.host_name = f"http://127.0.0.1:{server.server_port}"
	try:
		yield
	finally:
		frappe.local.conf.host_name = host_name
		server.shutdown()
		server.server_close()


def body(html: str):
	"""The print format's own markup, without the print view page around it."""
	return BeautifulSoup(html, "html.parser").find("div", class_="cr-print")


def section(html: str, section_id: str) -> str:
	return body(html).find(id=section_id).get_text(" ", strip=True)


class PrintCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		make_user(OWNER, [s.AGENT])
		make_user(MANAGER, [s.MANAGER])
		make_user(APPROVER, [s.APPROVER])
		super().setUpClass()
		cls.filled = cls.make_filled_complaint()

	def setUp(self):
		frappe.set_user("Administrator")
		self.addCleanup(frappe.set_user, "Administrator")

	@staticmethod
	def make_filled_complaint() -> str:
		doc = new_complaint(
			complainant_name="Wang Fang",
			contact_phone="+86-139-0000-0000",
			store_branch="Beijing Chaoyang",
			product="Steamed buns",
			amount_at_stake=320,
			affected_customers=3,
			description="<p>Three customers fell ill after lunch; one went to hospital.</p>",
			evidence=[
				{
					"evidence_type": "Photo",
					"attachment": "/files/receipt-0042.jpg",
					"evidence_description": "Receipt and leftover food",
					"collected_on": now_datetime(),
				}
			],
			resolution_lines=[
				{"resolution_type": "Refund", "line_description": "Refund of the meal", "amount": 320},
				{"resolution_type": "Apology", "line_description": "Written apology from the manager"},
			],
			contact_log=[
				{
					"contact_channel": "Phone",
					"direction": "Outbound",
					"summary": "Told the customer about the refund and the apology",
					"outcome_told": 1,
					"contact_by": OWNER,
				}
			],
		).insert()
		# one real stage change, as the workflow's "Classify" makes it, saved with a Version (which
		# Frappe skips in tests unless asked) so that the report has a stage-change row
		doc.reload()
		doc.workflow_state = doc.stage = s.CLASSIFIED
		doc.save(ignore_version=False)
		now = now_datetime()
		frappe.db.set_value(
			"Complaint",
			doc.name,
			{
				"stage": s.REVIEWED,
				"workflow_state": s.REVIEWED,
				"status": "Closed",
				"complaint_owner": OWNER,
				"investigator": OWNER,
				"investigation_started_on": add_days(now, -6),
				"findings": "<p>The buns were kept warm for too long at the counter.</p>",
				"approval_role": s.MANAGER,
				"approved_by": MANAGER,
				"approved_on": add_days(now, -5),
				"customer_informed_on": add_days(now, -4),
				"follow_up_due": add_days(now, 3),
				"followed_up_on": add_days(now, -2),
				"satisfaction": 4,
				"follow_up_comment": "Satisfied with the refund",
				"closed_on": add_days(now, -1),
				"root_cause_category": "Process",
				"lessons_learned": "Throw away food kept warm for more than two hours",
				"reviewed_on": now,
			},
		)
		frappe.get_doc(
			{
				"doctype": "Improvement Action",
				"title": "Two-hour rule for the warming counter",
				"source_complaint": doc.name,
				"action_owner": OWNER,
				"due_date": add_days(now, 14),
			}
		).insert()
		return doc.name

	def render(self, name: str, print_format: str, as_pdf: bool = False):
		return frappe.get_print("Complaint", name, print_format, as_pdf=as_pdf)


class TestPrintFormats(PrintCase):
	def test_formats_are_shipped_standard_jinja(self):
		for print_format in FORMATS:
			pf = frappe.get_doc("Print Format", print_format)
			self.assertEqual(
				(pf.doc_type, pf.standard, pf.custom_format, pf.print_format_type, pf.module),
				("Complaint", "Yes", 1, "Jinja", "Complaint Response"),
				print_format,
			)

	def test_filled_complaint_record_form(self):
		html = self.render(self.filled, RECORD_FORM)
		text = body(html).get_text(" ", strip=True)
		for expected in (
			self.filled,
			"Complaint Record Form",
			"Wang Fang",
			"+86-139-0000-0000",
			"Beijing Chaoyang",
			"Steamed buns",
			"Service",
			"Three customers fell ill",
			"receipt-0042.jpg",
			"Receipt and leftover food",
			"Registered By",
			"Signature",
		):
			self.assertIn(expected, text)

	def test_filled_complaint_handling_report(self):
		html = self.render(self.filled, HANDLING_REPORT)
		text = body(html).get_text(" ", strip=True)
		for expected in (
			self.filled,
			"Complaint Handling Report",
			"Wang Fang",
			"Refund of the meal",
			"Written apology from the manager",
			"kept warm for too long",
			"Told the customer about the refund",
			"4 / 5",
			"Satisfied with the refund",
			"Throw away food kept warm",
			"Two-hour rule for the warming counter",
			s.MANAGER,
		):
			self.assertIn(expected, text)
		total = body(html).find(id="cr-resolution-lines").find("tr", class_="cr-total").get_text()
		self.assertIn("320", total)
		stage_changes = body(html).find(id="cr-stage-changes").get_text(" ", strip=True)
		self.assertIn(s.RECEIVED, stage_changes)
		self.assertIn(s.CLASSIFIED, stage_changes)
		for section_id in REPORT_SECTIONS:
			self.assertNotIn(NOT_RECORDED, section(html, section_id), section_id)

	def test_fresh_complaint_prints_not_recorded_for_empty_sections(self):
		name = new_complaint(complainant_name="Zhao Lei").insert().name
		report = self.render(name, HANDLING_REPORT)
		self.assertIn(name, body(report).get_text())
		self.assertIn("Zhao Lei", body(report).get_text())
		for section_id in REPORT_SECTIONS:
			self.assertIn(NOT_RECORDED, section(report, section_id), section_id)
		record = self.render(name, RECORD_FORM)
		self.assertIn(name, body(record).get_text())
		self.assertIn(NOT_RECORDED, section(record, "cr-evidence"))

	def test_pdf(self):
		fresh = new_complaint().insert().name
		with assets_served():
			for name in (self.filled, fresh):
				for print_format in FORMATS:
					pdf = self.render(name, print_format, as_pdf=True)
					self.assertTrue(pdf.startswith(b"%PDF"), f"{print_format} of {name}")

	def test_description_is_sanitised(self):
		name = new_complaint(complainant_name='Chen <img src="y" onerror="alert(2)"> Jie').insert().name
		# written past the document's own sanitising, as an import or a patch could
		frappe.db.set_value("Complaint", name, {"description": HOSTILE, "store_branch": "<script>x</script>"})
		for print_format in FORMATS:
			markup = str(body(self.render(name, print_format)))
			self.assertNotIn("<script", markup, print_format)
			self.assertNotIn("onerror", markup, print_format)
		markup = str(body(self.render(name, RECORD_FORM)))
		self.assertIn("Counter closed.", markup)
		self.assertIn("&lt;script&gt;", markup)

	def test_chinese(self):
		name = new_complaint().insert().name
		self.addCleanup(setattr, frappe.local, "lang", frappe.local.lang)
		frappe.local.lang = "zh"
		report = body(self.render(name, HANDLING_REPORT)).get_text(" ", strip=True)
		for word in (
			"投诉处理报告",
			"调查核实",
			"处理方案",
			"沟通记录",
			"回访",
			"复盘",
			"整改措施",
			"未记录",
		):
			self.assertIn(word, report)
		self.assertIn("已受理", report)  # the stage, in the complaint's sense of "Received"
		record = body(self.render(name, RECORD_FORM)).get_text(" ", strip=True)
		for word in ("投诉登记表", "受理", "登记", "分类分级", "一般"):
			self.assertIn(word, record)


class TestNotificationRecords(FrappeTestCase):
	def names(self) -> tuple[list[str], list[str]]:
		return [n["name"] for n in NOTIFICATIONS], [t["name"] for t in EMAIL_TEMPLATES]

	def test_created_once_and_idempotent(self):
		notifications, templates = self.names()
		self.assertEqual(
			sorted(notifications),
			sorted(
				[
					"Complaint Acknowledgement",
					"Complaint Assigned to You",
					"Complaint Approval Needed",
					"Complaint Resolution Approved",
					"Complaint Follow-up Due",
					"Complaint Dissatisfied Follow-up",
					"Complaint SLA Warning",
					"Complaint SLA Breached",
					"Complaint Satisfaction Survey",
				]
			),
		)
		self.assertEqual(
			sorted(templates),
			sorted(
				[
					"Complaint Acknowledgement",
					"Complaint Ticket Acknowledgement",
					"Complaint Ticket Resolution",
					"Complaint Ticket Closed",
				]
			),
		)
		after_migrate()
		before = (frappe.db.count("Notification"), frappe.db.count("Email Template"))
		after_migrate()
		after_migrate()
		self.assertEqual((frappe.db.count("Notification"), frappe.db.count("Email Template")), before)
		for name in notifications:
			self.assertEqual(frappe.db.count("Notification", {"name": name}), 1, name)
			row = frappe.db.get_value(
				"Notification", name, ["document_type", "enabled", "is_standard"], as_dict=True
			)
			self.assertEqual((row.document_type, row.enabled, row.is_standard), ("Complaint", 1, 0), name)
		for name in templates:
			self.assertEqual(frappe.db.count("Email Template", {"name": name}), 1, name)

	def test_events(self):
		def get(name):
			return frappe.get_doc("Notification", name)

		self.assertEqual(
			(get("Complaint Acknowledgement").event, get("Complaint Acknowledgement").channel),
			("New", "Email"),
		)
		for name in (
			"Complaint Approval Needed",
			"Complaint Resolution Approved",
			"Complaint Dissatisfied Follow-up",
		):
			self.assertEqual((get(name).event, get(name).value_changed), ("Value Change", "stage"), name)
		self.assertEqual(get("Complaint Assigned to You").value_changed, "complaint_owner")
		follow_up = get("Complaint Follow-up Due")
		self.assertEqual((follow_up.event, follow_up.date_changed), ("Days Before", "follow_up_due"))
		self.assertEqual(get("Complaint SLA Warning").method, SLA_WARNING_METHOD)
		self.assertEqual(get("Complaint SLA Breached").method, SLA_BREACH_METHOD)

	def test_admin_edits_survive_migrate(self):
		notification = frappe.get_doc("Notification", "Complaint Assigned to You")
		template = frappe.get_doc("Email Template", "Complaint Acknowledgement")
		# restored with a save, which clears the cached documents too (after_migrate may commit on a
		# site where it alters a table, so a rollback alone would not undo the edits)
		self.addCleanup(restore, "Notification", notification.name, "subject", notification.subject)
		self.addCleanup(restore, "Email Template", template.name, "response", template.response)
		notification.subject = "Yours now: {{ doc.name }}"
		notification.save()
		template.response = "<p>Edited by the admin: {{ name }}</p>"
		template.save()
		after_migrate()
		self.assertEqual(
			frappe.db.get_value("Notification", notification.name, "subject"), "Yours now: {{ doc.name }}"
		)
		self.assertIn("Edited by the admin", frappe.db.get_value("Email Template", template.name, "response"))

	def test_email_template_renders_for_a_complaint(self):
		doc = new_complaint(complainant_name="Sun Li").insert()
		mail = frappe.get_doc("Email Template", "Complaint Acknowledgement").get_formatted_email(
			doc.as_dict()
		)
		self.assertIn(doc.name, mail["subject"])
		self.assertIn(doc.name, mail["message"])
		self.assertIn("Sun Li", mail["message"])


def restore(doctype: str, name: str, fieldname: str, value) -> None:
	doc = frappe.get_doc(doctype, name)
	doc.set(fieldname, value)
	doc.save(ignore_permissions=True)


class TestNotificationsSent(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		make_user(OWNER, [s.AGENT])
		make_user(MANAGER, [s.MANAGER])
		make_user(APPROVER, [s.APPROVER])
		super().setUpClass()

	def setUp(self):
		frappe.set_user("Administrator")

	def queued(self, name: str) -> list[frappe._dict]:
		return frappe.get_all(
			"Email Queue",
			filters={"reference_doctype": "Complaint", "reference_name": name},
			fields=["name", "message"],
		)

	def alerts(self, name: str, user: str) -> list[str]:
		return frappe.get_all(
			"Notification Log",
			filters={"document_type": "Complaint", "document_name": name, "for_user": user, "type": "Alert"},
			pluck="subject",
		)

	def test_acknowledgement_emailed_to_the_customer(self):
		before = set(frappe.get_all("Email Queue", pluck="name"))
		with outgoing_email_account():
			doc = new_complaint(contact_email=CUSTOMER).insert()
		# only mail queued by this insert: rows from earlier runs may carry a reused reference number
		queued = [q for q in self.queued(doc.name) if q.name not in before]
		self.assertEqual(len(queued), 1)
		recipients = frappe.get_all(
			"Email Queue Recipient", filters={"parent": queued[0].name}, pluck="recipient"
		)
		self.assertEqual(recipients, [CUSTOMER])
		mail = email.message_from_string(queued[0].message)
		self.assertIn(doc.name, str(email.header.make_header(email.header.decode_header(mail["Subject"]))))
		text = "".join(
			part.get_payload(decode=True).decode()
			for part in mail.walk()
			if part.get_content_type() == "text/html"
		)
		self.assertIn(doc.name, text)
		self.assertIn(doc.complainant_name, text)

	def test_no_email_without_an_address(self):
		with outgoing_email_account():
			doc = new_complaint().insert()
		self.assertEqual(self.queued(doc.name), [])

	def test_owner_told_of_assignment(self):
		doc = new_complaint().insert()
		assign({"doctype": "Complaint", "name": doc.name, "assign_to": [OWNER]})
		self.assertEqual(frappe.db.get_value("Complaint", doc.name, "complaint_owner"), OWNER)
		self.assertTrue(
			any("assigned to you" in subject for subject in self.alerts(doc.name, OWNER)),
			self.alerts(doc.name, OWNER),
		)

	def test_approval_needed_reaches_the_approvers(self):
		doc = new_complaint().insert()
		doc.db_set({"approval_role": s.MANAGER, "stage": s.RESOLUTION_PROPOSED})
		self.assertTrue(self.alerts(doc.name, MANAGER))
		self.assertFalse(self.alerts(doc.name, APPROVER))

		doc = new_complaint().insert()
		doc.db_set({"approval_role": s.APPROVER, "stage": s.RESOLUTION_PROPOSED})
		self.assertTrue(self.alerts(doc.name, MANAGER))
		self.assertTrue(self.alerts(doc.name, APPROVER))

	def test_sla_events(self):
		doc = new_complaint().insert()
		doc.db_set("complaint_owner", OWNER)
		doc.run_method(SLA_WARNING_METHOD)
		self.assertTrue(any("close to its time limit" in t for t in self.alerts(doc.name, OWNER)))
		doc.run_method(SLA_BREACH_METHOD)
		self.assertTrue(any("past its time limit" in t for t in self.alerts(doc.name, MANAGER)))

	def test_stage_notifications(self):
		doc = new_complaint().insert()
		doc.db_set({"complaint_owner": OWNER, "approved_by": MANAGER, "stage": s.RESOLUTION_APPROVED})
		self.assertTrue(any("approved" in t for t in self.alerts(doc.name, OWNER)))

		# a follow-up scored 1/5 reopens the complaint (lifecycle.flow): owner and managers hear of it
		doc = new_complaint().insert()
		frappe.db.set_value(
			"Complaint",
			doc.name,
			{"stage": s.FOLLOW_UP, "workflow_state": s.FOLLOW_UP, "complaint_owner": OWNER},
		)
		doc = frappe.get_doc("Complaint", doc.name)
		doc.update({"followed_up_on": now_datetime(), "satisfaction": 1})
		doc.save()
		self.assertEqual(doc.stage, s.REOPENED)
		for user in (MANAGER, OWNER):
			subjects = self.alerts(doc.name, user)
			self.assertTrue(any("reopened: customer dissatisfied (1/5)" in t for t in subjects), subjects)

	def test_follow_up_due_the_day_before(self):
		due, done = new_complaint().insert(), new_complaint().insert()
		tomorrow = add_days(now_datetime(), 1)
		for doc in (due, done):
			frappe.db.set_value(
				"Complaint", doc.name, {"stage": s.CUSTOMER_INFORMED, "follow_up_due": tomorrow}
			)
		frappe.db.set_value("Complaint", done.name, "followed_up_on", now_datetime())
		found = {
			d.name
			for d in frappe.get_doc("Notification", "Complaint Follow-up Due").get_documents_for_today()
		}
		self.assertIn(due.name, found)
		self.assertNotIn(done.name, found)
