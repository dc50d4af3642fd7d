"""The Crisis Alert form's connections: the improvement actions (整改) it led to."""

from frappe import _


def get_data() -> dict:
	return {
		"fieldname": "source_crisis_alert",
		"transactions": [{"label": _("Improvement"), "items": ["Improvement Action"]}],
	}
