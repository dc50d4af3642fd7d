// Copyright (c) 2026, Complaint Response Contributors
// For license information, please see license.txt

frappe.query_reports["Complaint Category Pareto"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_days(frappe.datetime.get_today(), -30),
			reqd: 1,
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
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
