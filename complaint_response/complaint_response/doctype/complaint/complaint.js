// Copyright (c) 2026, Complaint Response Contributors
// For license information, please see license.txt

frappe.ui.form.on("Complaint", {
	refresh(frm) {
		if (frm.is_new() && !frm.doc.received_on) {
			frm.set_value("received_on", frappe.datetime.now_datetime());
		}
	},
});
