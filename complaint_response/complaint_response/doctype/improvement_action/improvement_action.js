// Copyright (c) 2026, Complaint Response Contributors
// For license information, please see license.txt

frappe.ui.form.on("Improvement Action", {
	refresh(frm) {
		if (frm.is_new()) {
			return;
		}
		if (!frappe.model.has_workflow(frm.doctype)) {
			// the statuses this user may move to (rules/effect.py); the server checks again on the move
			frm.call("next_statuses").then((r) => {
				(r.message || []).forEach((status) => {
					frm.add_custom_button(
						__(status),
						() => frm.call("set_status", { status }).then(() => frm.reload_doc()),
						__("Move To")
					);
				});
			});
		}
		if (frm.doc.implemented_on && ["Implemented", "Verifying"].includes(frm.doc.status)) {
			// the numbers so far; the daily job stores the final ones when the window ends
			frm.add_custom_button(__("Measure Now"), () =>
				frm.call("measure_now").then((r) => show_interim(r.message))
			);
		}
	},
});

function show_interim(m) {
	if (!m) {
		return;
	}
	const row = (label, value) =>
		`<tr><th>${frappe.utils.escape_html(label)}</th><td>${frappe.utils.escape_html(String(value))}</td></tr>`;
	const fixed = (value, digits) => (value === null || value === undefined ? "-" : Number(value).toFixed(digits));
	frappe.msgprint({
		title: m.window_complete ? __("Measured Effect") : __("Interim Effect"),
		indicator: m.proposed_effect === "Effective" ? "green" : "orange",
		message:
			`<table class="table table-bordered">` +
			row(__("Complaints Before"), `${m.before_count} / ${fixed(m.before_days, 1)}`) +
			row(__("Complaints After"), `${m.after_count} / ${fixed(m.after_days, 1)}`) +
			row(__("Rate Ratio"), fixed(m.rate_ratio, 3)) +
			row(__("P-Value"), fixed(m.p_value, 6)) +
			row(__("Proposed Effect"), __(m.proposed_effect)) +
			`</table><p>${frappe.utils.escape_html(m.effect_note)}</p>`,
	});
}
