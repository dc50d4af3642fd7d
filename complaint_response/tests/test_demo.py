"""The demo month (complaint_response/demo/month.py) on a real site: every stage and channel, the
burst raised as exactly one crisis alert by the detection job, one improvement action with its effect
measured, a second run adds nothing, and --remove leaves the row counts as they were. The demo commits
(as the bench command does), so the test removes it again."""

import frappe
from frappe.tests.utils import FrappeTestCase

from complaint_response.demo import month
from complaint_response.rules import stages

COUNTED = ("Complaint", "Crisis Alert", "Improvement Action", "User", "ToDo", "Comment", "Version")
SIZE = 150


def counts() -> dict[str, int]:
	return {doctype: frappe.db.count(doctype) for doctype in COUNTED}


class TestDemoMonth(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		if month.exists():
			month.remove(log=lambda *_: None)
		cls.before = counts()
		cls.record = month.make(size=SIZE, log=lambda *_: None)

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		month.remove(log=lambda *_: None)
		super().tearDownClass()

	def demo_complaints(self, fields):
		return frappe.get_all(
			"Complaint", filters={"intake_key": ["like", f"{month.KEY_PREFIX}%"]}, fields=fields
		)

	def test_every_stage_and_channel(self):
		rows = self.demo_complaints(["stage", "channel", "status"])
		self.assertGreaterEqual(len(rows), SIZE)
		for stage in stages.STAGES:
			self.assertGreaterEqual(sum(r.stage == stage for r in rows), month.MIN_PER_STAGE, stage)
		for channel in month.channels():
			self.assertGreaterEqual(sum(r.channel == channel for r in rows), month.MIN_PER_CHANNEL, channel)
		for row in rows:
			self.assertEqual(row.status, stages.status_for(row.stage))

	def test_closed_complaints_have_their_times(self):
		rows = self.demo_complaints(["received_on", "closed_on", "followed_up_on", "satisfaction", "stage"])
		closed = [r for r in rows if r.stage == "Closed"]
		self.assertTrue(closed)
		for r in closed:
			self.assertTrue(r.received_on < r.followed_up_on < r.closed_on)
			self.assertGreaterEqual(r.satisfaction, 3)

	def test_time_nodes_as_the_sla_code_sees_them(self):
		"""Some open complaints are late, most are not; closed ones have no clock running."""
		rows = self.demo_complaints(["name", "stage", "sla_status", "next_check_at"])
		open_rows = [r for r in rows if r.stage in stages.OPEN_STAGES]
		breached = [r for r in open_rows if r.sla_status == "Breached"]
		self.assertTrue(open_rows)
		self.assertGreater(len(breached), 0)
		self.assertLess(len(breached), len(open_rows) / 2, f"{len(breached)} of {len(open_rows)}")
		for r in rows:
			if r.stage in (stages.CLOSED, stages.REVIEWED):
				self.assertEqual(r.sla_status, "Met", r.name)
				self.assertIsNone(r.next_check_at, r.name)
			if r.stage == stages.REJECTED:
				self.assertEqual(r.sla_status, "Stopped", r.name)
			if r.stage in stages.OPEN_STAGES and r.sla_status != "Breached":
				self.assertIsNotNone(r.next_check_at, r.name)
		nodes = frappe.get_all(
			"Complaint Time Node",
			filters={"parent": ["in", [r.name for r in rows if r.stage == stages.CLOSED]]},
			fields=["clock_status", "met_on"],
		)
		self.assertTrue(nodes)
		self.assertTrue(all(n.met_on for n in nodes))
		self.assertTrue(all(n.clock_status in ("Met", "Met Late") for n in nodes))

	def test_owners_assignments_and_stage_history(self):
		rows = self.demo_complaints(["name", "stage", "complaint_owner", "_assign"])
		open_rows = [r for r in rows if r.stage in stages.OPEN_STAGES and r.complaint_owner]
		self.assertIn(month.email("manager"), {r.complaint_owner for r in open_rows})
		for r in open_rows:
			todos = frappe.get_all(
				"ToDo",
				filters={"reference_type": "Complaint", "reference_name": r.name, "status": "Open"},
				pluck="allocated_to",
			)
			self.assertEqual(todos, [r.complaint_owner], r.name)
			self.assertIn(r.complaint_owner, r._assign)
		reviewed = next(r for r in rows if r.stage == stages.REVIEWED)
		versions = frappe.get_all(
			"Version",
			filters={"ref_doctype": "Complaint", "docname": reviewed.name},
			fields=["data", "creation", "owner"],
			order_by="creation asc",
		)
		path = [
			change[2]
			for v in versions
			for change in frappe.parse_json(v.data).get("changed") or []
			if change[0] == "stage"
		]
		self.assertEqual(path, list(stages.STAGES[1 : stages.STAGES.index(stages.REVIEWED) + 1]))
		self.assertEqual(versions[-1].owner, month.email("manager"))
		received = frappe.db.get_value("Complaint", reviewed.name, "received_on")
		self.assertTrue(all(v.creation > received for v in versions))

	def test_each_user_opens_on_their_workspace(self):
		homes = dict(
			frappe.get_all(
				"User",
				filters={"name": ["in", self.record["users"]]},
				fields=["name", "default_workspace"],
				as_list=True,
			)
		)
		self.assertEqual(homes.pop(month.email("commander")), "Crisis Command")
		self.assertEqual(set(homes.values()), {"Complaint Response"})

	def test_one_action_is_overdue(self):
		from complaint_response import dashboard

		overdue = frappe.get_all(
			"Improvement Action",
			filters={
				"name": ["in", self.record["actions"]],
				"due_date": ["<", frappe.utils.today()],
				"status": ["not in", dashboard.CLOSED_ACTION_STATUSES],
			},
			pluck="title",
		)
		self.assertEqual(overdue, ["Cashier courtesy training"])
		self.assertGreaterEqual(dashboard.overdue_improvement_actions()["value"], 1)

	def test_burst_is_one_alert_with_its_complaints(self):
		self.assertEqual(len(self.record["alerts"]), 1)
		alert = frappe.get_doc("Crisis Alert", self.record["alerts"][0])
		burst = frappe.get_all(
			"Complaint", filters={"intake_key": ["like", f"{month.KEY_PREFIX}b%"]}, pluck="name"
		)
		self.assertEqual(len(burst), 12)
		linked = {row.complaint for row in alert.complaints}
		self.assertTrue(set(burst) <= linked, set(burst) - linked)
		self.assertEqual(alert.crisis_type, "Food Safety")

	def test_one_action_has_its_effect_measured(self):
		actions = [frappe.get_doc("Improvement Action", name) for name in self.record["actions"]]
		self.assertGreaterEqual(len(actions), 3)
		measured = [a for a in actions if a.measurement_final]
		self.assertEqual(len(measured), 1)
		action = measured[0]
		self.assertEqual(action.proposed_effect, "Effective")
		self.assertEqual(action.status, "Effective")
		self.assertGreater(action.before_count, action.after_count)
		self.assertEqual(action.effect_confirmed_by, month.email("quality"))
		self.assertEqual(len(action.five_whys), 5)

	def test_again_adds_nothing_and_remove_restores_counts(self):
		made = counts()
		self.assertEqual(month.make(size=SIZE, log=lambda *_: None)["complaints"], self.record["complaints"])
		self.assertEqual(counts(), made)
		month.remove(log=lambda *_: None)
		after = counts()
		for doctype in ("Complaint", "Crisis Alert", "Improvement Action", "User", "ToDo"):
			self.assertEqual(after[doctype], self.before[doctype], doctype)
		self.assertFalse(month.exists())
		# the other tests still look at the demo: make it again (deterministic)
		type(self).record = month.make(size=SIZE, log=lambda *_: None)
