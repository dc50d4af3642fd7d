"""Improvement actions: the old status Verified is now Effective (the measured, confirmed effect);
Open, In Progress, Implemented and Cancelled keep their names. The old single Measure text becomes
the Corrective Measures where those are empty."""

import frappe

RENAMED = {"Verified": "Effective"}


def execute() -> None:
	for old, new in RENAMED.items():
		frappe.db.sql("update `tabImprovement Action` set status = %s where status = %s", (new, old))
		if frappe.db.has_column("Improvement Action", "workflow_state"):
			frappe.db.sql(
				"update `tabImprovement Action` set workflow_state = %s where workflow_state = %s", (new, old)
			)
	if frappe.db.has_column("Improvement Action", "measure"):
		frappe.db.sql(
			"""update `tabImprovement Action` set corrective_measures = measure
			where ifnull(measure, '') != '' and ifnull(corrective_measures, '') = ''"""
		)
