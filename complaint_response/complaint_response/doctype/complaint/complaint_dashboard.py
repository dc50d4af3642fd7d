"""The Complaint form's connections: the improvement actions (整改) it led to and its case in the case
library (案例库)."""

from frappe import _


def get_data() -> dict:
	return {
		"fieldname": "source_complaint",
		"transactions": [
			{"label": _("Improvement"), "items": ["Improvement Action"]},
			{"label": _("Case Library"), "items": ["Complaint Case"]},
		],
	}
