"""The improvement action's print format (整改报告) on a real site.

Printing is what is tested here, not the workflow (test_improvement_action.py): the filled action is
inserted with its problem, 5 whys, measures and evidence, and gets its status and measured effect
written directly. The complainants of the complaints it came from never appear on it."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, now_datetime, today

from complaint_response.tests.test_print_and_notify import assets_served, body
from complaint_response.tests.utils import make_user, new_complaint

REPORT = "Improvement Action Report"
SECTIONS = (
	"cr-action",
	"cr-problem",
	"cr-whys",
	"cr-measures",
	"cr-evidence",
	"cr-effect",
	"cr-related-complaints",
)
EMPTY_SECTIONS = ("cr-problem", "cr-whys", "cr-measures", "cr-evidence", "cr-related-complaints")
NOT_RECORDED = "Not recorded"
NOT_MEASURED = "Not measured yet"

OWNER = "cr-ip-owner@example.com"
QUALITY = "cr-ip-quality@example.com"
AGENT = "cr-ip-agent@example.com"
NAMES = {OWNER: ("Liu", "Qiang"), QUALITY: ("Guo", "Jing")}

# The complainants: none of this may appear on the report.
COMPLAINANTS = (
	("Wang Fangfang", "+86-139-2468-1357", "wang.fangfang@example.com"),
	("Ma Xiaolin", "+86-136-1122-3344", "ma.xiaolin@example.com"),
	("Zhao Dapeng", "+86-135-5566-7788", "zhao.dapeng@example.com"),
)
SOURCE_SUBJECT = "Buns served cold at the warming counter"
ALERT_TITLE = "Spoiled soup base at three stores"
ALERT_SUBJECTS = ("Stomach pain after the hotpot dinner", "Soup tasted sour")

PROBLEM = "Buns kept warm for hours were served cold and stale"
ROOT_CAUSE = "No rule for how long food may stay on the warming counter"
WHYS = (
	("Why were the buns cold?", "They had been on the counter since the morning"),
	("Why were they still on the counter?", "Nobody knew when they had been put there"),
	("Why did nobody know?", "The counters have no timer and no log"),
)
CORRECTIVE = "Throw away food kept warm for more than two hours"
PREVENTIVE = "A timer on every warming counter and a check at the shift handover"
EVIDENCE = "Timers installed in all seven stores; staff trained on 1 March"
EVIDENCE_FILE = "warming-counter-timers.jpg"
EFFECT_NOTE = "The complaint rate fell to 15% of what it was (p = 0.000244, below 0.05): effective."
HOSTILE = '<p>Counter closed.</p><script>alert("x")</script><img src="x" onerror="alert(1)">'


def complainant(index: int) -> dict:
	name, phone, email = COMPLAINANTS[index]
	return {"complainant_name": name, "contact_phone": phone, "contact_email": email}


class ImprovementPrintCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		make_user(OWNER, ["Quality Officer"])
		make_user(QUALITY, ["Quality Officer"])
		make_user(AGENT, ["Complaint Agent"])
		for user, (first, last) in NAMES.items():
			frappe.get_doc("User", user).update({"first_name": first, "last_name": last}).save(
				ignore_permissions=True
			)
			# Frappe keeps the full names it has looked up for the rest of the request
			getattr(frappe.local, "fullnames", {}).pop(user, None)
		super().setUpClass()
		cls.source = new_complaint(subject=SOURCE_SUBJECT, category="Quality", **complainant(0)).insert()
		cls.filled = cls.make_filled_action(cls.source.name)
		cls.alert, cls.from_alert = cls.make_action_from_alert()

	def setUp(self):
		frappe.set_user("Administrator")
		self.addCleanup(frappe.set_user, "Administrator")

	@staticmethod
	def new_action(**values):
		doc = {"doctype": "Improvement Action", "title": "Two-hour rule for the warming counter"}
		doc.update(values)
		return frappe.get_doc(doc).insert()

	@classmethod
	def make_filled_action(cls, source_complaint: str) -> str:
		doc = cls.new_action(
			source_complaint=source_complaint,
			action_owner=OWNER,
			department="Store Operations",
			due_date=add_days(today(), 14),
			problem_statement=PROBLEM,
			cause_category="Process",
			root_cause=ROOT_CAUSE,
			five_whys=[{"why": why, "answer": answer} for why, answer in WHYS],
			corrective_measures=CORRECTIVE,
			preventive_measures=PREVENTIVE,
			evidence_notes=EVIDENCE,
			implemented_on=add_days(today(), -31),
			scope_product="Steamed buns",
			scope_store_branch="Beijing Chaoyang",
			before_window_days=30,
			verification_window_days=30,
		)
		# an attached file, written directly (no file on disk: the report prints its name only)
		frappe.get_doc(
			{
				"doctype": "File",
				"file_name": EVIDENCE_FILE,
				"file_url": f"/private/files/{EVIDENCE_FILE}",
				"is_private": 1,
				"attached_to_doctype": doc.doctype,
				"attached_to_name": doc.name,
			}
		).db_insert()
		now = now_datetime()
		frappe.db.set_value(
			"Improvement Action",
			doc.name,
			{
				"status": "Effective",
				"workflow_state": "Effective",
				"before_count": 20,
				"before_days": 30,
				"before_rate": 20,
				"after_count": 3,
				"after_days": 30,
				"after_rate": 3,
				"rate_ratio": 0.15,
				"p_value": 2**-12,
				"measured_on": add_days(now, -1),
				"measurement_final": 1,
				"proposed_effect": "Effective",
				"effect_note": EFFECT_NOTE,
				"effect_confirmed_by": QUALITY,
				"effect_confirmed_on": now,
			},
		)
		return doc.name

	@classmethod
	def make_action_from_alert(cls) -> tuple[str, str]:
		complaints = [
			new_complaint(subject=subject, **complainant(i)).insert()
			for i, subject in enumerate(ALERT_SUBJECTS, start=1)
		]
		alert = frappe.get_doc(
			{
				"doctype": "Crisis Alert",
				"title": ALERT_TITLE,
				"crisis_type": "Food Safety",
				"likelihood": 3,
				"impact": 4,
				# the action's source complaint too: the report lists it once
				"complaints": [{"complaint": c.name} for c in (*complaints, cls.source)],
			}
		).insert()
		action = cls.new_action(
			title="Check every batch of soup base",
			source_type="Crisis Alert",
			source_crisis_alert=alert.name,
			source_complaint=cls.source.name,
		)
		return alert.name, action.name

	def render(self, name: str, as_pdf: bool = False):
		return frappe.get_print("Improvement Action", name, REPORT, as_pdf=as_pdf)

	def section(self, html: str, section_id: str) -> str:
		found = body(html).find(id=section_id)
		self.assertIsNotNone(found, section_id)
		return found.get_text(" ", strip=True)


class TestImprovementActionReport(ImprovementPrintCase):
	def test_format_is_shipped_standard_jinja(self):
		pf = frappe.get_doc("Print Format", REPORT)
		self.assertEqual(
			(pf.doc_type, pf.standard, pf.custom_format, pf.print_format_type, pf.module, pf.disabled),
			("Improvement Action", "Yes", 1, "Jinja", "Complaint Response", 0),
		)

	def test_filled_action(self):
		html = self.render(self.filled)
		text = body(html).get_text(" ", strip=True)
		expected = {
			"cr-action": (
				self.filled,
				"Two-hour rule for the warming counter",
				"Effective",
				"Complaint",
				self.source.name,
				SOURCE_SUBJECT,
				"Liu Qiang",
				"Store Operations",
			),
			"cr-problem": (PROBLEM, "Process", ROOT_CAUSE),
			"cr-whys": tuple(text for pair in WHYS for text in pair),
			"cr-measures": (CORRECTIVE, PREVENTIVE),
			"cr-evidence": (EVIDENCE, EVIDENCE_FILE),
			"cr-effect": (
				"Steamed buns",
				"Beijing Chaoyang",
				"20",
				"3",
				"0.15",
				"0.000244",
				"0.05",
				"Yes",
				EFFECT_NOTE,
				"Guo Jing",
			),
			"cr-related-complaints": (self.source.name, SOURCE_SUBJECT, "Quality"),
		}
		for section_id, values in expected.items():
			found = self.section(html, section_id)
			for value in values:
				self.assertIn(value, found, section_id)
			self.assertNotIn(NOT_RECORDED, found, section_id)
			self.assertNotIn(NOT_MEASURED, found, section_id)
		self.assertIn("Improvement Action Report", text)
		whys = body(html).find(id="cr-whys").find("tbody").find_all("tr")
		self.assertEqual([row.find("td").get_text(strip=True) for row in whys], ["1", "2", "3"])
		signatures = self.section(html, "cr-signatures")
		for label in (
			"Prepared By",
			"Verified By",
			"Approved By",
			"Signature",
			"Date",
			"Liu Qiang",
			"Guo Jing",
		):
			self.assertIn(label, signatures)

	def test_fresh_action_prints_not_recorded(self):
		name = self.new_action(title="Shorter queue at lunch").name
		html = self.render(name)
		self.assertIn(name, body(html).get_text())
		self.assertIn("Shorter queue at lunch", self.section(html, "cr-action"))
		for section_id in EMPTY_SECTIONS:
			self.assertIn(NOT_RECORDED, self.section(html, section_id), section_id)
		effect = self.section(html, "cr-effect")
		self.assertIn(NOT_MEASURED, effect)
		self.assertIn("Any", effect)  # no scope: every complaint counts
		self.assertIsNone(body(html).find(id="cr-effect-verdict"))

	def test_implemented_action_not_yet_measured(self):
		name = self.new_action(title="Timers on the counters", scope_product="Dumplings").name
		frappe.db.set_value(
			"Improvement Action",
			name,
			{"status": "Implemented", "implemented_on": today(), "before_count": 7, "before_days": 90},
		)
		effect = self.section(self.render(name), "cr-effect")
		self.assertIn(NOT_MEASURED, effect)
		self.assertIn("Complaints Before 7", effect)
		self.assertNotIn("Complaints After", effect)

	def test_alert_source_lists_its_complaints(self):
		html = self.render(self.from_alert)
		action = self.section(html, "cr-action")
		for value in ("Crisis Alert", self.alert, ALERT_TITLE, self.source.name, SOURCE_SUBJECT):
			self.assertIn(value, action)
		related = body(html).find(id="cr-related-complaints").find("tbody").find_all("tr")
		rows = [row.get_text(" ", strip=True) for row in related]
		self.assertEqual(len(rows), 3, rows)
		for subject in (*ALERT_SUBJECTS, SOURCE_SUBJECT):
			self.assertEqual(sum(subject in row for row in rows), 1, subject)

	def test_no_complainant_data(self):
		for name in (self.filled, self.from_alert):
			html = self.render(name)
			for person in COMPLAINANTS:
				for value in person:
					self.assertNotIn(value, html, f"{value} printed on {name}")
		frappe.set_user(AGENT)  # reads actions and complaints, not crisis alerts
		html = self.render(self.from_alert)
		for person in COMPLAINANTS:
			for value in person:
				self.assertNotIn(value, html)
		self.assertIn(self.alert, self.section(html, "cr-action"))
		self.assertNotIn(ALERT_TITLE, html)
		self.assertIn(ALERT_SUBJECTS[0], self.section(html, "cr-related-complaints"))

	def test_free_text_is_sanitised(self):
		name = self.new_action(title="Hostile").name
		# written past the document's own checks, as an import or a patch could
		frappe.db.set_value(
			"Improvement Action",
			name,
			{"problem_statement": HOSTILE, "evidence_notes": HOSTILE, "department": "<script>x</script>"},
		)
		markup = str(body(self.render(name)))
		self.assertNotIn("<script", markup)
		self.assertNotIn("onerror", markup)
		self.assertIn("Counter closed.", self.section(self.render(name), "cr-problem"))
		self.assertIn("Counter closed.", self.section(self.render(name), "cr-evidence"))

	def test_chinese(self):
		fresh = self.new_action(title="Shorter queue at lunch").name
		self.addCleanup(setattr, frappe.local, "lang", frappe.local.lang)
		frappe.local.lang = "zh"
		text = body(self.render(fresh)).get_text(" ", strip=True)
		for word in (
			"整改报告",
			"整改编号",
			"问题与根本原因",
			"五个为什么",
			"措施",
			"实施证据",
			"效果验证",
			"相关投诉",
			"编制人",
			"验证人",
			"审批人",
			"未记录",
			"尚未验证效果",
			"不限",
		):
			self.assertIn(word, text)
		text = body(self.render(self.filled)).get_text(" ", strip=True)
		for word in ("纠正措施", "预防措施", "根本原因", "实施前后对比", "整改有效", "流程", "投诉编号"):
			self.assertIn(word, text)

	def test_pdf(self):
		fresh = self.new_action(title="Shorter queue at lunch").name
		with assets_served():
			for name in (self.filled, fresh):
				pdf = self.render(name, as_pdf=True)
				self.assertTrue(pdf.startswith(b"%PDF"), name)
