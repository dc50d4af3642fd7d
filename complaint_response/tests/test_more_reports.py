"""The reports of issue 12 on a real site: Complaint Breakdown (投诉分布), Complaint Stage Time
(各环节用时), Repeat Complainants (重复投诉), Crisis Alert Statistics (危机预警统计, drills left out) and
Improvement Action Effectiveness (整改效果).

A hand-made data set in two weeks of March 2017 (Monday 6 to Sunday 19), away from the other tests'
dates: five complaints with their stamps, SLA status and scores set after insert, one more outside the
range; three crisis alerts and a drill; five improvement actions with their measured numbers set by
db_set. Every figure below is computed by hand. The reports are run the way the desk runs them."""

import json
from datetime import date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import frappe
from frappe.desk.query_report import run
from frappe.tests.utils import FrappeTestCase

from complaint_response import reports
from complaint_response.tests.utils import make_user, new_complaint

FROM, TO = date(2017, 3, 6), date(2017, 3, 19)
BEFORE = datetime(2017, 2, 20, 9)

# received, channel, severity, store, product, category, phone, email, status, SLA, satisfaction,
# hours from receipt to: first response, investigation, approval, customer informed, closed
COMPLAINTS = {
	"P1": dict(at=datetime(2017, 3, 6, 9), channel="Phone", severity="General", store="S1", product="Latte", category="Service", phone="+86-1", status="Resolved", sla="Met", satisfaction=4, hours=(2, 4, 10, 24, 48)),
	"P2": dict(at=datetime(2017, 3, 7, 10), channel="Phone", severity="Major", store="S1", product="Bagel", category="Quality", phone="+86-1", status="Open", sla="Breached", hours=(4, 8, None, None, None)),
	"P3": dict(at=datetime(2017, 3, 13, 8), channel="Web Form", severity="General", store="S2", product="Latte", category="Service", email="Zhou@Example.com", status="Resolved", sla="Breached", satisfaction=2, hours=(1, None, None, 12, None)),
	"P4": dict(at=datetime(2017, 3, 14, 8), channel="Web Form", severity="General", store="S2", product=None, category="Service", email="zhou@example.com", status="Open", sla="On Track", hours=(6, None, None, None, None)),
	"P5": dict(at=datetime(2017, 3, 15, 12), channel="WeChat", severity="Group", store="S1", product="Latte", category="Price", phone="+86-2", status="Closed", sla="Met", satisfaction=5, hours=(3, 5, 7, 9, 20)),
	"outside": dict(at=BEFORE, channel="Phone", severity="General", store="S1", product="Latte", category="Service", phone="+86-2", status="Open", sla="On Track", hours=(1, None, None, None, None)),
}  # fmt: skip
STAMPS = ("first_response_on", "investigation_started_on", "approved_on", "customer_informed_on", "closed_on")

# created, level, crisis type, drill, stage, hours from creation to published and to closed
ALERTS = {
	"A1": dict(at=datetime(2017, 3, 6, 10), level="II", crisis_type="Food Safety", drill=0, stage="Published", published=3, closed=None),
	"A2": dict(at=datetime(2017, 3, 8, 8), level="II", crisis_type="Service Failure", drill=0, stage="Closed", published=1, closed=49),
	"A3": dict(at=datetime(2017, 3, 10), level="III", crisis_type="Food Safety", drill=0, stage="Dismissed", published=None, closed=None),
	"drill": dict(at=datetime(2017, 3, 9), level="II", crisis_type="Food Safety", drill=1, stage="Closed", published=1, closed=2),
}  # fmt: skip

# status, proposed effect, confirmed, rate ratio, before and after rates (None: not measured), store
ACTIONS = {
	"I1": dict(status="Effective", proposed="Effective", confirmed=True, rates=(0.2, 1.0, 0.2), store="S1"),
	"I2": dict(status="Not Effective", proposed="Not Effective", confirmed=True, rates=(0.9, 0.5, 0.45), store="S1"),
	"I3": dict(status="Closed", proposed="Effective", confirmed=True, rates=(0.4, 0.5, 0.2), store="S2"),
	"I4": dict(status="Verifying", proposed="Effective", confirmed=False, rates=(0.5, 0.4, 0.2), store="S2"),
	"I5": dict(status="Open", proposed="", confirmed=False, rates=None, store="S2"),
}  # fmt: skip


def report(name, **filters):
	return run(name, filters={"from_date": FROM, "to_date": TO, **filters})


def route_filters(route: str) -> dict:
	"""The list filters of a drill-down route, JSON lists read back."""
	found = {}
	for key, (value,) in parse_qs(urlsplit(route).query).items():
		found[key] = json.loads(value) if value.startswith("[") else value
	return found


def by_label(result) -> dict:
	return {row["label"]: row for row in result["result"]}


class TestMoreReports(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		for spec in COMPLAINTS.values():
			doc = new_complaint(
				received_on=spec["at"],
				contact_phone=spec.get("phone"),
				contact_email=spec.get("email"),
				category=spec["category"],
				store_branch=spec["store"],
			).insert()
			values = {
				"received_on": spec["at"],
				"channel": spec["channel"],
				"severity": spec["severity"],
				"product": spec["product"],
				"contact_phone": spec.get("phone"),
				"contact_email": spec.get("email"),
				"status": spec["status"],
				"sla_status": spec["sla"],
				"satisfaction": spec.get("satisfaction", 0),
			}
			for stamp, hours in zip(STAMPS, spec["hours"], strict=True):
				values[stamp] = spec["at"] + timedelta(hours=hours) if hours is not None else None
			frappe.db.set_value("Complaint", doc.name, values, update_modified=False)

		for spec in ALERTS.values():
			doc = frappe.get_doc(
				{
					"doctype": "Crisis Alert",
					"title": "Report statistics test alert",
					"crisis_type": spec["crisis_type"],
					"likelihood": 2,
					"impact": 2,
					"is_drill": spec["drill"],
				}
			).insert()
			stamp = {
				key: spec["at"] + timedelta(hours=spec[key]) if spec[key] is not None else None
				for key in ("published", "closed")
			}
			frappe.db.set_value(
				"Crisis Alert",
				doc.name,
				{
					"creation": spec["at"],
					"level": spec["level"],
					"stage": spec["stage"],
					"published_on": stamp["published"],
					"closed_on": stamp["closed"],
				},
				update_modified=False,
			)

		for index, spec in enumerate(ACTIONS.values()):
			doc = frappe.get_doc(
				{
					"doctype": "Improvement Action",
					"title": f"Report effect test action {index}",
					"scope_store_branch": spec["store"],
					"before_window_days": 30,
					"verification_window_days": 30,
				}
			).insert()
			values = {
				"creation": datetime(2017, 3, 7 + index),
				"status": spec["status"],
				"proposed_effect": spec["proposed"],
				"effect_confirmed_on": datetime(2017, 3, 18) if spec["confirmed"] else None,
			}
			if spec["rates"]:
				ratio, before, after = spec["rates"]
				values.update(
					measured_on=datetime(2017, 3, 17),
					rate_ratio=ratio,
					before_rate=before,
					after_rate=after,
				)
			doc.db_set(values, update_modified=False)

	def tearDown(self):
		frappe.set_user("Administrator")

	# --- Complaint Breakdown -------------------------------------------------------------------------

	def breakdown_rows(self, result):
		return [
			(
				r["label"],
				r["received"],
				r["open"],
				r["resolved"],
				r["resolution_rate"],
				r["mean_satisfaction"],
				r["breached"],
			)
			for r in result["result"]
		]

	def test_breakdown_by_channel(self):
		result = report("Complaint Breakdown", dimension="Channel")
		self.assertEqual(
			self.breakdown_rows(result),
			[
				("Phone", 2, 1, 1, 50, 4, 1),
				("Web Form", 2, 1, 1, 50, 2, 1),
				("WeChat", 1, 0, 1, 100, 5, 0),
			],
		)
		self.assertEqual(result["chart"]["data"]["datasets"][0]["values"], [2, 2, 1])
		drill = route_filters(result["result"][1]["route"])
		self.assertTrue(result["result"][1]["route"].startswith("/app/complaint?"))
		self.assertEqual(drill["channel"], "Web Form")
		self.assertEqual(drill["received_on"], ["Between", ["2017-03-06", "2017-03-19"]])

	def test_breakdown_by_other_dimensions_and_filters(self):
		self.assertEqual(
			[(r[0], r[1]) for r in self.breakdown_rows(report("Complaint Breakdown", dimension="Product"))],
			[("Latte", 3), ("Not Set", 1), ("Bagel", 1)],
		)
		not_set = report("Complaint Breakdown", dimension="Product")["result"][1]
		self.assertEqual(route_filters(not_set["route"])["product"], ["is", "not set"])
		self.assertEqual(
			self.breakdown_rows(report("Complaint Breakdown", dimension="Severity")),
			[
				("General", 3, 1, 2, 66.67, 3, 1),
				("Group", 1, 0, 1, 100, 5, 0),
				("Major", 1, 1, 0, 0, None, 1),
			],
		)
		store = report("Complaint Breakdown", dimension="Category", store_branch="S1")
		self.assertEqual(
			[(r[0], r[1]) for r in self.breakdown_rows(store)],
			[("Price", 1), ("Quality", 1), ("Service", 1)],
		)
		self.assertEqual(route_filters(store["result"][0]["route"])["store_branch"], "S1")
		self.assertEqual(
			[(r[0], r[1]) for r in self.breakdown_rows(report("Complaint Breakdown", dimension="Store"))],
			[("S1", 3), ("S2", 2)],
		)

	# --- Complaint Stage Time ------------------------------------------------------------------------

	def stage_figures(self, row):
		return {
			key: (row[f"{key}_count"], row[f"{key}_mean"], row[f"{key}_median"])
			for key in ("response", "investigation", "approval", "informed", "closed")
		}

	def test_stage_time_weekly(self):
		week1, week2, total = report("Complaint Stage Time", group_by="Weekly")["result"]
		self.assertEqual((week1["label"], week1["received"]), ("2017-W10", 2))
		self.assertEqual(
			self.stage_figures(week1),
			{
				"response": (2, 3, 3),
				"investigation": (2, 6, 6),
				"approval": (1, 10, 10),
				"informed": (1, 24, 24),
				"closed": (1, 48, 48),
			},
		)
		self.assertEqual((week2["label"], week2["received"]), ("2017-W11", 3))
		self.assertEqual(
			self.stage_figures(week2),
			{
				"response": (3, 3.33, 3),
				"investigation": (1, 5, 5),
				"approval": (1, 7, 7),
				"informed": (2, 10.5, 10.5),
				"closed": (1, 20, 20),
			},
		)
		self.assertEqual(
			route_filters(week2["route"])["received_on"], ["Between", ["2017-03-13", "2017-03-19"]]
		)
		# the total row is over the five complaints, not the mean of the two weeks' means
		self.assertEqual((total["label"], total["received"]), ("Total", 5))
		self.assertEqual(self.stage_figures(total)["response"], (5, 3.2, 3))
		self.assertEqual(self.stage_figures(total)["informed"], (3, 15, 12))

	def test_stage_time_by_category_and_month(self):
		rows = by_label(report("Complaint Stage Time", group_by="Category"))
		self.assertEqual(list(rows), ["Price", "Quality", "Service", "Total"])
		self.assertEqual(
			self.stage_figures(rows["Service"]),
			{
				"response": (3, 3, 2),
				"investigation": (1, 4, 4),
				"approval": (1, 10, 10),
				"informed": (2, 18, 18),
				"closed": (1, 48, 48),
			},
		)
		self.assertEqual(self.stage_figures(rows["Quality"])["investigation"], (1, 8, 8))
		self.assertEqual(self.stage_figures(rows["Quality"])["informed"], (0, None, None))
		march, total = report("Complaint Stage Time", group_by="Monthly")["result"]
		self.assertEqual(self.stage_figures(total), self.stage_figures(march))
		# response hours 2, 4, 1, 6, 3: mean 3.2, median 3; informed 24, 12, 9: median 12
		self.assertEqual(self.stage_figures(march)["response"], (5, 3.2, 3))
		self.assertEqual(self.stage_figures(march)["informed"], (3, 15, 12))

	# --- Repeat Complainants -------------------------------------------------------------------------

	def test_repeat_complainants(self):
		rows = report("Repeat Complainants")["result"]
		# +86-2 has one complaint in the range (the other is before it); e-mails match in any case
		self.assertEqual(
			[(r["label"], r["complaints"], r["categories"]) for r in rows],
			[("zhou@example.com", 2, "Service"), ("+86-1", 2, "Quality, Service")],
		)
		phone = rows[1]
		self.assertEqual(
			(phone["first_received"], phone["last_received"]),
			(datetime(2017, 3, 6, 9), datetime(2017, 3, 7, 10)),
		)
		self.assertEqual(route_filters(phone["route"])["contact_phone"], "+86-1")
		self.assertEqual(route_filters(rows[0]["route"])["contact_email"], "zhou@example.com")
		wider = report("Repeat Complainants", from_date=date(2017, 2, 1))["result"]
		self.assertEqual(len(wider), 3)

	def test_repeat_complainants_refused_without_the_contact_fields(self):
		member = make_user("cr-more-reports-team@example.com", ["Crisis Team Member"])
		agent = make_user("cr-more-reports-agent@example.com", ["Complaint Agent"])
		frappe.set_user(member)
		with self.assertRaises(frappe.PermissionError):
			report("Repeat Complainants")
		# and the query itself answers with a message and no rows
		columns, rows, message, *_ = reports.repeat_complainants({"from_date": FROM, "to_date": TO})
		self.assertEqual(rows, [])
		self.assertTrue(message)
		self.assertTrue(columns)
		frappe.set_user(agent)
		self.assertEqual(len(report("Repeat Complainants")["result"]), 2)

	# --- Crisis Alert Statistics ---------------------------------------------------------------------

	def test_crisis_statistics_by_level_without_drills(self):
		result = report("Crisis Alert Statistics", dimension="Level")
		rows = by_label(result)
		self.assertEqual(
			{
				label: (
					r["alerts"],
					r["open"],
					r["closed"],
					r["dismissed"],
					r["published"],
					r["mean_hours_to_publish"],
					r["mean_hours_to_close"],
				)
				for label, r in rows.items()
			},
			{"II": (2, 1, 1, 0, 2, 2, 49), "III": (1, 0, 0, 1, 0, None, None)},
		)
		self.assertIn("1", result["message"])
		self.assertIn("演练", result["message"])
		self.assertEqual([card["value"] for card in result["report_summary"]], [3, 1])
		drill = route_filters(rows["II"]["route"])
		self.assertTrue(rows["II"]["route"].startswith("/app/crisis-alert?"))
		self.assertEqual((drill["level"], drill["is_drill"]), ("II", "0"))

	def test_crisis_statistics_by_type_and_a_drill_is_never_counted(self):
		rows = by_label(report("Crisis Alert Statistics", dimension="Crisis Type"))
		self.assertEqual(
			{
				label: (r["alerts"], r["open"], r["dismissed"], r["mean_hours_to_publish"])
				for label, r in rows.items()
			},
			{"Food Safety": (2, 1, 1, 3), "Service Failure": (1, 0, 0, 1)},
		)
		# the drill alone in its day: nothing counted, the message says one drill was left out
		only_drill = report("Crisis Alert Statistics", from_date=date(2017, 3, 9), to_date=date(2017, 3, 9))
		self.assertEqual(only_drill["result"], [])
		self.assertIn("1", only_drill["message"])

	# --- Improvement Action Effectiveness ------------------------------------------------------------

	def effect_rows(self, result):
		return {
			r["label"]: (
				r["actions"],
				r["measured"],
				r["proposed_effective"],
				r["confirmed"],
				r["confirmed_effective"],
				r["effective_share"],
				r["mean_rate_ratio"],
			)
			for r in result["result"]
		}

	def test_effectiveness_by_confirmed_and_proposed_effect(self):
		confirmed = report("Improvement Action Effectiveness", dimension="Confirmed Effect")
		self.assertEqual([r["label"] for r in confirmed["result"]], ["Not Set", "Effective", "Not Effective"])
		self.assertEqual(
			self.effect_rows(confirmed),
			{
				"Not Set": (2, 1, 1, 0, 0, None, 0.5),
				"Effective": (2, 2, 2, 2, 2, 100, 0.3),
				"Not Effective": (1, 1, 0, 1, 0, 0, 0.9),
			},
		)
		effective = confirmed["result"][1]
		self.assertEqual((effective["mean_before_rate"], effective["mean_after_rate"]), (0.75, 0.2))
		proposed = self.effect_rows(report("Improvement Action Effectiveness", dimension="Proposed Effect"))
		self.assertEqual(proposed["Effective"], (3, 3, 3, 2, 2, 100, 0.3667))
		self.assertEqual(proposed["Not Set"], (1, 0, 0, 0, 0, None, None))

	def test_effectiveness_by_status_store_and_drill(self):
		result = report("Improvement Action Effectiveness", dimension="Status")
		self.assertEqual(
			[r["label"] for r in result["result"]],
			["Closed", "Effective", "Not Effective", "Open", "Verifying"],
		)
		self.assertEqual(self.effect_rows(result)["Closed"], (1, 1, 1, 1, 1, 100, 0.4))
		drill = route_filters(by_label(result)["Verifying"]["route"])
		self.assertEqual(drill["status"], "Verifying")
		self.assertTrue(by_label(result)["Verifying"]["route"].startswith("/app/improvement-action?"))
		store = report("Improvement Action Effectiveness", dimension="Status", store_branch="S1")
		self.assertEqual([r["label"] for r in store["result"]], ["Effective", "Not Effective"])

	# --- bad filters ---------------------------------------------------------------------------------

	def test_bad_filters_get_a_message_not_an_exception(self):
		for name, filters in (
			("Complaint Breakdown", {"dimension": "Colour"}),
			("Complaint Stage Time", {"group_by": "Daily"}),
			("Crisis Alert Statistics", {"dimension": "Colour"}),
			("Improvement Action Effectiveness", {"dimension": "Colour"}),
			("Complaint Breakdown", {"from_date": TO, "to_date": FROM}),
			("Complaint Stage Time", {"from_date": TO, "to_date": FROM}),
			("Repeat Complainants", {"from_date": TO, "to_date": FROM}),
			("Crisis Alert Statistics", {"from_date": TO, "to_date": FROM}),
			("Improvement Action Effectiveness", {"from_date": TO, "to_date": FROM}),
		):
			result = report(name, **filters)
			self.assertEqual(result["result"], [], name)
			self.assertTrue(result["message"], name)
			self.assertTrue(result["columns"], name)
			self.assertEqual(frappe.db.get_value("Report", name, "prepared_report"), 0)
