// Copyright (c) 2026, Complaint Response Contributors
// For license information, please see license.txt

frappe.query_reports["Crisis Alert Statistics"] = {
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
