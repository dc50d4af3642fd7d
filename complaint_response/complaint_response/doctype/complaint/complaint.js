// Copyright (c) 2026, Complaint Response Contributors
// For license information, please see license.txt

frappe.ui.form.on("Complaint", {
	refresh(frm) {
		if (frm.is_new()) {
			return;
		}
		if (!frappe.model.has_workflow(frm.doctype)) {
			// the stages this user may move to (rules/stages.py); the server checks again on the move
			frm.call("next_stages").then((r) => {
				(r.message || []).forEach((stage) => {
					frm.add_custom_button(
						__(stage),
						() => frm.call("set_stage", { stage }).then(() => frm.reload_doc()),
						__("Move To")
					);
				});
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
