"""ERPNext plug-in (only where ERPNext is installed; the fields it uses are Custom Fields added then,
see integrations/links.py):

- an `Issue` raises a complaint like a Helpdesk ticket (button, the admin's flag rules, links both
  ways, the issue shows the complaint's stage);
- picking a `Customer` fills the complainant and contact from the customer's primary contact, and
  picking an `Item` sets the product, so that the early warning counts by the item;
- a Refund resolution line drafts a Credit Note (a return against the complaint's Sales Invoice) for
  the refunded amount, linked back on the complaint. The app never submits it: finance does."""

import frappe
from frappe import _
from frappe.utils import flt

from complaint_response.checked_document import require
from complaint_response.integrations.source import Source, raise_by_hand, raise_by_rule, sync_stage
from complaint_response.rules import stages

ISSUE = "Issue"
CHANNEL = "ERPNext Issue"
REFUND = "Refund"


def installed() -> bool:
	return "erpnext" in frappe.get_installed_apps()


# --- Customer and Item fill ----------------------------------------------------------------------


def customer_contact(customer: str) -> dict:
	"""Complainant, email and phone from the customer's primary contact, else from the customer."""
	row = frappe.db.get_value(
		"Customer",
		customer,
		["customer_name", "customer_primary_contact", "email_id", "mobile_no"],
		as_dict=True,
	)
	if not row:
		return {}
	contact = (
		frappe.db.get_value(
			"Contact",
			row.customer_primary_contact,
			["full_name", "email_id", "mobile_no", "phone"],
			as_dict=True,
		)
		if row.customer_primary_contact
		else None
	) or frappe._dict()
	return {
		"complainant_name": contact.full_name or row.customer_name,
		"contact_email": contact.email_id or row.email_id,
		"contact_phone": contact.mobile_no or contact.phone or row.mobile_no,
	}


@frappe.whitelist()
def customer_details(customer: str | None = None) -> dict:
	"""For the complaint form: what picking `customer` fills in."""
	require(customer=customer)
	frappe.has_permission("Customer", "read", customer, throw=True)
	return customer_contact(customer)


def product_of(item: str) -> str:
	"""The product text a complaint about `item` carries: the same for every complaint about it, so
	that the early warning, which counts by product, counts by item."""
	name = frappe.db.get_value("Item", item, "item_name")
	return (item if not name or name == item else f"{item}: {name}")[:140]


def fill_from_links(doc) -> None:
	"""Complaint.validate on ERPNext sites: a newly picked customer fills the blank contact fields;
	an item always sets the product."""
	if not doc.meta.has_field("customer"):
		return
	if doc.get("customer") and (doc.is_new() or doc.has_value_changed("customer")):
		for fieldname, value in customer_contact(doc.customer).items():
			if value and not doc.get(fieldname):
				doc.set(fieldname, value)
	if doc.get("item"):
		doc.product = product_of(doc.item)


# --- Issue → complaint ---------------------------------------------------------------------------


def issue_source(issue) -> Source:
	contact = (
		frappe.db.get_value("Contact", issue.contact, ["full_name", "phone", "mobile_no"], as_dict=True)
		if issue.get("contact")
		else None
	) or frappe._dict()
	email = issue.raised_by if issue.raised_by and "@" in issue.raised_by else None
	extra = {key: issue.get(key) for key in ("customer", "company") if issue.get(key)}
	return Source(
		doctype=ISSUE,
		name=issue.name,
		link_field="issue",
		channel=CHANNEL,
		values={
			"complainant_name": contact.full_name or issue.customer_name or email,
			"contact_email": email,
			"contact_phone": contact.mobile_no or contact.phone,
			"subject": (issue.subject or "")[:140],
			"description": issue.description,
		},
		extra=extra,
	)


@frappe.whitelist(methods=["POST"])
def raise_complaint(issue: str | None = None) -> dict:
	"""Raise a complaint from an ERPNext Issue (or return the one already raised from it)."""
	require(issue=issue)
	if not installed():
		frappe.throw(_("ERPNext is not installed on this site."))
	doc = frappe.get_doc(ISSUE, issue)
	reason = _("Raised from issue {0} by {1}.").format(doc.name, frappe.session.user)
	receipt = raise_by_hand(doc, issue_source, reason)
	return {"name": receipt.name, "created": receipt.created}


def on_issue_insert(issue, method=None) -> None:
	failure = _("Could not raise a complaint from issue {0}").format(issue.name)
	raise_by_rule(issue, issue_source, issue.issue_type, issue.priority, failure)


def on_complaint_update(doc, method=None) -> None:
	if doc.get("issue") and doc.has_value_changed("stage"):
		sync_stage(doc, ISSUE, doc.issue)


# --- Refund → draft Credit Note ------------------------------------------------------------------


def refund_amount(doc) -> float:
	return sum(flt(line.amount) for line in doc.resolution_lines if line.resolution_type == REFUND)


@frappe.whitelist(methods=["POST"])
def make_credit_note(complaint: str | None = None) -> str:
	"""Draft a Credit Note (a return against the complaint's Sales Invoice) for the refund lines, link
	it on the complaint and return its name; an existing draft is returned instead of a second one."""
	require(complaint=complaint)
	from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_sales_return

	doc = frappe.get_doc("Complaint", complaint)
	doc.check_permission("write")
	frappe.has_permission("Sales Invoice", "create", throw=True)
	if doc.get("credit_note") and frappe.db.get_value("Sales Invoice", doc.credit_note, "docstatus") in (
		0,
		1,
	):
		return doc.credit_note
	refund = refund_amount(doc)
	check_refund(doc, refund)
	note = make_sales_return(doc.sales_invoice)
	scale_to(note, refund)
	note.remarks = _("Refund for complaint {0}").format(doc.name)
	note.insert()
	doc.db_set("credit_note", note.name, update_modified=False)
	doc.add_comment("Info", _("Draft credit note {0} for a refund of {1}.").format(note.name, refund))
	return note.name


def check_refund(doc, refund: float) -> None:
	invoice = doc.get("sales_invoice")
	problems = []
	if refund <= 0:
		problems.append(_("Add a Refund resolution line with an amount first."))
	if not invoice:
		problems.append(_("Link the Sales Invoice the refund is for first."))
	elif frappe.db.get_value("Sales Invoice", invoice, ["docstatus", "is_return"]) != (1, 0):
		problems.append(_("Sales Invoice {0} must be a submitted invoice, not a return.").format(invoice))
	if doc.approval_role and not doc.approved_on:
		problems.append(
			_("The resolution needs its approval ({0}) before the refund is drafted.").format(
				_(doc.approval_role)
			)
		)
	if doc.stage in (stages.REJECTED,):
		problems.append(_("A rejected complaint gets no refund."))
	if problems:
		frappe.throw("<br>".join(problems), title=_("Cannot Draft the Credit Note"))
	total = flt(frappe.db.get_value("Sales Invoice", invoice, "grand_total"))
	if refund > total + 0.005:
		frappe.throw(
			_("The refund ({0}) is more than Sales Invoice {1} ({2}).").format(refund, invoice, total),
			title=_("Cannot Draft the Credit Note"),
		)


def scale_to(note, refund: float) -> None:
	"""A full return is the whole invoice; a smaller refund keeps the returned quantities and lowers
	every rate in proportion, so that the credit note's total is the refund."""
	note.run_method("calculate_taxes_and_totals")
	full = abs(flt(note.grand_total))
	if not full or refund >= full - 0.005:
		return
	ratio = refund / full
	for item in note.items:
		item.price_list_rate = 0
		item.discount_percentage = 0
		item.discount_amount = 0
		item.rate = flt(flt(item.rate) * ratio, item.precision("rate"))
	note.run_method("calculate_taxes_and_totals")
	# the last cent of rounding goes on the first line
	gap = flt(refund - abs(flt(note.grand_total)), 2)
	if gap and note.items and flt(note.items[0].qty):
		first = note.items[0]
		first.rate = flt(first.rate + gap / abs(flt(first.qty)), first.precision("rate"))
		note.run_method("calculate_taxes_and_totals")
