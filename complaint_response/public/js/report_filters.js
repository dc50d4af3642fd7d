// The filters and the drill-down link the app's query reports share. A report's script starts with
// Frappe's include directive naming this file (complaint_response/public/js/report_filters.js), which
// Frappe replaces with the file when it serves the script (query_report.get_script, render_include).
frappe.provide("complaint_response.reports");

// From and To dates, the last `days` days by default.
complaint_response.reports.date_range = function (days = 30) {
	return [
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_days(frappe.datetime.get_today(), -days),
			reqd: 1,
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
	];
};

// Which complaints: category, store, the company (where ERPNext is installed: it adds the field to
// Complaint) and severity; `company` and `severity` false leave those out.
complaint_response.reports.complaint_filters = function ({ severity = true, company = true } = {}) {
	const filters = [
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
	];
	if (company && frappe.boot.versions && frappe.boot.versions.erpnext) {
		filters.push({
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
		});
	}
	if (severity) {
		filters.push({
			fieldname: "severity",
			label: __("Severity"),
			fieldtype: "Select",
			options: [
				{ value: "", label: "" },
				{ value: "General", label: __("General", null, "Complaint") },
				{ value: "Major", label: __("Major") },
				{ value: "Group", label: __("Group", null, "Complaint") },
			],
		});
	}
	return filters;
};

// Drill-down: the first cell opens the list of the documents the row counts (data.route, built and
// URL-encoded on the server); the text is escaped.
complaint_response.reports.drill_formatter = function (value, row, column, data, default_formatter) {
	if (column.fieldname === "label" && data && data.route) {
		const href = frappe.utils.escape_html(data.route);
		return `<a href="${href}">${frappe.utils.escape_html(String(data.label ?? ""))}</a>`;
	}
	return default_formatter(value, row, column, data);
};
