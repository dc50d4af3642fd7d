// Copyright (c) 2026, Complaint Response Contributors
// For license information, please see license.txt

frappe.query_reports["Complaint Breakdown"] = {
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
				{ value: "Channel", label: __("Channel") },
				{ value: "Severity", label: __("Severity") },
				{ value: "Store", label: __("Store") },
				{ value: "Product", label: __("Product") },
				{ value: "Category", label: __("Category") },
			],
			default: "Channel",
			reqd: 1,
		},
		{
			fieldname: "category",
			label: __("Category"),
			fieldtype: "Link",
			options: "Complaint Category",
		},
		{
			fieldname: "store_branch",
			label: __("Store / Branch"),
			fieldtype: "Data",
		},
		{
			fieldname: "severity",
			label: __("Severity"),
			fieldtype: "Select",
			options: [
				{ value: "", label: "" },
				{ value: "General", label: __("General", null, "Complaint") },
				{ value: "Major", label: __("Major") },
				{ value: "Group", label: __("Group", null, "Complaint") },
			],
		},
	],
	// Drill-down: the first cell opens the list of the documents the row counts (data.route, built
	// and URL-encoded on the server); the text is escaped.
	formatter(value, row, column, data, default_formatter) {
		if (column.fieldname === "label" && data && data.route) {
			const href = frappe.utils.escape_html(data.route);
			return `<a href="${href}">${frappe.utils.escape_html(String(data.label ?? ""))}</a>`;
		}
		return default_formatter(value, row, column, data);
	},
};
