"""The Complaint Performance (评估指标) and Complaint Category Pareto (热点) reports, on a real site.

Five complaints are received over two weeks of March 2019 (Monday 4 to Sunday 17), one the Sunday
before; their timestamps, scores and Resolution time nodes are set after insert, so every number
below is known. The reports are run the way the desk runs them, through query_report.run."""

from datetime import date, datetime, timedelta

import frappe
from frappe.desk.query_report import run
from frappe.tests.utils import FrappeTestCase

from complaint_response.tests.utils import make_user, new_complaint

MONDAY = datetime(2019, 3, 4)
FROM, TO = date(2019, 3, 4), date(2019, 3, 17)

# received (days, hours after MONDAY), response hours, resolved, satisfaction, Resolution node status
COMPLAINTS = {
	"A": dict(at=(0, 9), response=1, resolved=True, satisfaction=5, node="Met", category="Service", store="S1", product="Latte"),
	"B": dict(at=(1, 10), response=3, resolved=True, satisfaction=2, node="Met Late", category="Service", store="S1", product="Bagel"),
	"C": dict(at=(6, 23), response=8, category="Price", store="S2", product="Latte"),  # Sunday night
	"D": dict(at=(7, 0.5), response=2, resolved=True, satisfaction=4, node="Met", category="Quality", store="S2", product="Latte"),
	"E": dict(at=(8, 9), stage="Reopened", severity="Major", category="Service", store="S1"),
	"before": dict(at=(-1, 12), response=1, resolved=True, category="Service", store="S1", product="Latte"),
}  # fmt: skip


def performance(**filters):
	return run(
		"Complaint Performance", filters={"from_date": FROM, "to_date": TO, "period": "Weekly", **filters}
	)


def pareto(dimension="Category", **filters):
	return run(
		"Complaint Category Pareto",
		filters={"from_date": FROM, "to_date": TO, "dimension": dimension, **filters},
	)


class TestReports(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		for spec in COMPLAINTS.values():
			received = MONDAY + timedelta(days=spec["at"][0], hours=spec["at"][1])
			doc = new_complaint(
				received_on=received,
				category=spec["category"],
				store_branch=spec["store"],
				product=spec.get("product"),
			).insert()
			values = {
				"received_on": received,
				"first_response_on": received + timedelta(hours=spec["response"])
				if "response" in spec
				else None,
				"customer_informed_on": received + timedelta(days=2) if spec.get("resolved") else None,
				"satisfaction": spec.get("satisfaction", 0),
				"severity": spec.get("severity", "General"),
			}
			if spec.get("stage"):
				values["stage"] = spec["stage"]
			frappe.db.set_value("Complaint", doc.name, values)
			frappe.db.set_value(
				"Complaint Time Node",
				{"parent": doc.name, "parenttype": "Complaint", "node": "Resolution"},
				"clock_status",
				spec.get("node", "Running"),
			)

	def tearDown(self):
		frappe.set_user("Administrator")

	# --- Complaint Performance -------------------------------------------------------------------

	def test_weekly_rows(self):
		week1, week2 = performance()["result"]
		self.assertEqual((week1["period"], week1["period_start"]), ("2019-W10", date(2019, 3, 4)))
		self.assertEqual((week2["period"], week2["period_start"]), ("2019-W11", date(2019, 3, 11)))

		# A, B and C (Sunday 23:00 belongs to the first week); "before" is outside the range
		self.assertEqual(week1["received"], 3)
		self.assertEqual(week1["median_response_hours"], 3)
		self.assertEqual(week1["mean_response_hours"], 4)
		self.assertEqual((week1["resolved"], week1["resolution_rate"]), (2, 66.67))
		self.assertEqual((week1["resolved_on_time"], week1["on_time_rate"]), (1, 33.33), "B was late")
		self.assertEqual((week1["follow_ups"], week1["mean_satisfaction"]), (2, 3.5))
		self.assertEqual(week1["satisfied_rate"], 50)
		self.assertEqual(week1["reopened"], 1, "B scored 2/5")

		# D (Monday 00:30) and E (no response yet, Reopened)
		self.assertEqual(week2["received"], 2)
		self.assertEqual((week2["median_response_hours"], week2["mean_response_hours"]), (2, 2))
		self.assertEqual((week2["resolved"], week2["resolution_rate"]), (1, 50))
		self.assertEqual((week2["resolved_on_time"], week2["on_time_rate"]), (1, 50))
		self.assertEqual(
			(week2["follow_ups"], week2["mean_satisfaction"], week2["satisfied_rate"]), (1, 4, 100)
		)
		self.assertEqual(week2["reopened"], 1)

	def test_chart_and_summary(self):
		result = performance()
		chart = result["chart"]
		self.assertEqual(chart["type"], "line")
		self.assertEqual(chart["data"]["labels"], ["2019-W10", "2019-W11"])
		self.assertEqual([d["values"] for d in chart["data"]["datasets"]], [[3, 2], [2, 1]])
		summary = [card["value"] for card in result["report_summary"]]
		# 5 received; median of 1, 3, 8, 2 hours; 3 of 5 resolved; (5 + 2 + 4) / 3
		self.assertEqual(summary, [5, 2.5, 60, 3.67])

	def test_monthly_and_empty_periods(self):
		(march,) = performance(period="Monthly")["result"]
		self.assertEqual((march["period"], march["received"], march["resolved"]), ("2019-03", 5, 3))
		rows = performance(from_date=date(2019, 3, 18), to_date=date(2019, 3, 31))["result"]
		self.assertEqual([r["received"] for r in rows], [0, 0])
		self.assertIsNone(rows[0]["median_response_hours"])

	def test_filters_narrow_the_rows(self):
		by_category = performance(category="Service")["result"]
		self.assertEqual([r["received"] for r in by_category], [2, 1])
		by_store = performance(store_branch="S2")["result"]
		self.assertEqual([r["received"] for r in by_store], [1, 1])
		self.assertEqual([r["median_response_hours"] for r in by_store], [8, 2])
		by_severity = performance(severity="Major")["result"]
		self.assertEqual([r["received"] for r in by_severity], [0, 1])
		self.assertEqual(by_severity[1]["reopened"], 1)

	def test_bad_filters_get_a_message_not_an_exception(self):
		# an exception would leave Frappe's timer running that turns the report into a prepared report
		for result in (
			performance(period="Daily"),
			performance(from_date=TO, to_date=FROM),
			pareto("Colour"),
			pareto(from_date=TO, to_date=FROM),
		):
			self.assertEqual(result["result"], [])
			self.assertTrue(result["message"])
			self.assertTrue(result["columns"])
		self.assertEqual(performance(period="Daily")["message"], "Period must be Weekly or Monthly.")
		self.assertEqual(frappe.db.get_value("Report", "Complaint Performance", "prepared_report"), 0)

	def test_resolved_on_time_needs_a_resolution_node_and_every_one_met(self):
		# a week of March 2018, away from the other complaints: one Met node (on time), no node, two
		# Met nodes (on time), Met and Met Late
		monday = datetime(2018, 3, 5, 9)
		nodes = {"one met": ["Met"], "none": [], "two met": ["Met", "Met"], "one late": ["Met", "Met Late"]}
		for day, statuses in enumerate(nodes.values()):
			doc = new_complaint(received_on=monday + timedelta(days=day), category="Service").insert()
			frappe.db.set_value("Complaint", doc.name, "received_on", monday + timedelta(days=day))
			frappe.db.delete("Complaint Time Node", {"parent": doc.name, "node": "Resolution"})
			for idx, status in enumerate(statuses, start=90):
				frappe.get_doc(
					{
						"doctype": "Complaint Time Node",
						"parent": doc.name,
						"parenttype": "Complaint",
						"parentfield": "time_nodes",
						"idx": idx,
						"node": "Resolution",
						"clock_status": status,
					}
				).db_insert()
		(week,) = performance(from_date=date(2018, 3, 5), to_date=date(2018, 3, 11))["result"]
		self.assertEqual((week["received"], week["resolved_on_time"], week["on_time_rate"]), (4, 2, 50))

	# --- Complaint Category Pareto ---------------------------------------------------------------

	def rows(self, result):
		return [(r["label"], r["count"], r["share"], r["cumulative"]) for r in result["result"]]

	def test_pareto_by_category(self):
		result = pareto()
		self.assertEqual(
			self.rows(result),
			[("Service", 3, 60, 60), ("Price", 1, 20, 80), ("Quality", 1, 20, 100)],
		)
		self.assertEqual(result["chart"]["type"], "bar")
		self.assertEqual(result["chart"]["data"]["labels"], ["Service", "Price", "Quality"])
		self.assertEqual(result["chart"]["data"]["datasets"][0]["values"], [3, 1, 1])

	def test_pareto_by_store_and_product(self):
		self.assertEqual(self.rows(pareto("Store")), [("S1", 3, 60, 60), ("S2", 2, 40, 100)])
		self.assertEqual(
			self.rows(pareto("Product")),
			[("Latte", 3, 60, 60), ("Bagel", 1, 20, 80), ("Not Set", 1, 20, 100)],
		)

	def test_pareto_date_range_narrows(self):
		result = pareto(from_date=date(2019, 3, 11))
		self.assertEqual(self.rows(result), [("Quality", 1, 50, 50), ("Service", 1, 50, 100)])
		self.assertEqual(pareto(from_date=date(2019, 4, 1), to_date=date(2019, 4, 30))["result"], [])

	# --- who may run them ------------------------------------------------------------------------

	def test_only_the_report_roles_may_run_them(self):
		agent = make_user("cr-reports-agent@example.com", ["Complaint Agent"])
		officer = make_user("cr-reports-quality@example.com", ["Quality Officer"])
		frappe.set_user(agent)
		with self.assertRaises(frappe.PermissionError):
			performance()
		with self.assertRaises(frappe.PermissionError):
			pareto()
		frappe.set_user(officer)
		self.assertEqual(len(performance()["result"]), 2)
		self.assertEqual(len(pareto()["result"]), 3)
