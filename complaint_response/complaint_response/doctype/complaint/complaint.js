// Copyright (c) 2026, Complaint Response Contributors
// For license information, please see license.txt

// Next stages a user may be offered when the site runs complaints without a workflow.
// The server checks roles and preconditions again (rules/stages.py); this only draws buttons.
const COMPLAINT_MOVES = {
	Received: ["Classified", "Customer Informed", "Rejected"],
	Classified: ["Assigned", "Customer Informed", "Rejected"],
	Assigned: ["Investigating", "Customer Informed", "Rejected"],
	Investigating: ["Resolution Proposed"],
	"Resolution Proposed": ["Resolution Approved", "Investigating"],
	"Resolution Approved": ["Customer Informed"],
	"Customer Informed": ["Follow-up"],
	"Follow-up": ["Closed", "Reopened"],
	Closed: ["Reviewed", "Reopened"],
	Reviewed: [],
	Reopened: ["Assigned", "Investigating"],
	Rejected: ["Reopened"],
};

frappe.ui.form.on("Complaint", {
	refresh(frm) {
		if (frm.is_new()) {
			return;
		}
		if (!frappe.model.has_workflow(frm.doctype)) {
			(COMPLAINT_MOVES[frm.doc.stage] || []).forEach((stage) => {
				frm.add_custom_button(
					__(stage),
					() => frm.call("set_stage", { stage }).then(() => frm.reload_doc()),
					__("Move To")
				);
			});
		}
		if (["Closed", "Reviewed"].includes(frm.doc.stage)) {
			frm.add_custom_button(__("Improvement Action"), () =>
				frm.call("make_improvement_action").then((r) => {
					if (r.message) {
						frappe.set_route("Form", "Improvement Action", r.message);
					}
				}), __("Create")
			);
		}
		frm.set_intro("");
		if (frm.doc.grading_reasons) {
			frm.set_intro(
				__("Graded {0} / {1}: {2}", [
					__(frm.doc.graded_severity),
					__(frm.doc.graded_priority),
					frappe.utils.escape_html(frm.doc.grading_reasons).replace(/\n/g, "; "),
				]),
				frm.doc.crisis_worthy ? "red" : "blue"
			);
		}
	},
});
