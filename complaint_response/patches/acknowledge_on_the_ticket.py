"""The Complaint Acknowledgement email skips complaints raised from a Helpdesk ticket (they are
acknowledged on the ticket): update the shipped condition on sites where the admin kept it."""

import frappe

from complaint_response.setup.notifications import EARLIER_CONDITIONS


def execute() -> None:
	for name, (earlier, now) in EARLIER_CONDITIONS.items():
		if frappe.db.get_value("Notification", name, "condition") == earlier:
			frappe.db.set_value("Notification", name, "condition", now)
