// Copyright (c) 2026, Complaint Response Contributors
// For license information, please see license.txt
{% include "complaint_response/public/js/report_filters.js" %}

frappe.query_reports["Complaint Breakdown"] = {
	filters: [
		...complaint_response.reports.date_range(),
		{
			fieldname: "dimension",
			label: __("Dimension"),
			fieldtype: "Select",
			options: [
				{ value: "Channel", label: __("Channel") },
				{ value: "Severity", label: __("Severity") },
				{ value: "Store", label: __("Store") },
				{ value: "Product", label: __("Product") },
				{ value: "Category", label: __("Category") },
			],
			default: "Channel",
			reqd: 1,
		},
		...complaint_response.reports.complaint_filters(),
	],
	// Drill-down: the first cell links to the documents the row counts.
	formatter: complaint_response.reports.drill_formatter,
};
