// Copyright (c) 2026, Complaint Response Contributors
// For license information, please see license.txt
{% include "complaint_response/public/js/report_filters.js" %}

frappe.query_reports["Complaint Category Pareto"] = {
	filters: [
		...complaint_response.reports.date_range(),
		{
			fieldname: "dimension",
			label: __("Dimension"),
			fieldtype: "Select",
			options: [
				{ value: "Category", label: __("Category") },
				{ value: "Store", label: __("Store") },
				{ value: "Product", label: __("Product") },
			],
			default: "Category",
			reqd: 1,
		},
	],
};
