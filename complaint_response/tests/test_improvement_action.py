"""Improvement actions (整改) on a real site: the workflow's moves and the refused ones, the same moves
without the workflow, the measured effect on hand-made complaints (jobs/improvement.py), the overdue
notice sent once, and the Complaint's connections to the actions it led to.

Each test scopes its action to a product of its own, so the tests never count each other's complaints."""

from datetime import datetime, timedelta

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, today

from complaint_response.jobs import improvement
from complaint_response.rules import effect
from complaint_response.setup.improvement import WORKFLOW_NAME
from complaint_response.tests.utils import make_user, new_complaint

OWNER = "capa.owner@example.com"
QUALITY = "capa.quality@example.com"
AGENT = "capa.agent@example.com"
MANAGER = "capa.manager@example.com"


class ImprovementCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(OWNER, ["Quality Officer"])
		make_user(QUALITY, ["Quality Officer"])
		make_user(AGENT, ["Complaint Agent"])
		make_user(MANAGER, ["Complaint Manager"])

	def setUp(self):
		frappe.set_user("Administrator")
		self.addCleanup(frappe.set_user, "Administrator")
		self.tag = "CAPA-" + frappe.generate_hash(length=6).upper()

	def new_action(self, **values) -> "frappe.model.document.Document":
		doc = {
			"doctype": "Improvement Action",
			"title": f"Two-hour rule for {self.tag}",
			"scope_product": self.tag,
			"before_window_days": 30,
			"verification_window_days": 30,
		}
		doc.update(values)
		return frappe.get_doc(doc).insert()

	def ready(self, doc, **values):
		"""Owner, due date, measures and evidence: everything the moves up to Verifying need."""
		doc.update(
			{
				"action_owner": OWNER,
				"due_date": add_days(today(), 30),
				"corrective_measures": "Throw away food kept warm for more than two hours",
				"evidence_notes": "Timers on every warming counter; staff trained on 1 March",
				**values,
			}
		)
		doc.save()
		return doc

	def implemented(self, implemented_on) -> "frappe.model.document.Document":
		doc = self.ready(self.new_action(), implemented_on=implemented_on)
		for action in ("Plan Action", "Start", "Mark Implemented"):
			doc = apply_workflow(doc, action)
		return doc

	def complaints(self, start: datetime, count: int, step_hours: int = 20) -> None:
		for i in range(count):
			new_complaint(received_on=start + timedelta(hours=i * step_hours), product=self.tag).insert()


class TestWorkflow(ImprovementCase):
	def test_shipped_workflow_sets_the_status(self):
		workflow = frappe.get_doc("Workflow", WORKFLOW_NAME)
		self.assertTrue(workflow.is_active)
		self.assertEqual({row.update_field for row in workflow.states}, {"status"})
		self.assertEqual({row.state for row in workflow.states}, set(effect.STATUSES))

	def test_moves_and_refused_moves(self):
		doc = self.new_action(source_complaint=None)
		self.assertEqual((doc.status, doc.workflow_state), ("Open", "Open"))
		with self.assertRaises(frappe.ValidationError) as refused:
			apply_workflow(doc, "Plan Action")  # no owner, due date or measures
		self.assertIn("owner", str(refused.exception))
		doc = self.ready(frappe.get_doc("Improvement Action", doc.name))
		doc.status = "In Progress"  # not through the workflow
		with self.assertRaises(frappe.PermissionError):
			doc.save()
		doc = apply_workflow(frappe.get_doc("Improvement Action", doc.name), "Plan Action")
		self.assertEqual((doc.status, doc.workflow_state), ("Planned", "Planned"))
		doc = apply_workflow(doc, "Start")
		doc.evidence_notes = ""
		doc.save()
		with self.assertRaises(frappe.ValidationError):
			apply_workflow(doc, "Mark Implemented")  # no evidence
		doc = self.ready(frappe.get_doc("Improvement Action", doc.name))
		doc = apply_workflow(doc, "Mark Implemented")
		self.assertEqual(getdate(doc.implemented_on), getdate(today()))
		self.assertEqual((doc.before_count, doc.before_days), (0, 30))
		doc = apply_workflow(doc, "Start Verification")
		self.assertEqual(doc.status, "Verifying")
		with self.assertRaises(frappe.ValidationError) as refused:
			apply_workflow(doc, "Confirm Effective")  # the numbers are not there yet
		self.assertIn("not been measured", str(refused.exception))
		self.assertEqual(frappe.db.get_value("Improvement Action", doc.name, "status"), "Verifying")

	def test_an_agent_cannot_move_an_action(self):
		doc = self.ready(self.new_action())
		frappe.set_user(AGENT)
		with self.assertRaises(frappe.exceptions.ValidationError):
			apply_workflow(frappe.get_doc("Improvement Action", doc.name), "Plan Action")

	def test_a_new_action_starts_open(self):
		with self.assertRaises(frappe.ValidationError):
			self.new_action(status="Closed")


class TestWithoutWorkflow(ImprovementCase):
	def setUp(self):
		super().setUp()
		frappe.db.set_value("Workflow", WORKFLOW_NAME, "is_active", 0)
		frappe.cache.hdel("workflow", "Improvement Action")
		frappe.clear_cache(doctype="Improvement Action")

		def restore():
			frappe.db.set_value("Workflow", WORKFLOW_NAME, "is_active", 1)
			frappe.cache.hdel("workflow", "Improvement Action")
			frappe.clear_cache(doctype="Improvement Action")

		self.addCleanup(restore)

	def test_status_buttons_check_the_moves(self):
		doc = self.ready(self.new_action())
		self.assertEqual(doc.next_statuses(), ["Planned", "Cancelled"])
		with self.assertRaises(frappe.ValidationError):
			doc.set_status("Effective")
		doc.reload()
		doc.status = "Planned"
		with self.assertRaises(frappe.PermissionError):
			doc.save()  # a plain save may not move it
		doc.reload()
		frappe.set_user(QUALITY)
		for status in ("Planned", "In Progress", "Implemented", "Verifying"):
			doc.set_status(status)
		self.assertEqual(doc.status, "Verifying")
		with self.assertRaises(frappe.ValidationError):
			doc.set_status("Not Effective")  # not measured
		frappe.set_user(AGENT)
		self.assertEqual(doc.next_statuses(), [])
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc("Improvement Action", doc.name).set_status("Cancelled")


class TestMeasuredEffect(ImprovementCase):
	def measured_action(self, after: int):
		"""20 complaints in the 30 days before implementation, `after` in the 30 days after; the job runs
		the day after the verification window ended."""
		implemented_on = getdate(add_days(today(), -31))
		start = datetime.combine(implemented_on, datetime.min.time())
		self.complaints(start - timedelta(days=30) + timedelta(hours=3), 20, step_hours=34)
		new_complaint(received_on=start - timedelta(days=31), product=self.tag).insert()  # before the window
		doc = self.implemented(implemented_on)
		self.assertEqual((doc.before_count, doc.before_days), (20, 30))
		self.complaints(start + timedelta(hours=1), after, step_hours=37)
		new_complaint(received_on=start + timedelta(days=30, hours=1), product=self.tag).insert()  # after
		new_complaint(received_on=start + timedelta(days=2), product="OTHER-" + self.tag).insert()  # scope
		interim = doc.measure_now()
		self.assertEqual((interim["before_count"], interim["after_count"]), (20, after))
		self.assertTrue(interim["window_complete"])
		self.assertIsNone(frappe.db.get_value("Improvement Action", doc.name, "measured_on"))  # not stored
		now = start + timedelta(days=30, hours=12)
		improvement.run(now, commit=False)
		return frappe.get_doc("Improvement Action", doc.name), now

	def test_fewer_complaints_after_is_effective(self):
		doc, now = self.measured_action(after=3)
		self.assertEqual(doc.status, "Verifying")
		self.assertEqual((doc.before_count, doc.after_count), (20, 3))
		self.assertEqual((doc.before_days, doc.after_days), (30, 30))
		self.assertAlmostEqual(doc.rate_ratio, 0.15, places=3)
		self.assertAlmostEqual(doc.p_value, 2**-12, places=6)
		self.assertEqual((doc.proposed_effect, doc.measurement_final), ("Effective", 1))
		self.assertIn("15%", doc.effect_note)
		modified = doc.modified
		self.assertEqual(improvement.run(now + timedelta(days=1), commit=False)["measured"], 0)
		again = frappe.get_doc("Improvement Action", doc.name)
		self.assertEqual((again.modified, again.after_count, again.p_value), (modified, 3, doc.p_value))
		frappe.set_user(QUALITY)
		doc = apply_workflow(again, "Confirm Effective")
		self.assertEqual((doc.status, doc.effect_confirmed_by), ("Effective", QUALITY))
		self.assertTrue(doc.effect_confirmed_on)
		doc = apply_workflow(doc, "Close")
		self.assertEqual(doc.status, "Closed")

	def test_as_many_complaints_after_is_not_effective(self):
		doc, _now = self.measured_action(after=18)
		self.assertEqual((doc.after_count, doc.proposed_effect), (18, "Not Effective"))
		self.assertAlmostEqual(doc.p_value, 0.4357, places=4)
		self.assertEqual(
			frappe.db.count(
				"Notification Log",
				{"document_name": doc.name, "for_user": OWNER, "subject": ["like", "%measured%"]},
			),
			1,
		)
		frappe.set_user(MANAGER)
		doc = apply_workflow(doc, "Confirm Not Effective")
		doc = apply_workflow(doc, "Rework")
		self.assertEqual(doc.status, "In Progress")
		self.assertFalse(doc.implemented_on or doc.measurement_final or doc.p_value)

	def test_measure_now_needs_an_implementation(self):
		doc = self.new_action()
		with self.assertRaises(frappe.ValidationError):
			doc.measure_now()


class TestNotices(ImprovementCase):
	def test_overdue_action_is_notified_once(self):
		doc = self.ready(self.new_action())
		frappe.db.set_value("Improvement Action", doc.name, "due_date", add_days(today(), -1))
		improvement.run(commit=False)
		improvement.run(commit=False)
		logs = frappe.get_all(
			"Notification Log", filters={"document_name": doc.name}, fields=["for_user", "subject"]
		)
		self.assertEqual([log.for_user for log in logs if log.for_user == OWNER], [OWNER])
		self.assertIn(MANAGER, {log.for_user for log in logs})
		self.assertIn("overdue", logs[0].subject)
		self.assertTrue(frappe.db.get_value("Improvement Action", doc.name, "overdue_notified_on"))
		doc = frappe.get_doc("Improvement Action", doc.name)
		doc.due_date = add_days(today(), 10)
		doc.save()
		self.assertFalse(doc.overdue_notified_on)  # a new due date may be missed again


class TestTraceability(ImprovementCase):
	def test_complaint_and_alert_show_their_actions(self):
		for doctype, field in (("Complaint", "source_complaint"), ("Crisis Alert", "source_crisis_alert")):
			data = frappe.get_meta(doctype).get_dashboard_data()
			self.assertEqual(data.fieldname, field)
			self.assertIn("Improvement Action", data.transactions[0]["items"])
		complaint = new_complaint(product=self.tag).insert()
		action = self.new_action(source_complaint=complaint.name)
		self.assertEqual(action.source_type, "Complaint")
		self.assertEqual(
			frappe.get_all("Improvement Action", {"source_complaint": complaint.name}, pluck="name"),
			[action.name],
		)
