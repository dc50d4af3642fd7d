"""Helpers shared by the integration tests (they run on a real site)."""

import frappe


def make_user(email: str, roles: list[str]) -> str:
	"""A system user holding exactly `roles` (created once, roles reset on every call)."""
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": email.split("@")[0],
				"send_welcome_email": 0,
				"user_type": "System User",
			}
		).insert(ignore_permissions=True)
	user = frappe.get_doc("User", email)
	user.set("roles", [])
	user.add_roles(*roles)
	return email


def complaint_count() -> int:
	return frappe.db.count("Complaint")


def new_complaint(**values) -> "frappe.model.document.Document":
	doc = {
		"doctype": "Complaint",
		"complainant_name": "Li Wei",
		"contact_phone": "+86-138-0000-0000",
		"channel": "Phone",
		"category": "Service",
		"description": "<p>Waited 40 minutes at the counter and was told to come back tomorrow.</p>",
		"store_branch": "Shanghai Xuhui",
	}
	doc.update(values)
	return frappe.get_doc(doc)
