// Copyright (c) 2026, Complaint Response Contributors
// For license information, please see license.txt
{% include "complaint_response/public/js/report_filters.js" %}

frappe.query_reports["Repeat Complainants"] = {
	filters: [
		...complaint_response.reports.date_range(),
		...complaint_response.reports.complaint_filters(),
	],
	// Drill-down: the first cell links to the documents the row counts.
	formatter: complaint_response.reports.drill_formatter,
};
