frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Complaints Received vs Resolved"] = {
	method: "complaint_response.complaint_response.dashboard_chart_source.complaints_received_vs_resolved.complaints_received_vs_resolved.get",
	filters: [],
};
