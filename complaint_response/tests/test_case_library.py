"""The case library (案例库): a reviewed complaint becomes one training case without the complainant's
personal data, found by category and keyword in the Case Library report; only managers and quality
officers make and edit cases, everyone else reads them."""

import frappe
from frappe.desk.query_report import run as run_report
from frappe.tests.utils import FrappeTestCase
from frappe.utils import now_datetime

from complaint_response import case_library
from complaint_response.rules import stages as s
from complaint_response.tests.utils import make_user, new_complaint

AGENT = "cr-case-agent@example.com"
MANAGER = "cr-case-manager@example.com"
QUALITY = "cr-case-quality@example.com"
CASE = "Complaint Case"
REPORT = "Case Library"

NAME, PHONE, EMAIL = "王芳", "+86 139-1234-5678", "wang.fang@example.com"
# every way the complainant appears in the complaint's text below, and the bits of each
SECRETS = (NAME, "王女士", "139", "1234", "5678", "wang.fang", "example.com")


def reviewed_complaint(stage=s.REVIEWED, marker="汤底批次", **values):
	"""A complaint whose free text names the complainant and their phone and e-mail, moved to `stage`."""
	fields = {
		"complainant_name": NAME,
		"contact_phone": PHONE,
		"contact_email": EMAIL,
		"category": "Quality",
		"product": "Hotpot soup base",
		"store_branch": "Store 7",
		# the subject is cut from this at 80 characters, in the middle of the e-mail address
		"description": (
			f"<p>顾客{NAME}投诉汤里有异物，请回电 139 1234 5678，或者发邮件到 {EMAIL} 联系她本人。</p>"
			f"<p>The customer wrote from {EMAIL} and asked for a refund.</p>"
		),
	}
	fields.update(values)
	doc = new_complaint(**fields).insert()
	doc.findings = f"<p>{marker}2211 过期；王女士（13912345678）所述属实。</p>"
	doc.append(
		"resolution_lines", {"resolution_type": "Refund", "line_description": "退款给王芳", "amount": 58}
	)
	doc.save()
	doc.db_set(
		{
			"stage": stage,
			"status": "Closed",
			"closed_on": now_datetime(),
			"root_cause_category": "Supplier",
			"lessons_learned": "每日检查汤底批次; call 王女士 back on 139-1234-5678 if it recurs",
			"satisfaction": 4,
		}
	)
	return doc


def cases_of(complaint: str) -> list[str]:
	return frappe.get_all(CASE, filters={"source_complaint": complaint}, pluck="name")


def as_user(user, fn, *args, **kwargs):
	frappe.set_user(user)
	try:
		return fn(*args, **kwargs)
	finally:
		frappe.set_user("Administrator")


def add(user, complaint: str) -> str:
	return as_user(user, lambda: frappe.get_doc("Complaint", complaint).add_to_case_library())


def found(user, **filters) -> list[str]:
	result = as_user(user, run_report, REPORT, filters=filters)
	return [row["name"] for row in result["result"]]


class TestCaseLibrary(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		make_user(AGENT, [s.AGENT])
		make_user(MANAGER, [s.MANAGER])
		make_user(QUALITY, ["Quality Officer"])
		super().setUpClass()

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_refused_before_the_review(self):
		for stage in (s.RECEIVED, s.INVESTIGATING, s.CLOSED):
			doc = reviewed_complaint(stage=stage)
			with self.assertRaises(case_library.NotReviewed) as caught:
				add(MANAGER, doc.name)
			self.assertTrue(400 <= caught.exception.http_status_code < 500)
			self.assertIn("reviewed", str(caught.exception))
			self.assertEqual(cases_of(doc.name), [], stage)

	def test_refused_for_an_agent(self):
		doc = reviewed_complaint()
		with self.assertRaises(frappe.PermissionError):
			add(AGENT, doc.name)
		self.assertEqual(cases_of(doc.name), [])

	def test_a_manager_makes_one_case_without_the_complainant(self):
		doc = reviewed_complaint()
		name = add(MANAGER, doc.name)
		case = frappe.get_doc(CASE, name)
		self.assertRegex(name, r"^CASE-\d{4}-\d{5}$")
		self.assertEqual(
			(case.source_complaint, case.category, case.product, case.store_branch, case.severity),
			(doc.name, "Quality", "Hotpot soup base", "Store 7", doc.severity),
		)
		self.assertEqual((case.channel, case.root_cause_category), ("Phone", "Supplier"))
		self.assertEqual(case.received_on, frappe.utils.getdate(doc.received_on))
		self.assertIn("汤里有异物", case.summary)
		self.assertIn("汤底批次2211 过期", case.findings)
		self.assertIn("每日检查汤底批次", case.lessons_learned)
		self.assertIn("退款给", case.resolution)
		self.assertIn("4/5", case.resolution)
		self.assertTrue(case.title)
		# nothing of the complainant, in any field
		text = "\n".join(
			str(case.get(df.fieldname) or "") for df in case.meta.fields if df.fieldname != "source_complaint"
		)
		leaks = [secret for secret in SECRETS if secret.lower() in text.lower()]
		self.assertEqual(leaks, [], text)
		self.assertIn(case_library.case_text.CUSTOMER, case.summary)
		self.assertIn(case_library.case_text.REMOVED, case.summary)

		# one case per complaint: a second call, by anyone who may add, returns it
		self.assertEqual(add(MANAGER, doc.name), name)
		self.assertEqual(add(QUALITY, doc.name), name)
		self.assertEqual(cases_of(doc.name), [name])
		timeline = frappe.get_all(
			"Comment", filters={"reference_name": doc.name, "comment_type": "Info"}, pluck="content"
		)
		self.assertTrue(any(name in text for text in timeline), timeline)
		# the form offers Open Case, and its connections show the case
		complaint = frappe.get_doc("Complaint", doc.name)
		complaint.run_method("onload")
		self.assertEqual(complaint.get_onload().get("complaint_case"), name)

	def test_a_quality_officer_may_add_and_a_hand_edit_is_scrubbed_too(self):
		doc = reviewed_complaint()
		name = add(QUALITY, doc.name)

		def edit():
			case = frappe.get_doc(CASE, name)
			case.lessons_learned += (
				"\n王女士的微信号 wangfang88，邮箱 WANG.FANG@example.com，身份证 110101199003071234"
			)
			case.keywords = "异物, 王芳"
			case.findings = 13912345678  # a number sent for a text field is text too
			case.save()
			return case

		case = as_user(MANAGER, edit)
		for secret in ("王", "wangfang88", "wang.fang", "110101199003071234"):
			self.assertNotIn(secret, case.lessons_learned + case.keywords)
		self.assertIn("异物", case.keywords)
		self.assertEqual(case.findings, case_library.case_text.REMOVED)

	def test_a_case_only_comes_from_a_reviewed_complaint_once(self):
		open_one = reviewed_complaint(stage=s.FOLLOW_UP)
		with self.assertRaises(case_library.NotReviewed):
			frappe.get_doc({"doctype": CASE, "title": "By hand", "source_complaint": open_one.name}).insert()
		doc = reviewed_complaint()
		add(MANAGER, doc.name)
		with self.assertRaises(frappe.DuplicateEntryError):
			frappe.get_doc({"doctype": CASE, "title": "Again", "source_complaint": doc.name}).insert()
		self.assertEqual(len(cases_of(doc.name)), 1)
		self.assertEqual(cases_of(open_one.name), [])

	def test_the_report_finds_cases_by_category_and_keyword(self):
		soup = add(MANAGER, reviewed_complaint(marker="锅底编号").name)
		other = add(MANAGER, reviewed_complaint(marker="别的批次", category="Service").name)
		frappe.db.set_value(CASE, soup, "keywords", "coupon 50% off, code_red")
		frappe.db.set_value(CASE, other, "keywords", "coupon 500 off, codexred")

		# by category
		self.assertIn(soup, found(AGENT, category="Quality"))
		self.assertNotIn(soup, found(AGENT, category="Service"))
		self.assertIn(other, found(AGENT, category="Service"))
		severity = frappe.db.get_value(CASE, soup, "severity")
		self.assertIn(soup, found(AGENT, store_branch="Store 7", severity=severity))
		self.assertNotIn(soup, found(AGENT, store_branch="Store 8"))
		# by a keyword from the findings, in any case of letters; and not by an absent one
		self.assertIn(soup, found(AGENT, keyword="锅底编号"))
		self.assertNotIn(other, found(AGENT, keyword="锅底编号"))
		self.assertIn(soup, found(AGENT, keyword="COUPON 50"))
		self.assertEqual(found(AGENT, keyword="no-such-word-anywhere-7f3a"), [])
		# % and _ are the keyword's own characters, not wildcards
		self.assertEqual([n for n in found(AGENT, keyword="50%") if n in (soup, other)], [soup])
		self.assertEqual([n for n in found(AGENT, keyword="code_red") if n in (soup, other)], [soup])
		self.assertEqual(found(AGENT, keyword="%%__%%"), [])
		# by both, and by the dates received
		self.assertEqual(
			[n for n in found(AGENT, category="Quality", keyword="coupon") if n in (soup, other)], [soup]
		)
		today = frappe.utils.today()
		self.assertIn(soup, found(AGENT, from_date=today, to_date=today))
		self.assertNotIn(soup, found(AGENT, to_date=frappe.utils.add_days(today, -1)))

		result = as_user(AGENT, run_report, REPORT, filters={"keyword": "锅底编号"})
		first = result["columns"][0]
		self.assertEqual((first["fieldname"], first["fieldtype"], first["options"]), ("name", "Link", CASE))

	def test_bad_filters_get_a_message(self):
		for filters in ({"from_date": "2026-12-31", "to_date": "2026-01-01"}, {"keyword": ["x"]}):
			result = as_user(AGENT, run_report, REPORT, filters=filters)
			self.assertEqual(result["result"], [], filters)
			self.assertTrue(result["message"], filters)

	def test_an_agent_reads_a_case_but_cannot_change_it(self):
		name = add(MANAGER, reviewed_complaint().name)
		frappe.set_user(AGENT)
		case = frappe.get_doc(CASE, name)
		self.assertTrue(case.has_permission("read"))
		self.assertFalse(case.has_permission("write"))
		case.lessons_learned = "changed by an agent"
		with self.assertRaises(frappe.PermissionError):
			case.save()
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc(
				{"doctype": CASE, "title": "Mine", "source_complaint": case.source_complaint}
			).insert()
		frappe.set_user("Administrator")
		self.assertNotEqual(frappe.db.get_value(CASE, name, "lessons_learned"), "changed by an agent")
