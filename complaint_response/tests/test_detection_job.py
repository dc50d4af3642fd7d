"""The early-warning job (jobs/detection.py) on a real site.

Every test runs the job at its own fixed `now`, 40 days after the previous test's (more than the 24-hour
window plus the 28-day baseline), with its own product names, so the tests never count each other's
complaints. Complaints are inserted, then their `creation` is moved to when they "arrived"; the last run
is set explicitly before each test."""

from datetime import datetime, timedelta
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_datetime

from complaint_response.jobs.detection import run
from complaint_response.rules.crisis_level import is_escalation, level_for, suggest_scores
from complaint_response.tests.utils import make_user, new_complaint

BASE = datetime(2025, 1, 6, 12, 0)
# The shipped categories: the complaints of a burst are spread over them, so no category spikes.
CATEGORIES = ("Service", "Product", "Attitude", "Quality", "Delivery", "Price", "Contract", "Other")
SETTINGS = ("detection_enabled", "last_detection_run", "group_same_cause", "spike_test")
CLASSIC, SCAN = "24 Hours", "Several Windows"


def moment(test: int) -> datetime:
	return BASE + timedelta(days=40 * test)


class DetectionCase(FrappeTestCase):
	# The figures these tests check are those of the single 24-hour test; TestScanInTheJob and the
	# *Scan subclasses run the multi-window scan (the default).
	SPIKE_TEST = CLASSIC

	def setUp(self):
		saved = {field: frappe.db.get_single_value("Crisis Settings", field) for field in SETTINGS}
		self.addCleanup(frappe.db.set_single_value, "Crisis Settings", saved)
		frappe.db.set_single_value(
			"Crisis Settings", {"detection_enabled": 1, "group_same_cause": 3, "spike_test": self.SPIKE_TEST}
		)
		frappe.cache.delete_value("complaint_response:detection_profile")
		self.tag = frappe.generate_hash(length=6).upper()

	def product(self, letter: str) -> str:
		return f"ITEM-{letter}-{self.tag}"

	def complaint(
		self, at: datetime, product: str | None, index: int = 0, created: datetime | None = None, **values
	) -> str:
		"""A complaint received `at` and created then too (or `created`), in the index-th category."""
		values.setdefault("category", CATEGORIES[index % len(CATEGORIES)])
		values.setdefault("store_branch", None)
		doc = new_complaint(received_on=at, product=product, **values).insert()
		frappe.db.set_value("Complaint", doc.name, "creation", created or at, update_modified=False)
		return doc.name

	def quiet_baseline(self, now: datetime, product: str) -> list[str]:
		"""One complaint a day for the 28 days before the window (2 hours past each day's mark)."""
		return [self.complaint(now - timedelta(days=day, hours=2), product, day) for day in range(1, 29)]

	def burst(self, start: datetime, product: str, count: int, every: timedelta, first: int = 0) -> list[str]:
		"""`count` complaints `every` apart; their categories go round the list from the `first`."""
		return [self.complaint(start + every * i, product, first + i) for i in range(count)]

	def run_job(self, now: datetime, last_run: datetime | None = None) -> list[str]:
		if last_run:
			frappe.db.set_single_value("Crisis Settings", "last_detection_run", last_run)
		return run(now=now, commit=False)

	def alerts(self, **filters) -> list[str]:
		return frappe.get_all("Crisis Alert", filters=filters, pluck="name", order_by="creation asc")

	def alerts_about(self, complaint: str) -> list[str]:
		return frappe.get_all(
			"Crisis Alert Complaint",
			filters={"parenttype": "Crisis Alert", "complaint": complaint},
			pluck="parent",
		)

	def linked(self, alert: str) -> list[str]:
		return [row.complaint for row in frappe.get_doc("Crisis Alert", alert).complaints]

	def assert_level_from_scores(self, doc, count, expected, customers, severe=False, group=False):
		likelihood, impact, _reasons = suggest_scores(count, expected, customers, severe=severe, group=group)
		self.assertEqual((doc.likelihood, doc.impact), (likelihood, impact))
		self.assertEqual(doc.level, level_for(doc.likelihood, doc.impact))


class TestSpike(DetectionCase):
	def test_burst_over_a_quiet_baseline_raises_one_spike_alert(self):
		now, item = moment(1), self.product("A")
		self.quiet_baseline(now, item)
		burst = self.burst(now - timedelta(hours=5), item, 12, timedelta(minutes=20))

		changed = self.run_job(now, last_run=now - timedelta(hours=6))

		self.assertEqual(len(changed), 1, "one alert, and no category or cause-group alert besides")
		self.assertEqual(self.alerts(source="Complaint Spike", detection_value=item), changed)
		doc = frappe.get_doc("Crisis Alert", changed[0])
		self.assertEqual((doc.detection_kind, doc.detection_dimension), ("spike", "item"))
		self.assertEqual(doc.crisis_type, "Product Quality")
		self.assertIn(item, doc.title)
		# 12 complaints against 28 in 28 days (1 expected): likelihood 5, impact 3 -> level II
		self.assert_level_from_scores(doc, 12, 1.0, 12)
		self.assertEqual(doc.level, "II")
		self.assertEqual(sorted(self.linked(doc.name)), sorted(burst))
		self.assertEqual(doc.affected_customer_count, 12)
		self.assertIn("12", doc.detection_details)
		self.assertEqual(doc.stage, "Raised")
		self.assertEqual(
			get_datetime(frappe.db.get_single_value("Crisis Settings", "last_detection_run")), now
		)

	def test_burst_that_also_lifts_its_category_raises_one_alert(self):
		now, item = moment(9), self.product("K")
		for day in range(1, 29):  # a quiet baseline, all in one category
			self.complaint(now - timedelta(days=day, hours=2), item, category="Delivery")
		burst = [
			self.complaint(now - timedelta(hours=5) + timedelta(minutes=20 * i), item, category="Delivery")
			for i in range(12)
		]

		changed = self.run_job(now, last_run=now - timedelta(hours=6))

		self.assertEqual(len(changed), 1, "the product spike; the category spike is the same incident")
		doc = frappe.get_doc("Crisis Alert", changed[0])
		self.assertEqual(doc.detection_dimension, "item")
		self.assertEqual(sorted(self.linked(doc.name)), sorted(burst))
		self.assertFalse(
			self.alerts(source="Complaint Spike", detection_dimension="category", detection_value="Delivery")
		)

	def test_running_again_with_the_same_now_changes_nothing(self):
		now, item = moment(2), self.product("A")
		self.quiet_baseline(now, item)
		self.burst(now - timedelta(hours=5), item, 12, timedelta(minutes=20))
		(alert,) = self.run_job(now, last_run=now - timedelta(hours=6))
		before = frappe.get_doc("Crisis Alert", alert)

		self.assertEqual(self.run_job(now), [], "nothing new since the last run")
		# as if the last run had not been stored: the same complaints are seen again
		self.assertEqual(self.run_job(now, last_run=now - timedelta(hours=6)), [])

		after = frappe.get_doc("Crisis Alert", alert)
		self.assertEqual(self.alerts(detection_value=item), [alert])
		self.assertEqual(len(after.complaints), 12)
		self.assertEqual(len(set(self.linked(alert))), 12)
		self.assertEqual(after.modified, before.modified)
		self.assertEqual(len(after.updates), len(before.updates))

	def test_bigger_burst_escalates_the_open_alert(self):
		now, item = moment(3), self.product("A")
		self.quiet_baseline(now, item)
		first = self.burst(now - timedelta(hours=5), item, 12, timedelta(minutes=20))
		(alert,) = self.run_job(now, last_run=now - timedelta(hours=6))
		self.assertEqual(frappe.db.get_value("Crisis Alert", alert, "level"), "II")

		# a team on the alert hears of the escalation once, however many complaints it takes in
		watcher = make_user("cr-detect-watcher@example.com", ["Crisis Team Member"])
		frappe.get_doc("Crisis Alert", alert).append(
			"team", {"user": watcher, "duty": "Commander"}
		).db_insert()

		later = now + timedelta(hours=3)
		# categories carry on from the first burst: 4 per category in all, below the 5 a spike needs
		second = self.burst(now + timedelta(minutes=10), item, 20, timedelta(minutes=8), first=12)
		changed = self.run_job(later)
		told = frappe.get_all(
			"Notification Log", {"for_user": watcher, "document_name": alert}, pluck="subject"
		)
		self.assertEqual(len(told), 1, told)
		self.assertIn("escalated from level II to I", told[0])

		self.assertEqual(changed, [alert], "the open alert is updated, no second one is raised")
		self.assertEqual(self.alerts(detection_value=item), [alert])
		doc = frappe.get_doc("Crisis Alert", alert)
		# 32 complaints against 1 expected: likelihood 5, impact 4 -> level I
		self.assert_level_from_scores(doc, 32, 1.0, 32)
		self.assertEqual(doc.level, "I")
		self.assertTrue(is_escalation("II", doc.level))
		self.assertEqual(sorted(self.linked(alert)), sorted(first + second))
		self.assertEqual(doc.affected_customer_count, 32)
		updates = [row.update_text for row in doc.updates]
		self.assertTrue(any("from level II to I" in text for text in updates), updates)
		self.assertTrue(any("20" in text and "linked" in text for text in updates), updates)
		# 4 complaints per category and product now share a cause, but the spike alert covers them
		self.assertEqual(self.alerts(detection_kind="group", detection_value=["like", f"%{item}"]), [])

	def test_quiet_data_raises_nothing(self):
		now, item = moment(4), self.product("Q")
		self.quiet_baseline(now, item)
		today = self.complaint(now - timedelta(hours=2), item, 0)

		self.assertEqual(self.run_job(now, last_run=now - timedelta(hours=6)), [])
		self.assertEqual(self.alerts_about(today), [])
		self.assertEqual(self.alerts(detection_value=item), [])

	def test_only_the_keys_of_new_complaints_are_looked_at(self):
		now, old_item, new_item = moment(5), self.product("B"), self.product("C")
		last_run = now - timedelta(hours=6)
		# item B spiked in the window, but its complaints were all created before the last run
		for i in range(12):
			at = now - timedelta(hours=20) + timedelta(minutes=30 * i)
			self.complaint(at, old_item, created=last_run - timedelta(hours=1), category=None)
		self.complaint(now - timedelta(hours=1), new_item, category="Service")

		with patch.object(frappe.local.db, "sql", wraps=frappe.local.db.sql) as sql:
			self.assertEqual(self.run_job(now, last_run=last_run), [])
		queries = [repr(call) for call in sql.call_args_list]

		self.assertEqual(self.alerts(detection_value=old_item), [])
		self.assertTrue(any(new_item in query for query in queries), "the new complaint's key was counted")
		self.assertFalse(any(old_item in query for query in queries), "an old complaint's key was queried")

	def test_switched_off(self):
		now, item = moment(6), self.product("A")
		self.burst(now - timedelta(hours=5), item, 12, timedelta(minutes=20))
		frappe.db.set_single_value("Crisis Settings", "detection_enabled", 0)
		last_run = now - timedelta(hours=6)

		self.assertEqual(self.run_job(now, last_run=last_run), [])
		self.assertEqual(self.alerts(detection_value=item), [])
		self.assertEqual(
			get_datetime(frappe.db.get_single_value("Crisis Settings", "last_detection_run")), last_run
		)


class TestGroupAndSevere(DetectionCase):
	def test_food_poisoning_raises_one_severe_food_safety_alert(self):
		now = moment(7)
		name = self.complaint(
			now - timedelta(hours=1),
			self.product("F"),
			category="Quality",
			description="<p>顾客用餐后食物中毒，已送医院。</p>",
		)
		self.assertEqual(frappe.db.get_value("Complaint", name, "crisis_worthy"), 1)

		changed = self.run_job(now, last_run=now - timedelta(hours=6))

		self.assertEqual(len(changed), 1)
		self.assertEqual(self.alerts_about(name), changed)
		doc = frappe.get_doc("Crisis Alert", changed[0])
		self.assertEqual((doc.source, doc.crisis_type), ("Severe Complaint", "Food Safety"))
		self.assertEqual((doc.detection_kind, doc.detection_value), ("severe", name))
		self.assertIn(name, doc.detection_details)
		self.assertEqual(doc.level, level_for(doc.likelihood, doc.impact))
		self.assertEqual((doc.likelihood, doc.impact, doc.level), (3, 4, "II"))
		self.assertEqual(self.run_job(now, last_run=now - timedelta(hours=6)), [], "raised once")

	def test_group_graded_complaint_raises_a_group_complaint_alert(self):
		now = moment(8)
		name = self.complaint(
			now - timedelta(hours=1),
			self.product("G"),
			category="Service",
			affected_customers=8,
			description="<p>The whole tour group of eight was refused boarding.</p>",
		)
		self.assertEqual(frappe.db.get_value("Complaint", name, "severity"), "Group")

		changed = self.run_job(now, last_run=now - timedelta(hours=6))

		self.assertEqual(len(changed), 1, "one alert, not a severe one besides")
		self.assertEqual(self.alerts_about(name), changed)
		doc = frappe.get_doc("Crisis Alert", changed[0])
		self.assertEqual((doc.source, doc.crisis_type), ("Group Complaint", "Group Complaint"))
		self.assertEqual((doc.detection_kind, doc.detection_dimension), ("group", "complaint"))
		self.assertEqual(doc.affected_customer_count, 8)
		self.assertEqual(doc.level, level_for(doc.likelihood, doc.impact))

	def test_complaints_sharing_a_cause_raise_a_group_alert(self):
		now, item = moment(9), self.product("H")
		names = [
			self.complaint(now - timedelta(hours=3 - i), item, category="Delivery", store_branch=f"S{i}")
			for i in range(3)
		]

		changed = self.run_job(now, last_run=now - timedelta(hours=6))

		self.assertEqual(len(changed), 1, "three complaints are no spike (fewer than 5)")
		doc = frappe.get_doc("Crisis Alert", changed[0])
		self.assertEqual((doc.source, doc.detection_dimension), ("Group Complaint", "category_item"))
		self.assertEqual(doc.detection_value, f"Delivery/{item}")
		self.assertEqual(sorted(self.linked(doc.name)), sorted(names))
		self.assertEqual(doc.level, level_for(doc.likelihood, doc.impact))


class TestOneIncidentOneAlert(DetectionCase):
	"""The restaurant's food-safety incident: about one complaint a day at one store for four weeks, then
	12 complaints in two hours at that store about one dish, each saying "suspect food poisoning" (each
	one crisis-worthy). Before grouping the job raised 14 alerts for it."""

	STORE = "Xuhui"

	def food_complaint(self, at: datetime, dish: str, store: str, **values) -> str:
		return self.complaint(
			at,
			dish,
			category="Quality",
			store_branch=f"{store} {self.tag}",
			description="<p>Suspect food poisoning after eating the fish soup (食物中毒).</p>",
			**values,
		)

	def incident(self, now: datetime, dish: str, store: str, count: int = 12, start_hours: float = 2.5):
		start = now - timedelta(hours=start_hours)
		return [self.food_complaint(start + timedelta(minutes=10 * i), dish, store) for i in range(count)]

	def baseline(self, now: datetime, dish: str, store: str) -> None:
		for day in range(1, 29):
			self.complaint(
				now - timedelta(days=day, hours=3), f"{dish}-side", day, store_branch=f"{store} {self.tag}"
			)

	def test_the_food_safety_burst_is_one_alert_and_grows_with_the_incident(self):
		now, dish = moment(30), self.product("FISH")
		self.baseline(now, dish, self.STORE)
		first = self.incident(now, dish, self.STORE)
		self.assertTrue(frappe.db.get_value("Complaint", first[0], "crisis_worthy"), "graded crisis-worthy")

		changed = self.run_job(now, last_run=now - timedelta(hours=3))

		self.assertEqual(len(changed), 1, "one incident, one alert")
		doc = frappe.get_doc("Crisis Alert", changed[0])
		self.assertIn(doc.level, ("I", "II"))
		self.assertEqual(doc.crisis_type, "Food Safety")
		self.assertEqual(sorted(self.linked(doc.name)), sorted(first), "its evidence lists all 12")
		signals = doc.detection_signals.splitlines()
		self.assertTrue(any(s.startswith("spike:item:") for s in signals), signals)
		self.assertGreaterEqual(len(signals), 2, "the spike and the severe complaints behind it")
		self.assertEqual(
			len({row.complaint for row in doc.complaints}), len(doc.complaints), "no double links"
		)

		# running again with the same now changes nothing
		self.assertEqual(self.run_job(now, last_run=now - timedelta(hours=3)), [])
		self.assertEqual(len(self.linked(doc.name)), 12)

		# an hour later, more of the same: the alert grows (and may escalate), no second one
		later = now + timedelta(hours=1)
		more = [self.food_complaint(now + timedelta(minutes=5 * i), dish, self.STORE) for i in range(6)]
		changed = self.run_job(later, last_run=now)
		self.assertEqual(changed, [doc.name])
		grown = frappe.get_doc("Crisis Alert", doc.name)
		self.assertEqual(sorted(self.linked(doc.name)), sorted(first + more))
		self.assertFalse(is_escalation(grown.level, doc.level), "a level never goes down")
		self.assertTrue(any("+" in row.update_text or "linked" in row.update_text for row in grown.updates))

		# a burst at another store is another incident
		elsewhere = later + timedelta(hours=3)
		other = self.incident(elsewhere, self.product("NOODLE"), "Pudong")
		changed = self.run_job(elsewhere, last_run=later)
		self.assertEqual(len(changed), 1)
		self.assertNotEqual(changed[0], doc.name)
		self.assertEqual(sorted(self.linked(changed[0])), sorted(other))

	def test_grouping_can_be_switched_off(self):
		now, dish = moment(31), self.product("SOUP")
		frappe.db.set_single_value(
			"Crisis Settings", {"group_by_store": 0, "group_by_product": 0, "group_by_category": 0}
		)
		self.addCleanup(
			frappe.db.set_single_value,
			"Crisis Settings",
			{"group_by_store": 1, "group_by_product": 1, "group_by_category": 0},
		)
		self.incident(now, dish, self.STORE, count=3)
		changed = self.run_job(now, last_run=now - timedelta(hours=3))
		self.assertEqual(len(changed), 4, "one per severe complaint, and one for the 3 sharing a cause")


class TestQueuedCheck(FrappeTestCase):
	"""A new complaint queues one detection check after its commit (the periodic run stays too)."""

	def test_one_check_queued_after_the_commit_for_a_burst(self):
		from frappe.utils.background_jobs import get_job, is_job_enqueued

		from complaint_response.jobs.detection import JOB_ID

		job_id = f"{JOB_ID}::{frappe.local.site}"
		if (job := get_job(job_id)) is not None:
			job.delete()
		self.addCleanup(lambda: (j := get_job(job_id)) and j.delete())
		first = new_complaint().insert()
		new_complaint().insert()
		self.assertFalse(is_job_enqueued(job_id), "nothing is queued before the commit")
		frappe.db.after_commit.run()  # what the commit would run, without committing the test's data
		self.assertTrue(is_job_enqueued(job_id))
		self.assertIn("run_locked", str(get_job(job_id).kwargs.get("method")))
		self.assertTrue(frappe.db.exists("Complaint", first.name))

	def test_nothing_queued_when_detection_is_off(self):
		from frappe.utils.background_jobs import get_job

		from complaint_response.jobs.detection import JOB_ID, queue_check

		job_id = f"{JOB_ID}::{frappe.local.site}"
		if (job := get_job(job_id)) is not None:
			job.delete()
		saved = frappe.db.get_single_value("Crisis Settings", "detection_enabled")
		self.addCleanup(frappe.db.set_single_value, "Crisis Settings", "detection_enabled", saved)
		frappe.db.set_single_value("Crisis Settings", "detection_enabled", 0)
		queue_check(new_complaint().insert())
		frappe.db.after_commit.run()
		self.assertIsNone(get_job(job_id))


class TestOneIncidentOneAlertScan(TestOneIncidentOneAlert):
	"""The same incident, found by the multi-window scan (the default spike test)."""

	SPIKE_TEST = SCAN


class TestScanInTheJob(DetectionCase):
	SPIKE_TEST = SCAN

	def test_a_short_burst_is_caught_and_explained_by_its_window(self):
		now, item = moment(40), self.product("S")
		self.quiet_baseline(now, item)
		burst = self.burst(now - timedelta(minutes=100), item, 8, timedelta(minutes=12))
		(alert,) = self.run_job(now, last_run=now - timedelta(hours=2))
		doc = frappe.get_doc("Crisis Alert", alert)
		self.assertEqual((doc.detection_kind, doc.detection_dimension), ("spike", "item"))
		self.assertEqual(sorted(self.linked(alert)), sorted(burst))
		self.assertRegex(doc.detection_details, r"8 complaints about item .* in \d+ h")
		self.assertEqual(
			self.run_job(now, last_run=now - timedelta(hours=2)), [], "a second run changes nothing"
		)

	def test_steady_traffic_raises_nothing(self):
		now, item = moment(41), self.product("T")
		for hour in range(1, 24 * 20):  # about one an hour for 20 days, spread over the categories
			if hour % 3:
				self.complaint(now - timedelta(hours=hour), item, hour)
		self.assertEqual(self.run_job(now, last_run=now - timedelta(hours=2)), [])
