"""The Complaint form's connections: the improvement actions (整改) it led to."""

from frappe import _


def get_data() -> dict:
	return {
		"fieldname": "source_complaint",
		"transactions": [{"label": _("Improvement"), "items": ["Improvement Action"]}],
	}
