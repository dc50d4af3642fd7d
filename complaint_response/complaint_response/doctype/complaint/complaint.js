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
		const closed = ["Closed", "Reviewed", "Rejected"].includes(frm.doc.stage);
		if (closed && !frm.doc.anonymised_on && frappe.user.has_role(["Complaint Manager", "System Manager"])) {
			// PIPL / GDPR: the customer asks to be forgotten; the figures stay (lifecycle/personal_data.py)
			frm.add_custom_button(
				__("Anonymise"),
				() =>
					frappe.prompt(
						{
							fieldname: "reason",
							fieldtype: "Small Text",
							label: __("Why"),
							reqd: 1,
							description: __(
								"The complainant's name, phone, email, the description, notes, files and emails of this complaint are removed for good. Its category, dates, clocks, amounts and satisfaction stay for the statistics."
							),
						},
						({ reason }) =>
							frappe.confirm(__("Anonymise complaint {0}? This cannot be undone.", [frm.doc.name]), () =>
								frm.call("anonymise", { reason }).then(() => frm.reload_doc())
							),
						__("Anonymise Complaint"),
						__("Anonymise")
					)
				// not in a group: a group named "Actions" would stand beside the workflow's own Actions menu
			);
		}
		const complaint_case = (frm.doc.__onload || {}).complaint_case;
		if (complaint_case) {
			frm.add_custom_button(__("Open Case"), () => frappe.set_route("Form", "Complaint Case", complaint_case));
		} else if (
			frm.doc.stage === "Reviewed" &&
			frappe.user.has_role(["Complaint Manager", "Quality Officer", "System Manager"])
		) {
			// 案例库: a copy for training without the complainant (case_library.py); one case per complaint
			frm.add_custom_button(__("Add to Case Library"), () =>
				frappe.confirm(
					__(
						"Add complaint {0} to the case library? The case leaves out the complainant's name, phone numbers and e-mail addresses; read it before it is used for training.",
						[frm.doc.name]
					),
					() =>
						frm
							.call({ method: "add_to_case_library", doc: frm.doc, freeze: true })
							.then((r) => r.message && frappe.set_route("Form", "Complaint Case", r.message))
				)
			);
		}
		const refund = (frm.doc.resolution_lines || []).some((line) => line.resolution_type === "Refund");
		if (frm.doc.sales_invoice && refund && !frm.doc.credit_note) {
			// ERPNext sites: a draft return against the invoice for the refund; finance submits it
			frm.add_custom_button(
				__("Draft Credit Note"),
				() =>
					frappe
						.call({
							method: "complaint_response.integrations.erpnext.make_credit_note",
							args: { complaint: frm.doc.name },
							freeze: true,
						})
						.then((r) => frappe.set_route("Form", "Sales Invoice", r.message)),
				__("Create")
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
	customer(frm) {
		// ERPNext sites: the customer's primary contact fills the blank complainant fields
		if (!frm.doc.customer) return;
		frappe
			.call({
				method: "complaint_response.integrations.erpnext.customer_details",
				args: { customer: frm.doc.customer },
			})
			.then((r) => {
				Object.entries(r.message || {}).forEach(([fieldname, value]) => {
					if (value && !frm.doc[fieldname]) frm.set_value(fieldname, value);
				});
			});
	},
});
