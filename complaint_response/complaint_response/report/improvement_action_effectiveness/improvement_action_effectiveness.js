// Copyright (c) 2026, Complaint Response Contributors
// For license information, please see license.txt
{% include "complaint_response/public/js/report_filters.js" %}

frappe.query_reports["Improvement Action Effectiveness"] = {
	filters: [
		...complaint_response.reports.date_range(),
		{
			fieldname: "dimension",
			label: __("Dimension"),
			fieldtype: "Select",
			options: [
				{ value: "Status", label: __("Status") },
				{ value: "Proposed Effect", label: __("Proposed Effect") },
				{ value: "Confirmed Effect", label: __("Confirmed Effect") },
			],
			default: "Status",
			reqd: 1,
		},
		...complaint_response.reports.complaint_filters({ severity: false, company: false }),
	],
	// Drill-down: the first cell links to the documents the row counts.
	formatter: complaint_response.reports.drill_formatter,
};
