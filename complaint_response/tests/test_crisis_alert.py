"""Crisis alerts run by hand: level from the matrix, publication by the right role, the crisis team
notified once, the statement released only after both approvals, apologies sent once per customer
(never in a drill), and review rules."""

import frappe
from frappe.model.workflow import WorkflowTransitionError, apply_workflow
from frappe.tests.utils import FrappeTestCase

from complaint_response.crisis.alert import notify_team, send_placation
from complaint_response.rules import crisis_stages as cs
from complaint_response.tests.test_print_and_notify import outgoing_email_account
from complaint_response.tests.utils import make_user, new_complaint

COMMANDER = "cr-cr-commander@example.com"
MANAGER = "cr-cr-manager@example.com"
LEGAL = "cr-cr-legal@example.com"
COMMS = "cr-cr-comms@example.com"
QUALITY = "cr-cr-quality@example.com"


class CrisisCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		make_user(COMMANDER, [cs.COMMANDER])
		make_user(MANAGER, [cs.MANAGER])
		make_user(LEGAL, [cs.LEGAL])
		make_user(COMMS, [cs.COMMS])
		make_user(QUALITY, [cs.QUALITY])
		super().setUpClass()

	def tearDown(self):
		frappe.set_user("Administrator")

	def raise_alert(self, user=MANAGER, **values):
		frappe.set_user(user)
		try:
			doc = {
				"doctype": "Crisis Alert",
				"title": "Soup base contamination at three stores",
				"crisis_type": "Food Safety",
				"likelihood": 3,
				"impact": 4,
			}
			doc.update(values)
			return frappe.get_doc(doc).insert()
		finally:
			frappe.set_user("Administrator")

	def act(self, name, action, user):
		frappe.set_user(user)
		try:
			return apply_workflow(frappe.get_doc("Crisis Alert", name).as_dict(), action)
		finally:
			frappe.set_user("Administrator")

	def as_user(self, user, name, method, *args):
		frappe.set_user(user)
		try:
			doc = frappe.get_doc("Crisis Alert", name)
			return getattr(doc, method)(*args)
		finally:
			frappe.set_user("Administrator")


class TestLevel(CrisisCase):
	def test_level_from_the_matrix(self):
		self.assertEqual(self.raise_alert(likelihood=5, impact=5).level, "I")
		self.assertEqual(self.raise_alert(likelihood=3, impact=4).level, "II")
		self.assertEqual(self.raise_alert(likelihood=1, impact=1).level, "IV")

	def test_override_needs_reason(self):
		doc = self.raise_alert(likelihood=1, impact=1)
		doc.level = "I"
		doc.save()
		self.assertEqual(doc.level, "IV", "without a reason the matrix decides")
		doc.level, doc.level_override_reason = "I", "Journalist on site"
		doc.save()
		self.assertEqual((doc.level, doc.matrix_level), ("I", "IV"))

	def test_bad_scores_refused(self):
		self.assertRaises(frappe.ValidationError, self.raise_alert, likelihood=6)


class TestPublication(CrisisCase):
	def test_level_two_published_by_commander_and_team_notified_once(self):
		doc = self.raise_alert()
		self.assertEqual((doc.stage, doc.level), (cs.RAISED, "II"))
		doc = self.act(doc.name, "Assess", MANAGER)
		with self.assertRaises(WorkflowTransitionError):
			self.act(doc.name, "Publish", MANAGER)
		self.assertEqual(frappe.db.get_value("Crisis Alert", doc.name, "stage"), cs.ASSESSED)

		doc = self.act(doc.name, "Publish", COMMANDER)
		self.assertEqual(doc.stage, cs.PUBLISHED)
		members = {(row.duty, row.user) for row in doc.team}
		self.assertLessEqual(
			{
				("Commander", COMMANDER),
				("Legal", LEGAL),
				("Communications", COMMS),
				("Quality / Production", QUALITY),
			},
			members,
		)
		self.assertTrue(any("Stop selling" in row.step for row in doc.checklist), "the food-safety plan")
		for user in (COMMANDER, LEGAL, COMMS):
			self.assertTrue(
				frappe.db.exists("Notification Log", {"document_name": doc.name, "for_user": user}), user
			)
			self.assertTrue(
				frappe.db.get_value(
					"Crisis Alert Team Member", {"parent": doc.name, "user": user}, "notified_on"
				)
			)
		logs = frappe.db.count("Notification Log", {"document_name": doc.name})
		notify_team(doc.name)
		self.assertEqual(frappe.db.count("Notification Log", {"document_name": doc.name}), logs, "once each")

	def test_one_notice_per_person_whatever_their_duties(self):
		both = make_user("cr-cr-legal-comms@example.com", [cs.LEGAL, cs.COMMS])
		doc = self.raise_alert()
		self.act(doc.name, "Assess", MANAGER)
		doc = self.act(doc.name, "Publish", COMMANDER)
		self.assertEqual(len([row for row in doc.team if row.user == both]), 2, "on the team twice")
		self.assertEqual(
			frappe.db.count("Notification Log", {"document_name": doc.name, "for_user": both}), 1
		)

	def test_low_level_published_by_manager(self):
		doc = self.raise_alert(likelihood=1, impact=2)
		self.act(doc.name, "Assess", MANAGER)
		doc = self.act(doc.name, "Publish", MANAGER)
		self.assertEqual(doc.stage, cs.PUBLISHED)

	def test_checklist_ticks_are_timed(self):
		doc = self.raise_alert(likelihood=1, impact=2)
		self.act(doc.name, "Assess", MANAGER)
		doc = self.act(doc.name, "Publish", MANAGER)
		frappe.set_user(QUALITY)
		doc = frappe.get_doc("Crisis Alert", doc.name)
		doc.checklist[0].done = 1
		doc.save()
		frappe.set_user("Administrator")
		self.assertEqual(doc.checklist[0].done_by, QUALITY)
		self.assertTrue(doc.checklist[0].done_on)
		self.assertIn(doc.checklist[0].step, doc.updates[-1].update_text)

	def test_stage_choices_follow_level_and_role(self):
		doc = self.raise_alert()  # level II
		frappe.db.set_value("Crisis Alert", doc.name, "stage", cs.ASSESSED)
		self.assertEqual(self.as_user(MANAGER, doc.name, "next_stages"), [cs.DISMISSED])
		self.assertEqual(self.as_user(COMMANDER, doc.name, "next_stages"), [cs.PUBLISHED, cs.DISMISSED])
		self.assertEqual(self.as_user(LEGAL, doc.name, "next_stages"), [])

	def test_dismiss_needs_reason(self):
		doc = self.raise_alert()
		with self.assertRaises(frappe.ValidationError):
			self.act(doc.name, "Dismiss", MANAGER)
		frappe.db.set_value("Crisis Alert", doc.name, "dismissal_reason", "Same customer posted twice")
		self.assertEqual(self.act(doc.name, "Dismiss", MANAGER).stage, cs.DISMISSED)


class TestStatement(CrisisCase):
	def test_release_needs_both_approvals_then_freezes(self):
		doc = self.raise_alert()
		doc.statement_draft = "<p>We are sorry. We have stopped using the batch.</p>"
		doc.save()
		with self.assertRaises(frappe.ValidationError):
			self.as_user(COMMS, doc.name, "release_statement")
		self.assertFalse(frappe.db.get_value("Crisis Alert", doc.name, "statement_released_on"))

		with self.assertRaises(frappe.PermissionError):
			self.as_user(QUALITY, doc.name, "approve_statement")
		self.as_user(LEGAL, doc.name, "approve_statement")
		with self.assertRaises(frappe.ValidationError) as caught:
			self.as_user(COMMS, doc.name, "release_statement")
		self.assertIn("Communications Officer", str(caught.exception))
		self.as_user(COMMS, doc.name, "approve_statement")
		self.as_user(COMMS, doc.name, "release_statement")

		doc.reload()
		self.assertEqual(doc.released_statement, doc.statement_draft)
		self.assertTrue(doc.statement_released_on)
		doc.statement_draft = "<p>Changed after release</p>"
		self.assertRaises(frappe.ValidationError, doc.save)

	def test_changed_draft_withdraws_approvals(self):
		doc = self.raise_alert(statement_draft="<p>First draft</p>")
		self.as_user(LEGAL, doc.name, "approve_statement")
		doc.reload()
		doc.statement_draft = "<p>Second draft</p>"
		doc.save()
		self.assertFalse(doc.legal_approved_on)


class TestPlacation(CrisisCase):
	def linked_alert(self, **values):
		complaints = [
			new_complaint(complainant_name="Chen Jing", contact_email="chen.jing@example.com").insert(),
			new_complaint(complainant_name="Liu Yang", contact_email="liu.yang@example.com").insert(),
			new_complaint(complainant_name="Walk-in customer", contact_email=None).insert(),
		]
		return self.raise_alert(
			complaints=[{"complaint": c.name} for c in complaints],
			placation_message="<p>Dear {{ customer.customer_name }}, we apologise for {{ alert.title }}.</p>",
			**values,
		)

	def queued_to(self, address: str) -> int:
		return frappe.db.count("Email Queue Recipient", {"recipient": address})

	def test_each_customer_gets_the_apology_once(self):
		doc = self.linked_alert()
		self.assertEqual(len(doc.affected_customers), 3)
		before = self.queued_to("chen.jing@example.com")
		with outgoing_email_account():  # a test site has no outgoing account of its own
			self.assertEqual(send_placation(doc.name, commit=False), 2)
			self.assertEqual(self.queued_to("chen.jing@example.com"), before + 1)
			self.assertEqual(send_placation(doc.name, commit=False), 0, "a second run sends nothing")
		self.assertEqual(self.queued_to("chen.jing@example.com"), before + 1)
		doc.reload()
		self.assertEqual(len([r for r in doc.affected_customers if r.placation_sent_on]), 2)
		message = frappe.get_all(
			"Email Queue",
			filters={"reference_doctype": "Crisis Alert", "reference_name": doc.name},
			pluck="message",
		)
		self.assertTrue(any("Dear Chen Jing" in m for m in message))

	def test_without_outgoing_email_nothing_is_recorded_as_sent(self):
		from unittest.mock import patch

		doc = self.linked_alert()
		# what frappe.sendmail raises on a site with no outgoing email account
		with patch("frappe.sendmail", side_effect=frappe.OutgoingEmailError("no outgoing account")):
			self.assertEqual(send_placation(doc.name, commit=False), 0)
		doc.reload()
		self.assertFalse([r for r in doc.affected_customers if r.placation_sent_on], "a later run will send")
		with outgoing_email_account():
			self.assertEqual(send_placation(doc.name, commit=False), 2, "and it does")

	def test_drill_contacts_nobody(self):
		doc = self.linked_alert(is_drill=1)
		with outgoing_email_account():
			self.assertEqual(send_placation(doc.name, commit=False), 0)
		self.assertEqual(frappe.db.count("Email Queue", {"reference_name": doc.name}), 0)
		doc.reload()
		self.assertFalse([r for r in doc.affected_customers if r.placation_sent_on])
		self.assertTrue(
			frappe.db.exists("Comment", {"reference_name": doc.name, "content": ["like", "%Drill%"]})
		)


class TestRecoveryAndReview(CrisisCase):
	def test_close_waits_for_planned_actions_and_review_needs_lessons(self):
		doc = self.raise_alert(likelihood=1, impact=2)
		for action, user in (
			("Assess", MANAGER),
			("Publish", MANAGER),
			("Start Response", MANAGER),
			("Start Recovery", MANAGER),
		):
			doc = self.act(doc.name, action, user)
		action = self.as_user(MANAGER, doc.name, "make_improvement_action", "Daily batch check")
		with self.assertRaises(frappe.ValidationError) as caught:
			self.act(doc.name, "Close", MANAGER)
		self.assertIn("improvement actions", str(caught.exception))
		frappe.db.set_value("Improvement Action", action, {"action_owner": QUALITY, "due_date": "2026-12-31"})
		doc = self.act(doc.name, "Close", MANAGER)
		self.assertEqual(doc.stage, cs.CLOSED)
		with self.assertRaises(frappe.ValidationError):
			self.act(doc.name, "Review", MANAGER)
		frappe.db.set_value(
			"Crisis Alert", doc.name, {"root_cause": "Supplier", "lessons_learned": "Test batches"}
		)
		self.assertEqual(self.act(doc.name, "Review", COMMANDER).stage, cs.REVIEWED)


class TestPlacationFanOut(CrisisCase):
	"""A large apology is split into jobs of PLACATION_CHUNK customers; a job that dies half-way and
	runs again contacts nobody twice."""

	COUNT = 1100

	def alert_with_customers(self):
		doc = self.raise_alert(
			placation_message="<p>Dear {{ customer.customer_name }}, we apologise for {{ alert.title }}.</p>"
		)
		now = frappe.utils.now_datetime()
		rows = [
			(
				frappe.generate_hash(length=12),
				doc.name,
				"Crisis Alert",
				"affected_customers",
				i + 1,
				f"Customer {i}",
				f"fanout.{i}@example.com",
				now,
				now,
			)
			for i in range(self.COUNT)
		]
		frappe.db.bulk_insert(
			"Crisis Affected Customer",
			[
				"name",
				"parent",
				"parenttype",
				"parentfield",
				"idx",
				"customer_name",
				"contact_email",
				"creation",
				"modified",
			],
			rows,
		)
		return frappe.get_doc("Crisis Alert", doc.name)

	def test_chunks_and_a_job_killed_half_way(self):
		from unittest.mock import patch

		from complaint_response.crisis import alert as crisis

		doc = self.alert_with_customers()
		queued = []
		with patch.object(crisis.frappe, "enqueue", side_effect=lambda method, **kw: queued.append(kw)):
			frappe.set_user(MANAGER)
			self.assertEqual(crisis.queue_placation(doc), self.COUNT)
			frappe.set_user("Administrator")
		self.assertEqual(
			[(job["first"], job["last"]) for job in queued],
			[(1, 500), (501, 1000), (1001, 1100)],
		)

		real_send, calls = crisis.send_mail, {"n": 0}

		def dies_at_the_300th(**kwargs):
			calls["n"] += 1
			if calls["n"] == 300:
				raise SystemExit("worker killed")
			return real_send(**kwargs)

		with outgoing_email_account():
			with patch.object(crisis, "send_mail", side_effect=dies_at_the_300th):
				with self.assertRaises(SystemExit):
					crisis.send_placation(doc.name, commit=False, first=1, last=500)
			self.assertEqual(self.sent(doc.name), 299)
			# the job runs again, and the other chunks run (in any order, one twice)
			for job in (queued[0], queued[2], queued[1], queued[1]):
				crisis.send_placation(doc.name, commit=False, first=job["first"], last=job["last"])
		self.assertEqual(self.sent(doc.name), self.COUNT)
		recipients = frappe.db.sql(
			"""select r.recipient, count(*) from `tabEmail Queue Recipient` r
			join `tabEmail Queue` q on q.name = r.parent
			where q.reference_doctype = 'Crisis Alert' and q.reference_name = %s
			group by r.recipient""",
			doc.name,
		)
		self.assertEqual(len(recipients), self.COUNT)
		self.assertEqual({count for _recipient, count in recipients}, {1}, "nobody contacted twice")

	def sent(self, alert: str) -> int:
		return frappe.db.count(
			"Crisis Affected Customer", {"parent": alert, "placation_sent_on": ["is", "set"]}
		)
