"""Concurrency: two users on one complaint, two sweeps at once, sixteen intakes at once.

The intake test runs sixteen threads, each with its own database connection, committing for real; it
removes what it made."""

import threading

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_to_date, now_datetime
from frappe.utils.synchronization import filelock

from complaint_response.channels import intake as channel_intake
from complaint_response.jobs import detection, sla
from complaint_response.rules import stages as s
from complaint_response.tests.utils import make_user, new_complaint

AGENT_A = "concurrency.a@example.com"
AGENT_B = "concurrency.b@example.com"
MARKER = "Concurrency Test"


class TestTwoUsersOnOneComplaint(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(AGENT_A, [s.AGENT])
		make_user(AGENT_B, [s.AGENT])

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_the_second_save_gets_the_conflict_message(self):
		name = new_complaint(subject="Before").insert().name
		frappe.set_user(AGENT_A)
		first = frappe.get_doc("Complaint", name)
		frappe.set_user(AGENT_B)
		second = frappe.get_doc("Complaint", name)

		frappe.set_user(AGENT_A)
		first.subject = "A's subject"
		first.save()
		frappe.set_user(AGENT_B)
		second.subject = "B's subject"
		with self.assertRaises(frappe.TimestampMismatchError):
			second.save()
		self.assertEqual(frappe.db.get_value("Complaint", name, "subject"), "A's subject")


class TestJobsStartedTwice(FrappeTestCase):
	def test_a_sweep_finding_another_running_sends_nothing(self):
		doc = new_complaint().insert()
		due = add_to_date(now_datetime(), minutes=-1)
		frappe.db.set_value("Complaint", doc.name, "next_check_at", due, update_modified=False)
		with filelock(sla.LOCK, timeout=1):  # another sweep is running
			self.assertEqual(sla.sweep_locked(), 0)
		self.assertEqual(frappe.db.get_value("Complaint", doc.name, "next_check_at"), due)
		self.assertGreaterEqual(sla.sweep_locked(), 1, "once free, the sweep runs")
		self.assertNotEqual(frappe.db.get_value("Complaint", doc.name, "next_check_at"), due)

	def test_detection_finding_another_run_does_nothing(self):
		frappe.db.set_single_value("Crisis Settings", "detection_enabled", 1)
		before = frappe.db.get_single_value("Crisis Settings", "last_detection_run")
		with filelock(detection.LOCK, timeout=1):
			self.assertEqual(detection.run_locked(), [])
		self.assertEqual(frappe.db.get_single_value("Crisis Settings", "last_detection_run"), before)


def intake_worker(site: str, sites_path: str, keys: list[str], out: list, errors: list) -> None:
	frappe.init(site=site, sites_path=sites_path)
	frappe.connect()
	frappe.set_user("Administrator")
	try:
		for key in keys:
			receipt = channel_intake.intake(
				{"complainant_name": MARKER, "description": f"Parcel {key} arrived damaged."},
				channel="API",
				key=key,
				key_scope="concurrency test",
			)
			frappe.db.commit()
			out.append((key, receipt.name, receipt.created))
	except Exception as error:  # reported by the test
		frappe.db.rollback()
		errors.append(repr(error))
	finally:
		frappe.destroy()


class TestSixteenIntakesAtOnce(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()
		names = frappe.get_all("Complaint", filters={"complainant_name": MARKER}, pluck="name")
		for name in names:
			for doctype, field in (
				("Version", "docname"),
				("Comment", "reference_name"),
				("ToDo", "reference_name"),
				("Notification Log", "document_name"),
			):
				frappe.db.delete(doctype, {field: name})
			frappe.db.delete("Complaint Time Node", {"parent": name})
			frappe.db.delete("Complaint", {"name": name})
		frappe.db.commit()

	def test_counts_match(self):
		"""16 clients, 4 submissions each; every key is sent by two clients: 32 keys -> 32 complaints,
		each key answered with one and the same complaint."""
		site, sites_path = frappe.local.site, frappe.local.sites_path
		frappe.db.commit()
		out, errors = [], []
		threads = [
			threading.Thread(
				target=intake_worker,
				args=(site, sites_path, [f"key-{client % 8}-{n}" for n in range(4)], out, errors),
			)
			for client in range(16)
		]
		for thread in threads:
			thread.start()
		for thread in threads:
			thread.join(120)
		# the threads ran frappe.init/destroy on their own locals; this thread's connection is intact
		self.assertEqual(errors, [])
		self.assertEqual(len(out), 64)
		by_key: dict[str, set[str]] = {}
		for key, name, _created in out:
			by_key.setdefault(key, set()).add(name)
		self.assertEqual(len(by_key), 32)
		self.assertTrue(all(len(names) == 1 for names in by_key.values()), by_key)
		self.assertEqual(sum(1 for _key, _name, created in out if created), 32)
		frappe.db.rollback()  # a fresh snapshot
		self.assertEqual(frappe.db.count("Complaint", {"complainant_name": MARKER}), 32)


class TestCachedRules(FrappeTestCase):
	"""Grading rules and clocks are cached (cached.py); a change is seen by the next complaint, and a
	rolled-back change is forgotten."""

	def test_a_new_rule_is_seen_at_once_and_a_rolled_back_one_forgotten(self):
		from complaint_response.lifecycle.grading import enabled_rules

		before = len(enabled_rules())
		rule = frappe.get_doc(
			{
				"doctype": "Complaint Grading Rule",
				"rule_name": "Cached rule test",
				"rule_type": "Keyword",
				"keywords": "zzcachedzz",
				"severity": "Major",
				"priority": "High",
				"enabled": 1,
			}
		).insert()
		self.assertEqual(len(enabled_rules()), before + 1)
		doc = new_complaint(description="<p>zzcachedzz</p>").insert()
		self.assertIn(doc.severity, ("Major", "Group"), "graded by the new rule")
		frappe.db.rollback()
		self.assertFalse(frappe.db.exists("Complaint Grading Rule", rule.name))
		self.assertEqual(len(enabled_rules()), before)
