"""Time nodes, regulatory clocks, pauses and the SLA sweep, on a real site.

The complaints here were received on Monday 16 November 2026 at 09:00; the sweep is run at chosen
moments (its `now`), so the tests do not depend on when they run. Default calendar: Mon-Fri 09-18."""

from datetime import datetime, timedelta

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_datetime

from complaint_response.jobs.sla import due_names, sweep
from complaint_response.tests.utils import new_complaint

MONDAY = datetime(2026, 11, 16, 9, 0)


def at(hours: float) -> datetime:
	return MONDAY + timedelta(hours=hours)


class SLACase(FrappeTestCase):
	def register(self, **values):
		return new_complaint(received_on=MONDAY, **values).insert()

	def node(self, name: str, node: str, source: str = "SLA"):
		rows = frappe.get_all(
			"Complaint Time Node",
			filters={"parent": name, "node": node, "source": source},
			fields=["due", "met_on", "clock_status", "warnings_sent", "escalation_level", "strictest"],
		)
		self.assertEqual(len(rows), 1, f"{node} / {source}")
		return rows[0]

	def comments(self, name: str, text: str) -> int:
		return len(
			[
				c
				for c in frappe.get_all(
					"Comment",
					filters={"reference_doctype": "Complaint", "reference_name": name},
					pluck="content",
				)
				if text in (c or "")
			]
		)

	def run_sweep(self, now: datetime) -> int:
		return sweep(now=now, commit=False)


class TestTimeNodes(SLACase):
	def test_nodes_and_due_times_for_a_general_complaint(self):
		doc = self.register()
		self.assertEqual(get_datetime(self.node(doc.name, "Acknowledge").due), at(2))
		self.assertEqual(get_datetime(self.node(doc.name, "Investigation Started").due), at(24))
		# five working days after Monday: end of the following Monday
		self.assertEqual(get_datetime(self.node(doc.name, "Resolution").due), datetime(2026, 11, 23, 18, 0))
		self.assertEqual(self.node(doc.name, "Follow-up").clock_status, "Not Started")
		self.assertEqual(get_datetime(doc.next_due), at(2), "the strictest open node")
		self.assertTrue(self.node(doc.name, "Acknowledge").strictest)

	def test_major_complaint_gets_tighter_nodes(self):
		doc = self.register(description="Customer injured by a broken chair")
		self.assertEqual(doc.severity, "Major")
		self.assertEqual(get_datetime(self.node(doc.name, "Acknowledge").due), at(1))

	def test_outbound_contact_meets_acknowledge_and_first_response(self):
		doc = self.register()
		doc.append("contact_log", {"contact_on": at(0.5), "summary": "Called back", "direction": "Outbound"})
		doc.save()
		self.assertEqual(get_datetime(doc.acknowledged_on), at(0.5))
		self.assertEqual(self.node(doc.name, "Acknowledge").clock_status, "Met")
		self.assertEqual(self.node(doc.name, "First Response").clock_status, "Met")

	def test_holiday_moves_working_day_deadlines(self):
		settings = frappe.get_single("Complaint Settings")
		settings.append("holidays", {"holiday_date": "2026-11-18", "holiday_description": "Test holiday"})
		settings.save()
		self.addCleanup(self.drop_holidays)
		doc = self.register()
		self.assertEqual(get_datetime(self.node(doc.name, "Resolution").due), datetime(2026, 11, 24, 18, 0))

	def drop_holidays(self):
		settings = frappe.get_single("Complaint Settings")
		settings.set("holidays", [])
		settings.save()

	def test_waiting_on_customer_pauses_the_clocks(self):
		doc = new_complaint(received_on=frappe.utils.now_datetime()).insert()  # clocks still running
		doc.waiting_on_customer = 1
		doc.save()
		self.assertEqual(doc.sla_status, "Paused")
		self.assertEqual(len(doc.pauses), 1)
		self.assertFalse(doc.pauses[0].paused_to)
		pause_started = get_datetime(doc.pauses[0].paused_from)
		doc.waiting_on_customer = 0
		doc.save()
		self.assertTrue(doc.pauses[0].paused_to)
		# the investigation clock (calendar hours) is pushed on by the paused time
		paused = get_datetime(doc.pauses[0].paused_to) - pause_started
		due = get_datetime(self.node(doc.name, "Investigation Started").due)
		self.assertEqual(due, get_datetime(doc.received_on) + timedelta(hours=24) + paused)


class TestRegulatoryClocks(SLACase):
	def enable(self, name: str, **values):
		clock = frappe.get_doc("Regulatory Clock", name)
		clock.enabled = 1
		clock.update(values)
		clock.save()

	def test_enabled_clock_applies_and_strictest_is_shown(self):
		self.enable("UK FCA DISP 1.6")
		self.enable("CN SAMR")
		doc = self.register()
		self.assertEqual(
			get_datetime(self.node(doc.name, "Final Response", "UK FCA DISP 1.6").due),
			MONDAY + timedelta(weeks=8),
		)
		samr = self.node(doc.name, "Acceptance Decision", "CN SAMR")
		self.assertEqual(get_datetime(samr.due), datetime(2026, 11, 25, 18, 0))
		# classifying decides acceptance: the SAMR clock is met
		frappe.db.set_value("Complaint", doc.name, "accepted_on", at(3))
		doc.reload()
		doc.save()
		self.assertEqual(
			self.node(doc.name, "Acceptance Decision", "CN SAMR").clock_status,
			"Met Late" if at(3) > get_datetime(samr.due) else "Met",
		)
		open_dues = [
			get_datetime(r.due)
			for r in doc.time_nodes
			if not r.met_on and r.due and r.clock_status not in ("Not Started",)
		]
		self.assertEqual(get_datetime(doc.next_due), min(open_dues))

	def test_clock_for_another_channel_does_not_apply(self):
		self.enable("US CFPB", channel="Email")
		doc = self.register(channel="Phone")
		self.assertFalse([r for r in doc.time_nodes if r.source == "US CFPB"])
		doc = self.register(channel="Email", contact_email="c@example.com")
		self.assertEqual(len([r for r in doc.time_nodes if r.source == "US CFPB"]), 2)

	def test_disabled_clock_does_not_apply(self):
		doc = self.register()
		self.assertEqual({r.source for r in doc.time_nodes}, {"SLA"})

	def test_bad_node_refused(self):
		policy = frappe.get_doc("Complaint SLA Policy", "General")
		# get_doc also refreshes the process's document cache with this very object: drop it after
		self.addCleanup(frappe.clear_document_cache, "Complaint SLA Policy", "General")
		policy.nodes[0].duration = 2
		policy.nodes[0].extended_duration = 1
		self.assertRaises(frappe.ValidationError, policy.save)


class TestSweep(SLACase):
	def test_warnings_once_then_breach_then_escalation(self):
		doc = self.register()
		self.assertEqual(get_datetime(doc.next_check_at), at(1), "50 % of the 2-hour acknowledge node")

		self.assertGreaterEqual(self.run_sweep(at(1.1)), 1)
		self.assertEqual(self.node(doc.name, "Acknowledge").warnings_sent, "50")
		self.run_sweep(at(1.1))  # again: nothing new
		self.assertEqual(self.comments(doc.name, "SLA warning"), 1)

		self.run_sweep(at(1.6))
		self.assertEqual(self.node(doc.name, "Acknowledge").warnings_sent, "50, 75")
		self.assertEqual(self.comments(doc.name, "SLA warning"), 2)

		self.run_sweep(at(2.1))
		row = self.node(doc.name, "Acknowledge")
		self.assertEqual((row.clock_status, row.escalation_level), ("Breached", 1))
		self.assertEqual(self.comments(doc.name, "SLA breached"), 1)
		self.assertEqual(frappe.db.get_value("Complaint", doc.name, "sla_status"), "Breached")

		self.run_sweep(at(2.2))
		self.assertEqual(self.comments(doc.name, "SLA breached"), 1, "a breach is escalated once")

		self.run_sweep(at(6.2))  # more than 4 hours past due
		self.assertEqual(self.node(doc.name, "Acknowledge").escalation_level, 2)
		self.assertEqual(self.comments(doc.name, "SLA still breached"), 1)

	def test_major_complaint_escalates_to_crisis_commander(self):
		doc = self.register(description="Food poisoning after lunch")
		self.run_sweep(at(0.6))
		self.run_sweep(at(1.1))
		self.run_sweep(at(6))
		self.assertEqual(self.node(doc.name, "Acknowledge").escalation_level, 2)
		self.assertEqual(self.comments(doc.name, "Crisis Commander"), 1)

	def test_sweep_leaves_closed_complaints_alone(self):
		doc = self.register()
		frappe.db.set_value("Complaint", doc.name, {"stage": "Closed", "next_check_at": at(0.5)})
		self.run_sweep(at(3))
		self.assertEqual(self.node(doc.name, "Acknowledge").warnings_sent, None)
		self.assertEqual(self.comments(doc.name, "SLA"), 0)

	def test_complaint_with_nothing_left_to_check_is_not_due(self):
		"""An empty next_check_at means nothing more can change (every clock met, not started or fully
		escalated). The sweep must not pick such complaints, let alone ahead of the due ones: an empty
		value sorts first and could fill the batch."""
		quiet, due = self.register(), self.register()
		frappe.db.set_value("Complaint", quiet.name, "next_check_at", None, update_modified=False)
		names = due_names(at(1.1))
		self.assertIn(due.name, names)
		self.assertNotIn(quiet.name, names)

	def test_met_node_sends_nothing(self):
		doc = self.register()
		doc.append("contact_log", {"contact_on": at(0.2), "summary": "Called back", "direction": "Outbound"})
		doc.save()
		self.run_sweep(at(2.5))
		self.assertEqual(self.node(doc.name, "Acknowledge").escalation_level, 0)
		self.assertEqual(self.comments(doc.name, "Acknowledge"), 0)


class TestReassignOnEscalation(SLACase):
	def test_still_breached_complaint_goes_to_the_escalation_role(self):
		from complaint_response.tests.utils import make_user

		make_user("cr-sla-commander@example.com", ["Crisis Commander"])
		settings = frappe.get_single("Complaint Settings")
		settings.reassign_on_escalation = 1
		settings.save()
		self.addCleanup(frappe.db.set_single_value, "Complaint Settings", "reassign_on_escalation", 0)
		doc = self.register(description="Food poisoning at dinner")
		self.run_sweep(at(1.1))
		self.assertIsNone(frappe.db.get_value("Complaint", doc.name, "complaint_owner"), "level 1 only tells")
		self.run_sweep(at(6))
		owner = frappe.db.get_value("Complaint", doc.name, "complaint_owner")
		self.assertIn("Crisis Commander", frappe.get_roles(owner), "handed to a Crisis Commander")
