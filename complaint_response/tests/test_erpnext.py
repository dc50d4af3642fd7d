"""ERPNext plug-in (only on a site with ERPNext): Customer and Item fill the complaint, an Issue raises
one, a Refund line drafts a Credit Note that the app never submits; without ERPNext none of it shows."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import nowdate

from complaint_response.integrations import erpnext
from complaint_response.tests.utils import new_complaint

CUSTOMER = "CR Test Diner"
ITEM = "CR-FISH"


def needs_erpnext(case):
	if "erpnext" not in frappe.get_installed_apps():
		case.skipTest("this site has no ERPNext")


def company() -> str:
	return frappe.defaults.get_global_default("company") or frappe.get_all("Company", pluck="name")[0]


def make_customer() -> str:
	if not frappe.db.exists("Customer", CUSTOMER):
		frappe.get_doc(
			{"doctype": "Customer", "customer_name": CUSTOMER, "customer_type": "Individual"}
		).insert(ignore_permissions=True)
		contact = frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": "Zhao",
				"last_name": "Lei",
				"email_ids": [{"email_id": "zhao.lei@example.com", "is_primary": 1}],
				"phone_nos": [{"phone": "+86 139 0000 0002", "is_primary_mobile_no": 1}],
				"links": [{"link_doctype": "Customer", "link_name": CUSTOMER}],
				"is_primary_contact": 1,
			}
		).insert(ignore_permissions=True)
		frappe.db.set_value("Customer", CUSTOMER, "customer_primary_contact", contact.name)
	return CUSTOMER


def make_item() -> str:
	if not frappe.db.exists("Item", ITEM):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": ITEM,
				"item_name": "Spicy Fish",
				"item_group": frappe.db.get_value("Item Group", {"is_group": 0}) or "All Item Groups",
				"stock_uom": "Nos",
				"is_stock_item": 0,
			}
		).insert(ignore_permissions=True)
	return ITEM


def make_invoice(rate: float = 50, qty: int = 2) -> str:
	invoice = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"customer": make_customer(),
			"company": company(),
			"posting_date": nowdate(),
			"due_date": nowdate(),
			"items": [{"item_code": make_item(), "qty": qty, "rate": rate}],
		}
	).insert(ignore_permissions=True)
	invoice.submit()
	return invoice.name


class ERPNextCase(FrappeTestCase):
	def setUp(self):
		needs_erpnext(self)
		frappe.set_user("Administrator")


class TestFill(ERPNextCase):
	def test_customer_fills_the_blank_contact_fields(self):
		doc = new_complaint(
			customer=make_customer(), complainant_name=None, contact_phone=None, contact_email=None
		).insert()
		self.assertEqual(
			(doc.complainant_name, doc.contact_email, doc.contact_phone),
			("Zhao Lei", "zhao.lei@example.com", "+86 139 0000 0002"),
		)
		self.assertEqual(erpnext.customer_details(CUSTOMER)["contact_email"], "zhao.lei@example.com")

	def test_what_the_agent_typed_is_kept(self):
		doc = new_complaint(customer=make_customer(), complainant_name="Mrs Zhao (caller)").insert()
		self.assertEqual(doc.complainant_name, "Mrs Zhao (caller)")
		self.assertEqual(doc.contact_email, "zhao.lei@example.com")

	def test_item_sets_the_product_the_early_warning_counts_by(self):
		first = new_complaint(item=make_item(), product="fish").insert()
		second = new_complaint(item=ITEM, product="the spicy one").insert()
		self.assertEqual(first.product, "CR-FISH: Spicy Fish")
		self.assertEqual(second.product, first.product)


class TestIssue(ERPNextCase):
	def new_issue(self, subject="Bones in the fish", **values):
		return frappe.get_doc(
			{
				"doctype": "Issue",
				"subject": subject,
				"raised_by": "zhao.lei@example.com",
				"customer": make_customer(),
				"description": "<p>My child nearly choked.</p>",
				**values,
			}
		).insert(ignore_permissions=True)

	def test_issue_raises_a_complaint_linked_both_ways_once(self):
		issue = self.new_issue()
		first = erpnext.raise_complaint(issue.name)
		again = erpnext.raise_complaint(issue.name)
		self.assertEqual((first["created"], again["created"], first["name"]), (True, False, again["name"]))
		doc = frappe.get_doc("Complaint", first["name"])
		self.assertEqual(
			(doc.channel, doc.issue, doc.customer, doc.contact_email),
			("ERPNext Issue", issue.name, CUSTOMER, "zhao.lei@example.com"),
		)
		self.assertIn("nearly choked", doc.description)
		self.assertEqual(
			frappe.db.get_value("Issue", issue.name, ["complaint", "complaint_stage"]), (doc.name, "Received")
		)

	def test_flag_rule_for_issues(self):
		if not frappe.db.exists("Complaint Flag Rule", "CR Test Choking"):
			frappe.get_doc(
				{
					"doctype": "Complaint Flag Rule",
					"rule_name": "CR Test Choking",
					"applies_to": "Issue",
					"keywords": "gagged on a bone",
				}
			).insert()
		issue = self.new_issue(subject="Fish bones", description="<p>He gagged on a bone.</p>")
		name = frappe.db.get_value("Issue", issue.name, "complaint")
		self.assertTrue(name)
		self.assertIn("CR Test Choking", frappe.db.get_value("Complaint", name, "raised_because"))
		calm = self.new_issue(subject="Opening hours?", description="<p>When do you open?</p>")
		self.assertFalse(frappe.db.get_value("Issue", calm.name, "complaint"))


class TestCreditNote(ERPNextCase):
	def complaint_with_refund(self, amount: float, invoice: str | None = "new"):
		doc = new_complaint(
			customer=make_customer(), sales_invoice=make_invoice() if invoice == "new" else invoice
		)
		doc.append(
			"resolution_lines", {"resolution_type": "Refund", "amount": amount, "line_description": "Refund"}
		)
		return doc.insert()

	def test_a_refund_drafts_a_credit_note_for_its_amount_never_submitted(self):
		doc = self.complaint_with_refund(30)
		name = erpnext.make_credit_note(doc.name)
		note = frappe.get_doc("Sales Invoice", name)
		self.assertEqual((note.is_return, note.return_against, note.docstatus), (1, doc.sales_invoice, 0))
		self.assertAlmostEqual(note.grand_total, -30, places=2)
		self.assertEqual(frappe.db.get_value("Complaint", doc.name, "credit_note"), name)
		self.assertEqual(erpnext.make_credit_note(doc.name), name, "a second click returns the same draft")

	def test_a_full_refund_is_the_whole_return(self):
		doc = self.complaint_with_refund(100)
		note = frappe.get_doc("Sales Invoice", erpnext.make_credit_note(doc.name))
		self.assertAlmostEqual(note.grand_total, -100, places=2)
		self.assertEqual(note.items[0].qty, -2)

	def test_refused_without_an_invoice_or_above_it(self):
		before = frappe.db.count("Sales Invoice", {"is_return": 1})
		self.assertRaises(
			frappe.ValidationError,
			erpnext.make_credit_note,
			self.complaint_with_refund(30, invoice=None).name,
		)
		self.assertRaises(
			frappe.ValidationError, erpnext.make_credit_note, self.complaint_with_refund(150).name
		)
		self.assertEqual(frappe.db.count("Sales Invoice", {"is_return": 1}), before)


class TestCompanyFilter(ERPNextCase):
	def test_reports_narrow_to_a_company(self):
		"""With ERPNext, the complaint reports take a company (the field ERPNext adds to Complaint) and
		their drill-down keeps it."""
		from frappe.desk.query_report import run

		from complaint_response.tests.test_more_reports import route_filters

		when = "2016-02-10 10:00:00"
		names = [new_complaint(store_branch="CR Company Filter Store").insert().name for _ in range(2)]
		frappe.db.set_value("Complaint", names[0], {"received_on": when, "company": company()})
		frappe.db.set_value("Complaint", names[1], {"received_on": when, "company": None})
		filters = {
			"from_date": "2016-02-01",
			"to_date": "2016-02-28",
			"store_branch": "CR Company Filter Store",
		}

		def received(report: str, **more) -> tuple[int, list]:
			rows = run(report, filters={**filters, **more})["result"]
			rows = [r for r in rows if r.get("label") != "Total"]
			return sum(int(r.get("received") or 0) for r in rows), rows

		self.assertEqual(received("Complaint Breakdown", dimension="Channel")[0], 2)
		count, rows = received("Complaint Breakdown", dimension="Channel", company=company())
		self.assertEqual(count, 1)
		self.assertEqual(route_filters(rows[0]["route"])["company"], company())
		self.assertEqual(received("Complaint Stage Time", group_by="Category", company=company())[0], 1)


class TestWithoutERPNext(FrappeTestCase):
	def test_none_of_it_shows_and_nothing_breaks(self):
		if "erpnext" in frappe.get_installed_apps():
			self.skipTest("this site has ERPNext")
		meta = frappe.get_meta("Complaint")
		for fieldname in ("customer", "item", "issue", "sales_invoice", "credit_note"):
			self.assertFalse(meta.has_field(fieldname), fieldname)
		doc = new_complaint(customer="Nobody", item="Nothing").insert()  # unknown fields: ignored
		self.assertFalse(doc.get("credit_note"))
		self.assertRaises(frappe.ValidationError, erpnext.raise_complaint, "ISS-1")
