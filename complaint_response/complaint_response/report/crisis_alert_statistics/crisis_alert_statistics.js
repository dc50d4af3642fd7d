// Copyright (c) 2026, Complaint Response Contributors
// For license information, please see license.txt
{% include "complaint_response/public/js/report_filters.js" %}

frappe.query_reports["Crisis Alert Statistics"] = {
	filters: [
		...complaint_response.reports.date_range(),
		{
			fieldname: "dimension",
			label: __("Dimension"),
			fieldtype: "Select",
			options: [
				{ value: "Level", label: __("Level") },
				{ value: "Crisis Type", label: __("Crisis Type") },
			],
			default: "Level",
			reqd: 1,
		},
		{
			fieldname: "crisis_type",
			label: __("Crisis Type"),
			fieldtype: "Link",
			options: "Crisis Type",
		},
		{
			fieldname: "level",
			label: __("Level"),
			fieldtype: "Select",
			options: ["", "I", "II", "III", "IV"],
		},
	],
	// Drill-down: the first cell links to the documents the row counts.
	formatter: complaint_response.reports.drill_formatter,
};
