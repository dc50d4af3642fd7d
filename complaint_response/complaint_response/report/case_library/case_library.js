// Copyright (c) 2026, Complaint Response Contributors
// For license information, please see license.txt
{% include "complaint_response/public/js/report_filters.js" %}

// 案例库: the cases holding a keyword (found as typed), of a category, store and severity, received
// between two dates; the dates are optional here (the whole library by default)
frappe.query_reports["Case Library"] = {
	filters: [
		{
			fieldname: "keyword",
			label: __("Keyword"),
			fieldtype: "Data",
		},
		...complaint_response.reports.complaint_filters({ company: false }),
		...complaint_response.reports.date_range().map((f) => ({ ...f, default: undefined, reqd: 0 })),
	],
};
