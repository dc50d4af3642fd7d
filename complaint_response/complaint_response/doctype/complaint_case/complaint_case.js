// Copyright (c) 2026, Complaint Response Contributors
// For license information, please see license.txt

frappe.ui.form.on("Complaint Case", {
	refresh(frm) {
		// the server scrubs every save (case_library.py); what it cannot know is left to the editor
		frm.set_intro(
			__(
				"A case for training, without the complainant: their name, phone numbers and e-mail addresses are replaced on every save. Remove anything else that could identify them (an address, a relative's name) before the case is used."
			),
			"blue"
		);
	},
});
