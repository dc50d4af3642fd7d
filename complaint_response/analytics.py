# Copyright (c) 2026, Complaint Response Contributors
# For license information, please see license.txt

"""The data behind the reports: grouped queries over complaints received in a date range, handed to
the plain metrics of `rules.metrics` (评估指标 and 热点)."""

import frappe
from frappe import _
from frappe.query_builder import Case, DocType
from frappe.query_builder.functions import Count, Sum
from frappe.utils import add_days, getdate, today

from complaint_response.rules import metrics

COMPLAINT = DocType("Complaint")
TIME_NODE = DocType("Complaint Time Node")

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


def filtered(query, filters: dict, from_date, to_date):
	"""`query` narrowed to complaints received within the dates and matching the field filters."""
	query = query.where(COMPLAINT.received_on >= from_date).where(
		COMPLAINT.received_on < add_days(to_date, 1)
	)
	for field in FIELD_FILTERS:
		if filters.get(field):
			query = query.where(COMPLAINT[field] == filters[field])
	return query


# --- Complaint Performance ---------------------------------------------------------------------


def resolved_on_time(filters: dict, from_date, to_date) -> set[str]:
	"""Complaints whose every Resolution time node was Met (none Met Late, Breached or still open)."""
	met = Sum(Case().when(TIME_NODE.clock_status == "Met", 1).else_(0))
	query = (
		frappe.qb.from_(TIME_NODE)
		.join(COMPLAINT)
		.on(TIME_NODE.parent == COMPLAINT.name)
		.select(TIME_NODE.parent)
		.where(TIME_NODE.parenttype == "Complaint")
		.where(TIME_NODE.parentfield == "time_nodes")
		.where(TIME_NODE.node == RESOLUTION_NODE)
		.groupby(TIME_NODE.parent)
		.having(Count(TIME_NODE.name) == met)
	)
	return {row[0] for row in filtered(query, filters, from_date, to_date).run()}


def complaint_facts(filters: dict, from_date, to_date) -> list[metrics.ComplaintFacts]:
	"""The few fields the metrics need of each complaint in range (medians need the values)."""
	query = frappe.qb.from_(COMPLAINT).select(
		COMPLAINT.name,
		COMPLAINT.received_on,
		COMPLAINT.first_response_on,
		COMPLAINT.customer_informed_on,
		COMPLAINT.satisfaction,
		COMPLAINT.stage,
	)
	on_time = resolved_on_time(filters, from_date, to_date)
	return [
		metrics.ComplaintFacts(
			received_on=row.received_on,
			first_response_on=row.first_response_on,
			resolved_on=row.customer_informed_on,
			satisfaction=row.satisfaction,
			stage=row.stage,
			resolved_on_time=row.name in on_time,
		)
		for row in filtered(query, filters, from_date, to_date).run(as_dict=True)
	]


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
	facts = complaint_facts(filters, from_date, to_date)
	rows = metrics.performance_rows(facts, from_date, to_date, period)
	overall = metrics.measure(facts)

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
