"""Install steps. Each one is small, runs on install and on every migrate, and is idempotent:
it creates what is missing and leaves alone what an admin has changed."""

import frappe

from complaint_response.integrations.links import remove_all_links, sync_links
from complaint_response.lifecycle.assignment import create_assignment_rule
from complaint_response.rules.clocks import DEFAULT_SLA, REGULATORY_CLOCKS
from complaint_response.rules.grading import DEFAULT_RULES
from complaint_response.setup.crisis import create_crisis_records
from complaint_response.setup.improvement import create_improvement_workflow
from complaint_response.setup.notifications import create_notifications
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
	set_settings_defaults()
	create_categories()
	create_grading_rules()
	create_sla_policies()
	create_regulatory_clocks()
	create_workflow()
	create_improvement_workflow()
	create_assignment_rule()
	create_crisis_records()
	sync_links()
	create_notifications()


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
		create_grading_rule(rule, sequence * 10)


def create_grading_rule(rule, sequence: int) -> None:
	frappe.get_doc(
		{
			"doctype": "Complaint Grading Rule",
			"rule_name": rule.name,
			"enabled": int(rule.enabled),
			"rule_type": rule.rule_type,
			"sequence": sequence,
			"keywords": "\n".join(rule.keywords),
			"threshold": rule.threshold,
			"category": rule.category,
			"severity": rule.severity,
			"priority": rule.priority,
			"crisis_worthy": int(rule.crisis_worthy),
		}
	).insert(ignore_permissions=True)


def node_rows(specs) -> list[dict]:
	return [
		{
			"node": spec.node,
			"duration": spec.duration,
			"unit": spec.unit,
			"starts_at": spec.starts_at,
			"stops_at": spec.stops_at,
			"extended_duration": spec.extended_duration,
		}
		for spec in specs
	]


def create_sla_policies() -> None:
	"""One SLA policy per severity, created once; admins edit the limits."""
	for severity, specs in DEFAULT_SLA.items():
		if not frappe.db.exists("Complaint SLA Policy", severity):
			frappe.get_doc(
				{"doctype": "Complaint SLA Policy", "severity": severity, "nodes": node_rows(specs)}
			).insert(ignore_permissions=True)


def create_regulatory_clocks() -> None:
	"""The regulators' clocks, shipped switched off: each company turns on those that apply."""
	for name, specs in REGULATORY_CLOCKS.items():
		if not frappe.db.exists("Regulatory Clock", name):
			frappe.get_doc(
				{"doctype": "Regulatory Clock", "clock_name": name, "enabled": 0, "nodes": node_rows(specs)}
			).insert(ignore_permissions=True)


SETTINGS = ("Complaint Settings", "Crisis Settings")


def set_settings_defaults() -> None:
	"""Give settings fields that were never stored their default (new fields on an existing site);
	values an admin has set are left alone."""
	Singles = frappe.qb.DocType("Singles")
	for doctype in SETTINGS:
		stored = set(
			frappe.qb.from_(Singles).select(Singles.field).where(Singles.doctype == doctype).run(pluck=True)
		)
		for df in frappe.get_meta(doctype).fields:
			if df.default and df.fieldname not in stored:
				frappe.db.set_single_value(doctype, df.fieldname, df.default)
		frappe.clear_document_cache(doctype, doctype)
	repair_working_day()
	frappe.clear_document_cache("Complaint Settings", "Complaint Settings")


def repair_working_day() -> None:
	"""Frappe stores the install time in a Time field that had a default: early versions of this app
	left the working day as [install time, install time]. The settings form refuses such a day, so
	a stored one can only be that leftover: clear it (empty means 09:00-18:00)."""
	from datetime import time

	from complaint_response.lifecycle.sla import _time

	start, end = (frappe.db.get_single_value("Complaint Settings", f) for f in ("day_start", "day_end"))
	if start and end and _time(start, time(9)) >= _time(end, time(18)):
		frappe.db.set_single_value("Complaint Settings", {"day_start": None, "day_end": None})
