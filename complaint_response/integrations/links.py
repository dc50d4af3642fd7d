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
		{
			"fieldname": "sales_invoice",
			"label": "Sales Invoice",
			"fieldtype": "Link",
			"options": "Sales Invoice",
			"insert_after": "issue",
			"description": "The invoice a refund is for: a Refund line can draft a credit note against it.",
		},
		{
			"fieldname": "credit_note",
			"label": "Credit Note",
			"fieldtype": "Link",
			"options": "Sales Invoice",
			"insert_after": "sales_invoice",
			"read_only": 1,
			"no_copy": 1,
			"description": "The draft credit note made for the refund; finance submits it.",
		},
	],
}

TARGET_DOCTYPE = "Complaint"

# app -> fields this app adds to that app's own DocTypes: the complaint raised from a ticket and its
# current stage, shown on the ticket.
BACK_LINK = {
	"fieldname": "complaint",
	"label": "Complaint",
	"fieldtype": "Link",
	"options": "Complaint",
	"read_only": 1,
	"no_copy": 1,
	"search_index": 1,
}
BACK_STAGE = {
	"fieldname": "complaint_stage",
	"label": "Complaint Stage",
	"fieldtype": "Data",
	"read_only": 1,
	"no_copy": 1,
}
APP_BACK_FIELDS: dict[str, dict[str, list[dict]]] = {
	"helpdesk": {
		"HD Ticket": [
			{**BACK_LINK, "insert_after": "agent_group"},
			{**BACK_STAGE, "insert_after": "complaint"},
		]
	},
	"erpnext": {
		"Issue": [
			{**BACK_LINK, "insert_after": "issue_type"},
			{**BACK_STAGE, "insert_after": "complaint"},
		]
	},
}


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
	fields = APP_LINK_FIELDS.get(app)
	if not fields or not frappe.db.table_exists(TARGET_DOCTYPE):
		return
	sync_custom_fields(TARGET_DOCTYPE, fields)
	for doctype, back_fields in APP_BACK_FIELDS.get(app, {}).items():
		if frappe.db.table_exists(doctype):
			sync_custom_fields(doctype, back_fields)
	if app == "helpdesk":
		from complaint_response.integrations.helpdesk import ensure_form_script

		ensure_form_script()


def sync_custom_fields(doctype: str, fields: list[dict]) -> None:
	"""Create the missing fields and update those whose definition changed; leave the rest alone.
	Saving a Custom Field re-syncs its table's schema (an ALTER TABLE on large tables, and an implicit
	commit), so an unchanged field is never saved again."""
	from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

	changed = []
	for field in fields:
		wanted = {**field, "module": "Complaint Response"}
		stored = frappe.db.get_value(
			"Custom Field", {"dt": doctype, "fieldname": field["fieldname"]}, list(wanted), as_dict=True
		)
		if not stored or any(str(stored.get(key) or "") != str(value or "") for key, value in wanted.items()):
			changed.append(wanted)
	if changed:
		create_custom_fields({doctype: changed}, update=True)


def remove_links(app: str) -> None:
	fields = [(TARGET_DOCTYPE, field) for field in APP_LINK_FIELDS.get(app, ())]
	fields += [(dt, field) for dt, back in APP_BACK_FIELDS.get(app, {}).items() for field in back]
	for doctype, field in fields:
		name = frappe.db.get_value("Custom Field", {"dt": doctype, "fieldname": field["fieldname"]})
		if name:
			frappe.delete_doc("Custom Field", name, ignore_permissions=True, force=True)


def remove_all_links() -> None:
	from complaint_response.integrations.helpdesk import remove_form_script

	for app in APP_LINK_FIELDS:
		remove_links(app)
	remove_form_script()


def after_app_install(app_name: str) -> None:
	if app_name in APP_LINK_FIELDS:
		add_links(app_name)
	if app_name == "helpdesk":
		from complaint_response.integrations.helpdesk import sync_all_team_rules

		sync_all_team_rules()


def before_app_uninstall(app_name: str) -> None:
	if app_name in APP_LINK_FIELDS:
		remove_links(app_name)
