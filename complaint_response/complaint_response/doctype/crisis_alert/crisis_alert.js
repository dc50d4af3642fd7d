// Copyright (c) 2026, Complaint Response Contributors
// For license information, please see license.txt

frappe.ui.form.on("Crisis Alert", {
	refresh(frm) {
		if (frm.is_new()) {
			return;
		}
		if (frm.doc.is_drill) {
			frm.set_intro(__("Drill (演练): no customer will be contacted."), "yellow");
		}
		if (!frappe.model.has_workflow(frm.doctype)) {
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
		add_statement_buttons(frm);
		if (frm.doc.placation_message && (frm.doc.affected_customers || []).some((r) => !r.placation_sent_on)) {
			frm.add_custom_button(__("Send Apology to Affected Customers"), () =>
				frappe.confirm(__("Send the apology to every affected customer not contacted yet?"), () =>
					frm.call("send_placation").then(() =>
						frappe.show_alert({ message: __("Queued: the apology goes out in the background."), indicator: "green" })
					)
				)
			);
		}
		if (["Recovering", "Closed", "Reviewed"].includes(frm.doc.stage)) {
			frm.add_custom_button(
				__("Improvement Action"),
				() =>
					frappe.prompt(
						{ fieldname: "title", fieldtype: "Data", label: __("Title"), reqd: 1 },
						(values) =>
							frm.call("make_improvement_action", { title: values.title }).then((r) => {
								if (r.message) {
									frappe.set_route("Form", "Improvement Action", r.message);
								}
							}),
						__("New Improvement Action")
					),
				__("Create")
			);
		}
	},
});

function add_statement_buttons(frm) {
	if (!frm.doc.statement_draft || frm.doc.statement_released_on) {
		return;
	}
	const approver = frappe.user.has_role("Legal Counsel") || frappe.user.has_role("Communications Officer");
	if (approver) {
		frm.add_custom_button(
			__("Approve"),
			() => frm.call("approve_statement").then(() => frm.reload_doc()),
			__("Statement")
		);
	}
	if (frm.doc.legal_approved_on && frm.doc.comms_approved_on) {
		frm.add_custom_button(
			__("Release"),
			() =>
				frappe.confirm(__("Release the statement? Its text is frozen from then on."), () =>
					frm.call("release_statement").then(() => frm.reload_doc())
				),
			__("Statement")
		);
	}
}
