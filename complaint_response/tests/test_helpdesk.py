"""Helpdesk plug-in (only on a site with Helpdesk): a complaint raised from a ticket, the ticket
showing its stage, the customer answered on the ticket, admins' flag rules, and Helpdesk's own
assignment, SLA and agent replies left as they were."""

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import now_datetime

from complaint_response.integrations import helpdesk
from complaint_response.rules import stages as s
from complaint_response.setup.install import after_migrate
from complaint_response.tests.utils import make_user, outgoing_email_account, resolve_at_intake

# What Helpdesk itself decides about a ticket; raising a complaint must change none of it.
HELPDESK_FIELDS = (
	"status",
	"priority",
	"ticket_type",
	"agent_group",
	"sla",
	"response_by",
	"resolution_by",
	"agreement_status",
	"first_responded_on",
	"_assign",
)


def needs_helpdesk(case):
	if "helpdesk" not in frappe.get_installed_apps():
		case.skipTest("this site has no Helpdesk")


def new_ticket(
	subject="Cold food delivered", description="<p>The soup was cold and the rice was raw.</p>", **values
):
	return frappe.get_doc(
		{
			"doctype": "HD Ticket",
			"subject": subject,
			"raised_by": "wang.fang@example.com",
			"description": description,
			**values,
		}
	).insert(ignore_permissions=True)


def ticket_replies(ticket) -> list[frappe._dict]:
	return frappe.get_all(
		"Communication",
		filters={"reference_doctype": "HD Ticket", "reference_name": str(ticket), "sent_or_received": "Sent"},
		fields=["content", "recipients", "communication_medium"],
		order_by="creation asc",
	)


class HelpdeskCase(FrappeTestCase):
	def setUp(self):
		needs_helpdesk(self)
		frappe.set_user("Administrator")


class TestRaiseFromTicket(HelpdeskCase):
	def test_copies_the_ticket_links_both_ways_and_is_idempotent(self):
		team = frappe.get_doc({"doctype": "HD Team", "team_name": "CR Test Kitchen"}).insert(
			ignore_permissions=True
		)
		ticket = new_ticket(agent_group=team.name)
		frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": "Sent",
				"subject": "Re: Cold food delivered",
				"content": "We are sorry, which store was it?",
				"reference_doctype": "HD Ticket",
				"reference_name": ticket.name,
				"communication_date": now_datetime(),
			}
		).insert(ignore_permissions=True)
		frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "receipt.txt",
				"content": b"Order 42",
				"attached_to_doctype": "HD Ticket",
				"attached_to_name": ticket.name,
				"is_private": 1,
			}
		).insert(ignore_permissions=True)

		first = helpdesk.raise_complaint(ticket.name)
		again = helpdesk.raise_complaint(str(ticket.name))
		self.assertEqual((first["created"], again["created"]), (True, False))
		self.assertEqual(first["name"], again["name"])
		self.assertEqual(frappe.db.count("Complaint", {"hd_ticket": ticket.name}), 1)

		doc = frappe.get_doc("Complaint", first["name"])
		self.assertEqual(
			(doc.channel, doc.contact_email, doc.subject),
			("Helpdesk Ticket", "wang.fang@example.com", "Cold food delivered"),
		)
		self.assertIn("The soup was cold", doc.description)
		self.assertEqual((str(doc.hd_ticket), doc.hd_team), (str(ticket.name), team.name))
		self.assertIn(f"ticket {ticket.name}", doc.raised_because)
		self.assertEqual([row.direction for row in doc.contact_log], ["Inbound", "Outbound"])
		self.assertIn("which store", doc.contact_log[1].summary)
		self.assertEqual([row.evidence_type for row in doc.evidence], ["Document"])
		self.assertEqual(
			frappe.db.get_value("HD Ticket", ticket.name, ["complaint", "complaint_stage"]),
			(doc.name, s.RECEIVED),
		)

	def test_needs_permission_to_read_the_ticket_and_create_complaints(self):
		ticket = new_ticket()
		make_user("cr-hd-nobody@example.com", ["Crisis Team Member"])
		frappe.set_user("cr-hd-nobody@example.com")
		self.addCleanup(frappe.set_user, "Administrator")
		self.assertRaises(frappe.PermissionError, helpdesk.raise_complaint, ticket.name)
		frappe.set_user("Administrator")
		self.assertFalse(frappe.db.exists("Complaint", {"hd_ticket": ticket.name}))


class TestAnswersOnTheTicket(HelpdeskCase):
	def test_customer_hears_of_the_complaint_in_the_ticket_thread(self):
		with outgoing_email_account():
			ticket = new_ticket()
			name = helpdesk.raise_complaint(ticket.name)["name"]
			replies = ticket_replies(ticket.name)
			self.assertEqual(len(replies), 1, replies)
			self.assertIn(name, replies[0].content)
			self.assertIn("wang.fang@example.com", replies[0].recipients)
			self.assertTrue(
				frappe.db.get_value("Complaint", name, "acknowledged_on"), "the reply acknowledged it"
			)

			resolve_at_intake(
				name,
				"Told her: full refund.",
				{"resolution_type": "Refund", "amount": 30, "line_description": "Full refund of the meal"},
			)
			self.assertEqual(
				frappe.db.get_value("HD Ticket", ticket.name, "complaint_stage"), s.CUSTOMER_INFORMED
			)
			replies = ticket_replies(ticket.name)
			self.assertEqual(len(replies), 2)
			self.assertIn("resolved", replies[1].content)
			self.assertIn("Full refund of the meal", replies[1].content)
			self.assertIn("/complaint-survey?t=", replies[1].content)
			surveys = frappe.get_all(
				"Communication",
				filters={
					"reference_doctype": "Complaint",
					"reference_name": name,
					"subject": ["like", "How did we handle%"],
				},
			)
			self.assertEqual(surveys, [], "the survey link comes once, in the reply on the ticket")

			doc = frappe.get_doc("Complaint", name)
			apply_workflow(doc, "Start Follow-up")
			doc = frappe.get_doc("Complaint", name)
			doc.followed_up_on, doc.satisfaction = now_datetime(), 4
			doc.save()
			apply_workflow(doc, "Close")
			replies = ticket_replies(ticket.name)
			self.assertEqual(len(replies), 3)
			self.assertIn("closed", replies[2].content)
			self.assertEqual(frappe.db.get_value("HD Ticket", ticket.name, "complaint_stage"), s.CLOSED)

	def test_a_reply_that_cannot_go_is_logged_and_never_blocks_the_complaint(self):
		ticket = new_ticket()
		before = frappe.db.count("Error Log")
		name = helpdesk.raise_complaint(ticket.name)["name"]  # no outgoing Email Account on this site
		self.assertTrue(frappe.db.exists("Complaint", name))
		self.assertEqual(frappe.db.count("Error Log"), before + 1)


class TestFlagRules(HelpdeskCase):
	RULES = (
		{"rule_name": "CR Test Refunds", "applies_to": "HD Ticket", "keywords": "refund\n退款"},
		{"rule_name": "CR Test Issues Only", "applies_to": "Issue", "keywords": "broken"},
	)

	def setUp(self):
		super().setUp()
		for rule in self.RULES:
			if not frappe.db.exists("Complaint Flag Rule", rule["rule_name"]):
				frappe.get_doc({"doctype": "Complaint Flag Rule", **rule}).insert(ignore_permissions=True)

	def test_a_matching_ticket_becomes_a_complaint_with_the_reason(self):
		ticket = new_ticket(subject="我要退款", description="<p>Charged twice.</p>")
		name = frappe.db.get_value("HD Ticket", ticket.name, "complaint")
		self.assertTrue(name)
		self.assertIn("CR Test Refunds", frappe.db.get_value("Complaint", name, "raised_because"))
		self.assertIn("退款", frappe.db.get_value("Complaint", name, "raised_because"))

	def test_other_tickets_are_left_alone(self):
		ticket = new_ticket(subject="The box arrived broken", description="<p>Just a question.</p>")
		self.assertFalse(frappe.db.get_value("HD Ticket", ticket.name, "complaint"))
		self.assertFalse(frappe.db.exists("Complaint", {"hd_ticket": ticket.name}))

	def test_an_empty_rule_is_refused(self):
		rule = frappe.get_doc(
			{"doctype": "Complaint Flag Rule", "rule_name": "CR Test Empty", "applies_to": "HD Ticket"}
		)
		self.assertRaises(frappe.ValidationError, rule.insert)


class TestHelpdeskUnchanged(HelpdeskCase):
	def test_assignment_sla_and_agent_replies_are_helpdesk_s_own(self):
		agent = make_user("cr-hd-agent@example.com", ["Agent", "Complaint Agent"])
		if not frappe.db.exists("HD Agent", agent):
			frappe.get_doc({"doctype": "HD Agent", "user": agent, "is_active": 1}).insert(
				ignore_permissions=True
			)
		team = frappe.get_doc(
			{"doctype": "HD Team", "team_name": "CR Test Desk", "users": [{"user": agent}]}
		).insert(ignore_permissions=True)
		plain = new_ticket(agent_group=team.name)
		raised = new_ticket(agent_group=team.name)
		helpdesk.raise_complaint(raised.name)
		for field in HELPDESK_FIELDS:
			with self.subTest(field=field):
				self.assertEqual(
					frappe.db.get_value("HD Ticket", raised.name, field),
					frappe.db.get_value("HD Ticket", plain.name, field),
				)
		self.assertIn(
			agent,
			frappe.db.get_value("HD Ticket", raised.name, "_assign") or "",
			"Helpdesk assigned the ticket",
		)
		self.assertTrue(frappe.db.get_value("HD Ticket", raised.name, "sla"), "Helpdesk's SLA applies")
		frappe.db.set_single_value("HD Settings", "skip_email_workflow", 1)
		for ticket in (plain, raised):
			frappe.get_doc("HD Ticket", ticket.name).reply_via_agent(message="We are on it.")
		self.assertEqual(
			frappe.db.get_value("HD Ticket", raised.name, ["status", "first_responded_on"]) is not None,
			frappe.db.get_value("HD Ticket", plain.name, ["status", "first_responded_on"]) is not None,
		)
		self.assertEqual(
			frappe.db.get_value("HD Ticket", raised.name, "status"),
			frappe.db.get_value("HD Ticket", plain.name, "status"),
		)
		self.assertEqual(ticket_replies(raised.name)[-1].content, "We are on it.")


class TestFormScript(HelpdeskCase):
	def test_agent_ui_action_created_once_and_the_admins_edit_kept(self):
		script = frappe.get_doc("HD Form Script", helpdesk.FORM_SCRIPT)
		self.assertEqual((script.dt, script.apply_to, script.enabled), ("HD Ticket", "Form", 1))
		self.assertIn("complaint_response.integrations.helpdesk.raise_complaint", script.script)
		script.script = script.script.replace("Raise Complaint", "升级为投诉")
		script.save()
		after_migrate()
		self.assertIn("升级为投诉", frappe.db.get_value("HD Form Script", helpdesk.FORM_SCRIPT, "script"))
		self.assertEqual(
			frappe.db.count("HD Form Script", {"dt": "HD Ticket", "name": helpdesk.FORM_SCRIPT}), 1
		)

	def test_the_ticket_api_carries_the_script_and_the_complaint(self):
		from helpdesk.helpdesk.doctype.hd_ticket.api import get_one

		ticket = new_ticket()
		name = helpdesk.raise_complaint(ticket.name)["name"]
		data = get_one(ticket.name)
		scripts = data["_form_script"] if isinstance(data["_form_script"], list) else [data["_form_script"]]
		self.assertTrue(any("raise_complaint" in script for script in scripts))
		self.assertEqual((data["complaint"], data["complaint_stage"]), (name, s.RECEIVED))


class TestWithoutHelpdesk(FrappeTestCase):
	def test_nothing_of_it_shows_and_nothing_breaks(self):
		if "helpdesk" in frappe.get_installed_apps():
			self.skipTest("this site has Helpdesk")
		self.assertFalse(frappe.db.exists("DocType", "HD Form Script"))
		self.assertRaises(frappe.ValidationError, helpdesk.raise_complaint, "1")
		helpdesk.ensure_form_script()  # a no-op without Helpdesk
