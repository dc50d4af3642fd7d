// Copyright (c) 2026, Complaint Response Contributors
// For license information, please see license.txt
{% include "complaint_response/public/js/report_filters.js" %}

frappe.query_reports["Complaint Stage Time"] = {
	filters: [
		...complaint_response.reports.date_range(),
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: [
				{ value: "Weekly", label: __("Weekly") },
				{ value: "Monthly", label: __("Monthly") },
				{ value: "Category", label: __("Category") },
			],
			default: "Weekly",
			reqd: 1,
		},
		...complaint_response.reports.complaint_filters(),
	],
	// Drill-down: the first cell links to the documents the row counts.
	formatter: complaint_response.reports.drill_formatter,
};
