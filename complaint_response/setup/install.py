"""Install steps. Each one is small, runs on install and on every migrate, and is idempotent:
it creates what is missing and leaves alone what an admin has changed."""

import frappe

from complaint_response.integrations.links import remove_all_links, sync_links
from complaint_response.lifecycle.assignment import create_assignment_rule
from complaint_response.rules.grading import DEFAULT_RULES
from complaint_response.setup.roles import ROLES
from complaint_response.setup.workflow import create_workflow

# The complaint categories of the plans (分类). Admins add, rename or disable their own.
DEFAULT_CATEGORIES: tuple[tuple[str, str], ...] = (
	("Service", "Service quality, waiting, process (服务)"),
	("Product", "Product defects and function (产品)"),
	("Attitude", "Staff attitude and conduct (态度)"),
	("Quality", "Quality and safety of goods or food (质量)"),
	("Delivery", "Logistics and delivery (物流)"),
	("Price", "Pricing, billing and charges (价格)"),
	("Contract", "Contract terms and commitments (合同)"),
	("Other", "Anything else (其他)"),
)


def before_install() -> None:
	create_roles()


def after_install() -> None:
	after_migrate()


def after_migrate() -> None:
	create_roles()
	create_categories()
	create_grading_rules()
	create_workflow()
	create_assignment_rule()
	sync_links()


def before_uninstall() -> None:
	remove_all_links()


def create_roles() -> None:
	for role_name in ROLES:
		if frappe.db.exists("Role", role_name):
			continue
		frappe.get_doc({"doctype": "Role", "role_name": role_name, "desk_access": 1, "is_custom": 0}).insert(
			ignore_permissions=True
		)


def create_categories() -> None:
	if not frappe.db.table_exists("Complaint Category"):
		return
	for category_name, description in DEFAULT_CATEGORIES:
		if frappe.db.exists("Complaint Category", category_name):
			continue
		frappe.get_doc(
			{"doctype": "Complaint Category", "category_name": category_name, "description": description}
		).insert(ignore_permissions=True)


def create_grading_rules() -> None:
	"""The plan's grading rules, created once; admins tune, disable or add their own."""
	if frappe.db.count("Complaint Grading Rule"):
		return
	for sequence, rule in enumerate(DEFAULT_RULES, start=1):
		frappe.get_doc(
			{
				"doctype": "Complaint Grading Rule",
				"rule_name": rule.name,
				"enabled": int(rule.enabled),
				"rule_type": rule.rule_type,
				"sequence": sequence * 10,
				"keywords": "\n".join(rule.keywords),
				"threshold": rule.threshold,
				"category": rule.category,
				"severity": rule.severity,
				"priority": rule.priority,
				"crisis_worthy": int(rule.crisis_worthy),
			}
		).insert(ignore_permissions=True)
