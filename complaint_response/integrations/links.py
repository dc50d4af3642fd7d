"""Links from a Complaint to the documents of other apps (Helpdesk, ERPNext).

A standard DocType may not Link to a DocType of an app that may be absent, so these links are
Custom Fields, added when the other app is on the site and removed when it leaves. Each function
returns early when its app is absent; the app works without any of them."""

import frappe

# app -> the fields it brings to Complaint, in the "Links" section.
APP_LINK_FIELDS: dict[str, list[dict]] = {
	"helpdesk": [
		{
			"fieldname": "hd_ticket",
			"label": "Helpdesk Ticket",
			"fieldtype": "Link",
			"options": "HD Ticket",
			"insert_after": "reference_name",
			"search_index": 1,
		},
		{
			"fieldname": "hd_team",
			"label": "Helpdesk Team",
			"fieldtype": "Link",
			"options": "HD Team",
			"insert_after": "complaint_owner",
			"description": "The team whose agents take this complaint in turn.",
		},
	],
	"erpnext": [
		{
			"fieldname": "company",
			"label": "Company",
			"fieldtype": "Link",
			"options": "Company",
			"insert_after": "channel",
			"description": "Regulatory clocks can apply to one company only.",
		},
		{
			"fieldname": "customer",
			"label": "Customer",
			"fieldtype": "Link",
			"options": "Customer",
			"insert_after": "reference_name",
			"search_index": 1,
		},
		{
			"fieldname": "item",
			"label": "Item",
			"fieldtype": "Link",
			"options": "Item",
			"insert_after": "customer",
		},
		{
			"fieldname": "issue",
			"label": "Support Issue",
			"fieldtype": "Link",
			"options": "Issue",
			"insert_after": "item",
		},
	],
}

TARGET_DOCTYPE = "Complaint"


def sync_links() -> None:
	"""Add the fields of every linked app that is installed, drop those of apps that are not."""
	from complaint_response.integrations.helpdesk import sync_all_team_rules

	installed = set(frappe.get_installed_apps())
	for app in APP_LINK_FIELDS:
		if app in installed:
			add_links(app)
		else:
			remove_links(app)
	sync_all_team_rules()


def add_links(app: str) -> None:
	from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

	fields = APP_LINK_FIELDS.get(app)
	if not fields or not frappe.db.table_exists(TARGET_DOCTYPE):
		return
	create_custom_fields(
		{TARGET_DOCTYPE: [{**field, "module": "Complaint Response"} for field in fields]}, update=True
	)


def remove_links(app: str) -> None:
	for field in APP_LINK_FIELDS.get(app, ()):
		name = frappe.db.get_value("Custom Field", {"dt": TARGET_DOCTYPE, "fieldname": field["fieldname"]})
		if name:
			frappe.delete_doc("Custom Field", name, ignore_permissions=True, force=True)


def remove_all_links() -> None:
	for app in APP_LINK_FIELDS:
		remove_links(app)


def after_app_install(app_name: str) -> None:
	if app_name in APP_LINK_FIELDS:
		add_links(app_name)
	if app_name == "helpdesk":
		from complaint_response.integrations.helpdesk import sync_all_team_rules

		sync_all_team_rules()


def before_app_uninstall(app_name: str) -> None:
	if app_name in APP_LINK_FIELDS:
		remove_links(app_name)
