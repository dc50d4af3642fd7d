# Copyright (c) 2026, Complaint Response Contributors
# For license information, please see license.txt

"""Dashboard Chart Source: complaints received and resolved (customer told the outcome) per week, the
last twelve weeks (complaint_response.dashboard.weekly_counts)."""

import frappe

from complaint_response.dashboard import received_vs_resolved_chart


@frappe.whitelist()
def get(
	chart_name: str | None = None,
	chart: str | dict | None = None,
	no_cache: int | str | None = None,
	filters: str | dict | None = None,
	from_date: str | None = None,
	to_date: str | None = None,
	timespan: str | None = None,
	time_interval: str | None = None,
	heatmap_year: str | int | None = None,
	refresh: int | str | None = None,
) -> dict:
	return received_vs_resolved_chart()
