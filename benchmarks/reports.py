"""How long do the reports take on a big complaint table, against the raw SQL aggregate of the same rows?

Times each report the way the desk runs it (`frappe.desk.query_report.run`, as Administrator):
Complaint Performance over the last 30 and 365 days, Weekly and Monthly, and the Complaint Category
Pareto by Category, Store and Product over the same ranges. Each figure is the median of `--reps`
runs after a warm-up run, next to the median of a plain grouped query over the same rows (COUNT, SUM,
AVG ... GROUP BY the period or the dimension: the least the database has to do to answer), and their
ratio. For Complaint Performance it also times the way the report worked before (one row per complaint
loaded into Python and measured there, `rules.metrics.performance_rows`) and checks that both give
the same rows and summary.

Run it with the bench's Python, from the bench's sites folder, on a site loaded by million.py:

    cd frappe-bench/sites && ../env/bin/python /work/main/benchmarks/reports.py \\
        --site dev.localhost [--reps 5] [--to-date 2026-11-30] [--explain]

It only reads. The SLA sweep and the early-warning job at 10,000 and 1,000,000 complaints are measured
by scale.py (`--sizes 10000,1000000 --new 100`)."""

import argparse
import os
import statistics
import sys
import time

import frappe
from frappe.utils import add_days, getdate, today

from complaint_response.rules import metrics

analytics = None  # complaint_response.analytics, imported once the site is connected

RAW_PERFORMANCE = """
	SELECT {start} AS period_start, COUNT(*), COUNT(c.first_response_on),
		AVG(TIMESTAMPDIFF(MICROSECOND, c.received_on, c.first_response_on)),
		COUNT(c.customer_informed_on), SUM(c.satisfaction BETWEEN 1 AND 5),
		AVG(NULLIF(c.satisfaction, 0)), SUM(c.stage = 'Reopened')
	FROM `tabComplaint` c
	WHERE c.received_on >= %(from_date)s AND c.received_on < %(to_date)s
	GROUP BY period_start"""
RAW_PARETO = """
	SELECT c.`{field}`, COUNT(*) FROM `tabComplaint` c
	WHERE c.received_on >= %(from_date)s AND c.received_on < %(to_date)s
	GROUP BY c.`{field}`"""


def timed(fn, reps: int) -> tuple[float, object]:
	"""Median milliseconds of `reps` runs of fn after one warm-up run, and the last result."""
	result = fn()
	times = []
	for _ in range(reps):
		start = time.perf_counter()
		result = fn()
		times.append((time.perf_counter() - start) * 1000)
	return statistics.median(times), result


def run_report(name: str, filters: dict) -> dict:
	from frappe.desk.query_report import run

	return run(name, filters=filters, ignore_prepared_report=True)


def old_performance(filters: dict) -> tuple[list[dict], dict]:
	"""The report before: one row per complaint, its Resolution nodes by a second query, measured in
	Python (what analytics.performance did until the figures moved into the database)."""
	from_date, to_date = analytics.date_range(filters)
	where, values = analytics.where_sql(filters, from_date, to_date)
	on_time = set(
		frappe.db.sql(
			f"""SELECT n.parent FROM `tabComplaint Time Node` n JOIN `tabComplaint` c ON n.parent = c.name
			WHERE n.parenttype = 'Complaint' AND n.parentfield = 'time_nodes'
				AND n.node = %(resolution_node)s AND {where}
			GROUP BY n.parent HAVING COUNT(n.name) = SUM(n.clock_status = 'Met')""",
			values,
			pluck=True,
		)
	)
	facts = [
		metrics.ComplaintFacts(
			received_on=row.received_on,
			first_response_on=row.first_response_on,
			resolved_on=row.customer_informed_on,
			satisfaction=row.satisfaction,
			stage=row.stage,
			resolved_on_time=row.name in on_time,
		)
		for row in frappe.db.sql(
			f"""SELECT c.name, c.received_on, c.first_response_on, c.customer_informed_on,
				c.satisfaction, c.stage FROM `tabComplaint` c WHERE {where}""",
			values,
			as_dict=True,
		)
	]
	return metrics.performance_rows(facts, from_date, to_date, filters["period"]), metrics.measure(facts)


def summary_of(result: dict) -> list:
	return [card["value"] for card in result["report_summary"]]


def main() -> int:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--site", required=True)
	parser.add_argument("--reps", type=int, default=5)
	parser.add_argument("--to-date", help="the ranges' last day (default: today)")
	parser.add_argument("--ranges", default="30,365", help="days back from --to-date, comma-separated")
	parser.add_argument("--no-old", action="store_true", help="skip timing the old Python path")
	parser.add_argument("--explain", action="store_true", help="print the plans of the report's queries")
	args = parser.parse_args()

	frappe.init(site=args.site, sites_path=os.getcwd())
	frappe.connect()
	frappe.set_user("Administrator")
	global analytics
	from complaint_response import analytics

	try:
		to_date = getdate(args.to_date or today())
		total = frappe.db.sql("SELECT COUNT(*) FROM `tabComplaint`")[0][0]
		cache = frappe.db.sql("SELECT @@query_cache_type, @@query_cache_size")[0]
		version = frappe.db.sql("SELECT VERSION()")[0][0]
		print(
			f"{total} complaints; MariaDB {version} (query cache type {cache[0]}, size {cache[1]});"
			f" ranges end {to_date}; median of {args.reps} after a warm-up"
		)
		header = (
			f"{'report':<22} {'range':>5} {'by':<8} {'in range':>9} {'rows':>4} | {'report ms':>9}"
			f" {'raw ms':>8} {'ratio':>5} | {'before ms':>9} {'same':>4}"
		)
		print(header)
		print("-" * len(header))
		for days in [int(part) for part in args.ranges.split(",")]:
			from_date = add_days(to_date, -days)
			values = {"from_date": from_date, "to_date": add_days(to_date, 1)}
			in_range = frappe.db.sql(
				"SELECT COUNT(*) FROM `tabComplaint` WHERE received_on >= %(from_date)s"
				" AND received_on < %(to_date)s",
				values,
			)[0][0]
			for period in metrics.PERIODS:
				filters = {"from_date": from_date, "to_date": to_date, "period": period}
				ms, result = timed(lambda f=filters: run_report("Complaint Performance", f), args.reps)
				raw = RAW_PERFORMANCE.format(start=analytics.PERIOD_START_SQL[period])
				raw_ms, _rows = timed(lambda q=raw: frappe.db.sql(q, values), args.reps)
				before, same = "-", "-"
				if not args.no_old:
					old_ms, (old_rows, old_overall) = timed(
						lambda f=filters: old_performance(frappe._dict(f)), max(1, args.reps // 2)
					)
					old_summary = [
						old_overall[key]
						for key in (
							"received",
							"median_response_hours",
							"resolution_rate",
							"mean_satisfaction",
						)
					]
					before = f"{old_ms:9.0f}"
					same = (
						"yes" if result["result"] == old_rows and summary_of(result) == old_summary else "NO"
					)
				print(
					f"{'Complaint Performance':<22} {days:>4}d {period:<8} {in_range:>9}"
					f" {len(result['result']):>4} | {ms:9.1f} {raw_ms:8.1f} {ms / raw_ms:5.2f} |"
					f" {before:>9} {same:>4}",
					flush=True,
				)
				if args.explain:
					explain(filters)
			for dimension, field in analytics.DIMENSIONS.items():
				filters = {"from_date": from_date, "to_date": to_date, "dimension": dimension}
				ms, result = timed(lambda f=filters: run_report("Complaint Category Pareto", f), args.reps)
				raw = RAW_PARETO.format(field=field)
				raw_ms, _rows = timed(lambda q=raw: frappe.db.sql(q, values), args.reps)
				print(
					f"{'Complaint Category Pareto':<22.22} {days:>4}d {dimension:<8} {in_range:>9}"
					f" {len(result['result']):>4} | {ms:9.1f} {raw_ms:8.1f} {ms / raw_ms:5.2f} |"
					f" {'-':>9} {'-':>4}",
					flush=True,
				)
	finally:
		frappe.destroy()
	return 0


def explain(filters: dict) -> None:
	"""The plans of the report's two queries (captured from one run)."""
	original = frappe.db.sql
	kept = []

	def keep(query, values=(), *args, **kwargs):
		kept.append((query, values))
		return original(query, values, *args, **kwargs)

	frappe.db.sql = keep
	try:
		analytics.period_totals(frappe._dict(filters), *analytics.date_range(filters), filters["period"])
	finally:
		frappe.db.sql = original
	for query, values in kept:
		print("   ", " ".join(query.split())[:160])
		for row in original("EXPLAIN " + query, values, as_dict=True):
			print(f"      table={row.table} type={row.type} key={row.key} rows={row.rows} extra={row.Extra}")


if __name__ == "__main__":
	sys.exit(main())
