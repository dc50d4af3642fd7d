// The desk forms of a Helpdesk ticket and an ERPNext issue: raise a complaint from it (升级为投诉), or
// open the one raised and see its stage. Loaded for both forms (hooks.doctype_js).
const complaint_actions = (method, argname) => ({
	refresh(frm) {
		if (frm.is_new()) return;
		if (frm.doc.complaint) {
			frm.add_custom_button(
				__("Complaint {0}: {1}", [frm.doc.complaint, __(frm.doc.complaint_stage || "")]),
				() => frappe.set_route("Form", "Complaint", frm.doc.complaint)
			);
			return;
		}
		if (!frappe.model.can_create("Complaint")) return;
		frm.add_custom_button(__("Raise Complaint"), () =>
			frappe.call({
				method,
				args: { [argname]: frm.doc.name },
				freeze: true,
				callback: (r) => {
					frappe.show_alert({ message: __("Complaint {0} raised", [r.message.name]), indicator: "green" });
					frappe.set_route("Form", "Complaint", r.message.name);
				},
			})
		);
	},
});

frappe.ui.form.on("HD Ticket", complaint_actions("complaint_response.integrations.helpdesk.raise_complaint", "ticket"));
frappe.ui.form.on("Issue", complaint_actions("complaint_response.integrations.erpnext.raise_complaint", "issue"));
