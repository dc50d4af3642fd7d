"""The demo month (complaint_response/demo/month.py) on a real site: every stage and channel, the
burst raised as exactly one crisis alert by the detection job, one improvement action with its effect
measured, a second run adds nothing, and --remove leaves the row counts as they were. The demo commits
(as the bench command does), so the test removes it again."""

import time

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
		started = time.monotonic()
		cls.record = month.make(size=SIZE, log=lambda *_: None)
		cls.seconds = time.monotonic() - started

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
		self.assertLess(self.seconds, 180)

	def test_closed_complaints_have_their_times(self):
		rows = self.demo_complaints(["received_on", "closed_on", "followed_up_on", "satisfaction", "stage"])
		closed = [r for r in rows if r.stage == "Closed"]
		self.assertTrue(closed)
		for r in closed:
			self.assertTrue(r.received_on < r.followed_up_on < r.closed_on)
			self.assertGreaterEqual(r.satisfaction, 3)

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
