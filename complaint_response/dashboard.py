# Copyright (c) 2026, Complaint Response Contributors
# For license information, please see license.txt

"""The management view's figures that a Number Card's filters cannot say: the number cards of type
"Custom" and the weekly received-vs-resolved chart (Dashboard Chart Source "Complaints Received vs
Resolved") call these, and the weekly digest (jobs/digest.py) counts with the same functions."""

from datetime import date

import frappe
from frappe.utils import add_days, getdate, now_datetime, today

from complaint_response.analytics import PERIOD_START_SQL
from complaint_response.rules import metrics

# Improvement Action statuses that are no longer open work, under the old status set (Open, In
# Progress, Implemented, Verified, Cancelled) and the new one (… Verifying, Effective, Closed): any
# other status, or none, counts as open, whichever set the DocType has on this site.
CLOSED_ACTION_STATUSES: tuple[str, ...] = (
	"Implemented",
	"Verifying",
	"Effective",
	"Closed",
	"Verified",
	"Cancelled",
)
SATISFACTION_DAYS = 30
CHART_WEEKS = 12


def count_overdue_actions(on: date | None = None) -> int:
	"""Overdue open Improvement Actions, all of them (the digest's figure)."""
	return int(
		frappe.db.sql(
			"""SELECT COUNT(*) FROM `tabImprovement Action`
			WHERE due_date < %(day)s AND IFNULL(status, '') NOT IN %(closed)s""",
			{"day": getdate(on or today()), "closed": CLOSED_ACTION_STATUSES},
		)[0][0]
	)


@frappe.whitelist()
def overdue_improvement_actions(filters: str | dict | None = None) -> dict:
	"""Number Card "Overdue Improvement Actions": open actions past their due date that the user may
	read; a click opens the list of them."""
	day = getdate(today())
	rows = frappe.get_list(
		"Improvement Action",
		filters=[["due_date", "<", day], ["status", "not in", list(CLOSED_ACTION_STATUSES)]],
		fields=["count(name) as count"],
	)
	unset = frappe.get_list(
		"Improvement Action",
		filters=[["due_date", "<", day], ["status", "is", "not set"]],
		fields=["count(name) as count"],
	)
	value = int(rows[0].count or 0) + int(unset[0].count or 0)
	return {
		"value": value,
		"fieldtype": "Int",
		"route": ["List", "Improvement Action"],
		"route_options": {
			"due_date": ["<", str(day)],
			"status": ["not in", list(CLOSED_ACTION_STATUSES)],
		},
	}


def mean_satisfaction_since(since) -> tuple[float | None, int]:
	"""The mean follow-up score (1-5) of the follow-ups recorded since `since`, and how many there were,
	over the complaints the user may read."""
	rows = frappe.get_list(
		"Complaint",
		filters=[["followed_up_on", ">=", since], ["satisfaction", ">=", 1], ["satisfaction", "<=", 5]],
		fields=["sum(satisfaction) as total", "count(name) as count"],
	)
	count = int(rows[0].count or 0) if rows else 0
	if not count:
		return None, 0
	return round(int(rows[0].total) / count, 2), count


@frappe.whitelist()
def satisfaction_30_days(filters: str | dict | None = None) -> dict | str:
	"""Number Card "Satisfaction (30 Days)": the mean follow-up score of the last 30 days; a dash when
	nobody was followed up."""
	since = add_days(now_datetime(), -SATISFACTION_DAYS)
	mean, _count = mean_satisfaction_since(since)
	if mean is None:
		return "–"
	return {
		"value": mean,
		"fieldtype": "Float",
		"precision": 2,  # the card formats with it (4.02, not the system's 4.020)
		"route": ["List", "Complaint"],
		"route_options": {"followed_up_on": [">=", str(since)]},
	}


def weekly_counts(
	weeks: int = CHART_WEEKS, on: date | None = None
) -> tuple[list[date], list[int], list[int]]:
	"""The Mondays of the last `weeks` weeks up to the one holding `on` (today), and per week the
	complaints received and the complaints resolved (customer told the outcome): two grouped queries."""
	last = metrics.period_start(getdate(on or today()), metrics.WEEKLY)
	starts = [add_days(last, -7 * i) for i in range(weeks - 1, -1, -1)]
	first, end = starts[0], add_days(last, 7)

	def per_week(field: str) -> dict:
		start_sql = PERIOD_START_SQL[metrics.WEEKLY].replace("c.received_on", f"c.`{field}`")
		rows = frappe.db.sql(
			f"""SELECT {start_sql} AS week, COUNT(*) AS count FROM `tabComplaint` c
			WHERE c.`{field}` >= %(first)s AND c.`{field}` < %(end)s GROUP BY week""",
			{"first": first, "end": end},
		)
		return {getdate(week): int(count) for week, count in rows}

	received, resolved = per_week("received_on"), per_week("customer_informed_on")
	return starts, [received.get(s, 0) for s in starts], [resolved.get(s, 0) for s in starts]


def received_vs_resolved_chart(weeks: int = CHART_WEEKS) -> dict:
	"""The chart's data: one label per week (its Monday, MM-DD), a line for received and one for resolved."""
	from frappe import _

	frappe.has_permission("Complaint", "read", throw=True)
	starts, received, resolved = weekly_counts(weeks)
	return {
		"labels": [s.strftime("%m-%d") for s in starts],
		"datasets": [
			{"name": _("Received"), "values": received},
			{"name": _("Resolved"), "values": resolved},
		],
	}
