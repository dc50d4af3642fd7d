// Copyright (c) 2026, Complaint Response Contributors
// For license information, please see license.txt
{% include "complaint_response/public/js/report_filters.js" %}

frappe.query_reports["Complaint Performance"] = {
	filters: [
		...complaint_response.reports.date_range(),
		{
			fieldname: "period",
			label: __("Period"),
			fieldtype: "Select",
			options: [
				{ value: "Weekly", label: __("Weekly") },
				{ value: "Monthly", label: __("Monthly") },
			],
			default: "Weekly",
			reqd: 1,
		},
		...complaint_response.reports.complaint_filters(),
	],
};
