# Copyright (c) 2026, Complaint Response Contributors
# For license information, please see license.txt

"""The data behind the reports: grouped queries over complaints received in a date range, handed to
the plain metrics of `rules.metrics` (评估指标 and 热点). The database counts, sums and ranks; no
report loads one row per complaint (benchmarks/reports.py measures them on a million complaints)."""

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.query_builder.functions import Count
from frappe.utils import add_days, getdate, today

from complaint_response.rules import metrics

COMPLAINT = DocType("Complaint")

RESOLUTION_NODE = "Resolution"
# The filters both reports may narrow complaints by (filter name = Complaint field).
FIELD_FILTERS: tuple[str, ...] = ("category", "store_branch", "severity")
# The Pareto's dimensions and the Complaint field each groups by.
DIMENSIONS: dict[str, str] = {"Category": "category", "Store": "store_branch", "Product": "product"}


def date_range(filters: dict) -> tuple:
	"""The filters' inclusive dates (default: the last 30 days)."""
	to_date = getdate(filters.get("to_date") or today())
	from_date = getdate(filters.get("from_date") or add_days(to_date, -30))
	return from_date, to_date


# Bad filters are answered with a message and no rows, never an exception: Frappe v15 leaves the
# 15-second "switch to prepared report" timer running when a Script Report raises, which would turn the
# report into a prepared report for everyone.
def unusable(columns: list[dict], message: str) -> tuple:
	return columns, [], message, None, []


def filter_fields() -> tuple[str, ...]:
	"""FIELD_FILTERS, and the company where ERPNext is installed (its Custom Field on Complaint,
	integrations/links.py)."""
	if frappe.get_meta("Complaint").has_field("company"):
		return (*FIELD_FILTERS, "company")
	return FIELD_FILTERS


def filtered(query, filters: dict, from_date, to_date):
	"""`query` narrowed to complaints received within the dates and matching the field filters."""
	query = query.where(COMPLAINT.received_on >= from_date).where(
		COMPLAINT.received_on < add_days(to_date, 1)
	)
	for field in filter_fields():
		if filters.get(field):
			query = query.where(COMPLAINT[field] == filters[field])
	return query


# --- Complaint Performance ---------------------------------------------------------------------

# The first day of the period holding `received_on`, as a DATE (metrics.period_start in SQL): the
# Monday of its week (WEEKDAY: Monday = 0), or the 1st of its month.
PERIOD_START_SQL: dict[str, str] = {
	metrics.WEEKLY: "(DATE(c.received_on) - INTERVAL WEEKDAY(c.received_on) DAY)",
	metrics.MONTHLY: "(DATE(c.received_on) - INTERVAL (DAYOFMONTH(c.received_on) - 1) DAY)",
}
# Microseconds from receipt to first response (NULL without a response), exact in integers.
RESPONSE_US_SQL = "TIMESTAMPDIFF(MICROSECOND, c.received_on, c.first_response_on)"
# 1 when the complaint has a Resolution time node and every one of them is Met (none Met Late,
# Breached or still open), else 0; read along the time nodes' (parent, node, clock_status) index.
ON_TIME_SQL = """IFNULL((
		SELECT MIN(IFNULL(n.clock_status = 'Met', 0)) FROM `tabComplaint Time Node` n
		WHERE n.parent = c.name AND n.parenttype = 'Complaint' AND n.parentfield = 'time_nodes'
			AND n.node = %(resolution_node)s
	), 0)"""
SCORE_SQL = "IFNULL(c.satisfaction, 0)"


def where_sql(filters: dict, from_date, to_date) -> tuple[str, dict]:
	"""The WHERE clause of `filtered` as SQL on `tabComplaint` c, with its values."""
	values = {"from_date": from_date, "to_date": add_days(to_date, 1), "resolution_node": RESOLUTION_NODE}
	conditions = ["c.received_on >= %(from_date)s", "c.received_on < %(to_date)s"]
	for field in filter_fields():
		if filters.get(field):
			conditions.append(f"c.`{field}` = %({field})s")
			values[field] = filters[field]
	return " AND ".join(conditions), values


def hours(microseconds) -> float:
	"""Microseconds as hours, computed as `metrics.hours_between` does (timedelta.total_seconds)."""
	return int(microseconds) / 10**6 / 3600


def ranks(count: int) -> tuple[int, ...]:
	"""The 1-based ranks of the middle of `count` sorted values (one rank when `count` is odd)."""
	return tuple(sorted({(count + 1) // 2, count // 2 + 1}))


def period_totals(filters: dict, from_date, to_date, period: str) -> dict:
	"""`metrics.PeriodTotals` of each period that has complaints, and of the whole range (key None):
	one grouped query for the counts and sums, one window query for the middle response times."""
	where, values = where_sql(filters, from_date, to_date)
	start = PERIOD_START_SQL[period]
	grouped = frappe.db.sql(
		f"""
		SELECT {start} AS period_start,
			COUNT(*) AS received,
			COUNT(c.first_response_on) AS responses,
			SUM({RESPONSE_US_SQL}) AS response_us,
			COUNT(c.customer_informed_on) AS resolved,
			SUM({ON_TIME_SQL}) AS resolved_on_time,
			SUM({SCORE_SQL} BETWEEN 1 AND 5) AS follow_ups,
			SUM(IF({SCORE_SQL} BETWEEN 1 AND 5, {SCORE_SQL}, 0)) AS satisfaction_sum,
			SUM({SCORE_SQL} BETWEEN %(satisfied)s AND 5) AS satisfied,
			SUM(IFNULL(c.stage, '') = %(reopened_stage)s OR {SCORE_SQL} BETWEEN 1 AND %(reopen_score)s)
				AS reopened
		FROM `tabComplaint` c
		WHERE {where}
		GROUP BY period_start""",
		{
			**values,
			"satisfied": metrics.SATISFIED_SCORE,
			"reopened_stage": metrics.REOPENED_STAGE,
			"reopen_score": metrics.REOPEN_SATISFACTION,
		},
		as_dict=True,
	)
	# The middle response time(s) of each period and of the whole range, by rank among the response
	# times (1-based ranks (n + 1) DIV 2 and n DIV 2 + 1, one rank when n is odd, as metrics.middle picks
	# them), n being the grouped query's count of responses. The ranks are ROW_NUMBER over plain columns
	# of a derived table; MariaDB 10.11 ranked wrongly with COUNT(*) OVER () beside two windows ordered
	# by an expression, and its MEDIAN() OVER () lost precision on microsecond counts.
	wanted = {row.period_start: ranks(int(row.responses)) for row in grouped if row.responses}
	overall_ranks = ranks(sum(int(row.responses) for row in grouped))
	middles: dict = {}
	if wanted:
		picks = " OR ".join(
			f"(period_start = %(start_{i})s AND period_rank IN %(ranks_{i})s)" for i in range(len(wanted))
		)
		pick_values = {}
		for i, (start_date, its_ranks) in enumerate(wanted.items()):
			pick_values[f"start_{i}"] = start_date
			pick_values[f"ranks_{i}"] = its_ranks
		ranked = frappe.db.sql(
			f"""
			SELECT period_start, response_us, period_rank, overall_rank
			FROM (
				SELECT period_start, response_us,
					ROW_NUMBER() OVER (PARTITION BY period_start ORDER BY response_us) AS period_rank,
					ROW_NUMBER() OVER (ORDER BY response_us) AS overall_rank
				FROM (
					SELECT {start} AS period_start, {RESPONSE_US_SQL} AS response_us
					FROM `tabComplaint` c
					WHERE {where} AND c.first_response_on IS NOT NULL
				) responses
			) ranked
			WHERE {picks} OR overall_rank IN %(overall_ranks)s
			ORDER BY response_us""",
			{**values, **pick_values, "overall_ranks": overall_ranks},
			as_dict=True,
		)
		for row in ranked:
			value = hours(row.response_us)
			if row.period_rank in wanted.get(row.period_start, ()):
				middles.setdefault(row.period_start, []).append(value)
			if row.overall_rank in overall_ranks:
				middles.setdefault(None, []).append(value)

	def totals(rows: list[dict], key) -> metrics.PeriodTotals:
		def total(field):
			return sum(int(row[field] or 0) for row in rows)

		return metrics.PeriodTotals(
			received=total("received"),
			responses=total("responses"),
			response_hours_sum=hours(total("response_us")),
			middle_response_hours=tuple(middles.get(key, ())),
			resolved=total("resolved"),
			resolved_on_time=total("resolved_on_time"),
			follow_ups=total("follow_ups"),
			satisfaction_sum=total("satisfaction_sum"),
			satisfied=total("satisfied"),
			reopened=total("reopened"),
		)

	by_start = {row.period_start: totals([row], row.period_start) for row in grouped}
	by_start[None] = totals(grouped, None)
	return by_start


def performance_columns() -> list[dict]:
	def column(fieldname, label, fieldtype, width=120):
		return {"fieldname": fieldname, "label": label, "fieldtype": fieldtype, "width": width}

	return [
		column("period", _("Period"), "Data", 100),
		column("period_start", _("Period Start"), "Date", 110),
		column("received", _("Complaints Received"), "Int"),
		column("median_response_hours", _("Median Response Time (Hours)"), "Float", 150),
		column("mean_response_hours", _("Mean Response Time (Hours)"), "Float", 150),
		column("resolved", _("Resolved"), "Int", 100),
		column("resolution_rate", _("Resolution Rate"), "Percent"),
		column("resolved_on_time", _("Resolved On Time"), "Int"),
		column("on_time_rate", _("On-Time Resolution Rate"), "Percent", 150),
		column("follow_ups", _("Follow-ups Scored"), "Int"),
		column("mean_satisfaction", _("Mean Satisfaction"), "Float"),
		column("satisfied_rate", _("Satisfied (4-5) Share"), "Percent", 140),
		column("reopened", _("Reopened"), "Int", 100),
	]


def performance(filters: dict | None) -> tuple:
	"""Columns, rows, chart and summary cards of the Complaint Performance report."""
	filters = frappe._dict(filters or {})
	period = filters.get("period") or metrics.WEEKLY
	from_date, to_date = date_range(filters)
	if period not in metrics.PERIODS:
		return unusable(performance_columns(), _("Period must be Weekly or Monthly."))
	if from_date > to_date:
		return unusable(performance_columns(), _("From Date must be on or before To Date."))
	by_start = period_totals(filters, from_date, to_date, period)
	overall = metrics.measure_totals(by_start.pop(None))
	rows = metrics.rows_from_totals(by_start, from_date, to_date, period)

	chart = {
		"data": {
			"labels": [row["period"] for row in rows],
			"datasets": [
				{"name": _("Complaints Received"), "values": [row["received"] for row in rows]},
				{"name": _("Resolved"), "values": [row["resolved"] for row in rows]},
			],
		},
		"title": _("Received vs Resolved Trend"),
		"type": "line",
		"fieldtype": "Int",
	}
	summary = [
		{
			"value": overall["received"],
			"label": _("Complaints Received"),
			"datatype": "Int",
			"indicator": "Blue",
		},
		{
			"value": overall["median_response_hours"],
			"label": _("Median Response Time (Hours)"),
			"datatype": "Float",
			"indicator": "Orange",
		},
		{
			"value": overall["resolution_rate"],
			"label": _("Resolution Rate"),
			"datatype": "Percent",
			"indicator": "Green",
		},
		{
			"value": overall["mean_satisfaction"],
			"label": _("Mean Satisfaction"),
			"datatype": "Float",
			"indicator": "Blue",
		},
	]
	return performance_columns(), rows, None, chart, summary


# --- Complaint Category Pareto -----------------------------------------------------------------


def dimension_counts(dimension: str, filters: dict, from_date, to_date) -> dict[str, int]:
	"""Complaints per value of the dimension's field (one grouped query); blanks become "Not Set"."""
	field = COMPLAINT[DIMENSIONS[dimension]]
	query = frappe.qb.from_(COMPLAINT).select(field, Count(COMPLAINT.name)).groupby(field)
	counts: dict[str, int] = {}
	for value, count in filtered(query, filters, from_date, to_date).run():
		label = value or _("Not Set")
		counts[label] = counts.get(label, 0) + count
	return counts


def pareto_columns(dimension: str) -> list[dict]:
	return [
		{"fieldname": "label", "label": _(dimension), "fieldtype": "Data", "width": 200},
		{"fieldname": "count", "label": _("Complaints"), "fieldtype": "Int", "width": 110},
		{"fieldname": "share", "label": _("Share"), "fieldtype": "Percent", "width": 110},
		{"fieldname": "cumulative", "label": _("Cumulative Share"), "fieldtype": "Percent", "width": 140},
	]


def pareto(filters: dict | None) -> tuple:
	"""Columns, rows and chart of the Complaint Category Pareto report."""
	filters = frappe._dict(filters or {})
	dimension = filters.get("dimension") or "Category"
	from_date, to_date = date_range(filters)
	columns = pareto_columns(dimension)
	if dimension not in DIMENSIONS:
		return unusable(columns, _("Dimension must be Category, Store or Product."))
	if from_date > to_date:
		return unusable(columns, _("From Date must be on or before To Date."))
	rows = metrics.pareto(dimension_counts(dimension, filters, from_date, to_date).items())
	data = [
		{"label": row.label, "count": row.count, "share": row.share, "cumulative": row.cumulative}
		for row in rows
	]
	chart = {
		"data": {
			"labels": [row.label for row in rows],
			"datasets": [{"name": _("Complaints"), "values": [row.count for row in rows]}],
		},
		"title": _("Complaint Hotspots"),
		"type": "bar",
		"fieldtype": "Int",
	}
	return columns, data, None, chart, []
