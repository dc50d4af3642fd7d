"""Shipped crisis records, created once and then the admins' to edit: crisis types, a crisis team
roster per level, an emergency plan per crisis type, the default risk matrix, and the Crisis Alert
workflow (whose states set the code-owned `stage`)."""

import frappe

from complaint_response.rules import crisis_stages as cs
from complaint_response.rules.crisis_level import DEFAULT_MATRIX

CRISIS_TYPES = (
	("Product Quality", "产品质量"),
	("Food Safety", "食品安全"),
	("Service Failure", "服务事故"),
	("Data / Privacy", "数据与隐私"),
	("Public Opinion", "舆情"),
	("Group Complaint", "群体性投诉"),
	("Other", "其他"),
)

# duty, role, responsibilities (the plan's crisis organisation, 危机管理领导小组)
DUTIES = (
	("Commander", cs.COMMANDER, "Decides, leads the response, chairs the coordination meetings."),
	("Communications", cs.COMMS, "External communication, the unified statement, public opinion."),
	("Customer Service", "Complaint Manager", "Placates affected customers, handles their complaints."),
	("Quality / Production", "Quality Officer", "Finds the root cause, recall, rework or repair."),
	("Legal", cs.LEGAL, "Legal support and risk; approves the statement."),
)
LEVEL_DUTIES = {"I": DUTIES, "II": DUTIES, "III": DUTIES[1:4], "IV": DUTIES[2:4]}

# crisis type -> checklist (step, owner role, within hours)
COMMON_STEPS = (
	("Collect the facts: time, place, cause, course, scope, customers affected", "Quality Officer", 4),
	("Agree the unified external statement (统一口径) with Legal", cs.COMMS, 12),
	("Contact and apologise to every affected customer", "Complaint Manager", 24),
	("Publish a rectification report", cs.COMMS, 72),
)
PLANS = {
	"Food Safety": (
		("Stop selling the suspect batch; keep samples", "Quality Officer", 1),
		("Check the supply chain", "Quality Officer", 24),
		*COMMON_STEPS,
	),
	"Product Quality": (
		("Decide on recall, rework or repair", cs.COMMANDER, 12),
		*COMMON_STEPS,
	),
	"Service Failure": COMMON_STEPS,
	"Group Complaint": COMMON_STEPS,
	"Public Opinion": (
		("Measure the heat: mentions, share of negative comments, media attention", cs.COMMS, 2),
		*COMMON_STEPS,
	),
	"Data / Privacy": (
		("Contain the breach and assess the data exposed", "System Manager", 4),
		("Check notification duties to the regulator", cs.LEGAL, 24),
		*COMMON_STEPS,
	),
}

WORKFLOW_NAME = "Crisis Alert Response"
STATES = (
	(cs.RAISED, "Warning", (cs.MANAGER, cs.COMMANDER)),
	(cs.ASSESSED, "Info", (cs.MANAGER, cs.COMMANDER)),
	# while the response runs, every duty on the team can tick its checklist steps and add updates
	(
		cs.PUBLISHED,
		"Danger",
		(cs.COMMANDER, cs.MANAGER, cs.COMMS, cs.LEGAL, cs.QUALITY, "Crisis Team Member"),
	),
	(
		cs.RESPONDING,
		"Danger",
		(cs.COMMANDER, cs.MANAGER, cs.COMMS, cs.LEGAL, cs.QUALITY, "Crisis Team Member"),
	),
	(
		cs.RECOVERING,
		"Primary",
		(cs.COMMANDER, cs.MANAGER, cs.COMMS, cs.LEGAL, cs.QUALITY, "Crisis Team Member"),
	),
	(cs.CLOSED, "Inverse", (cs.COMMANDER, cs.MANAGER, cs.QUALITY)),
	(cs.REVIEWED, "Success", (cs.COMMANDER,)),
	(cs.DISMISSED, "Inverse", (cs.COMMANDER,)),
)
TRANSITIONS = (
	(cs.RAISED, "Assess", cs.ASSESSED),
	(cs.RAISED, "Dismiss", cs.DISMISSED),
	(cs.ASSESSED, "Publish", cs.PUBLISHED),
	(cs.ASSESSED, "Dismiss", cs.DISMISSED),
	(cs.PUBLISHED, "Start Response", cs.RESPONDING),
	(cs.RESPONDING, "Start Recovery", cs.RECOVERING),
	(cs.RECOVERING, "Close", cs.CLOSED),
	(cs.CLOSED, "Review", cs.REVIEWED),
)


def create_crisis_records() -> None:
	for name, _zh in CRISIS_TYPES:
		if not frappe.db.exists("Crisis Type", name):
			frappe.get_doc({"doctype": "Crisis Type", "type_name": name}).insert(ignore_permissions=True)
	for level, duties in LEVEL_DUTIES.items():
		if not frappe.db.exists("Crisis Team Roster", level):
			frappe.get_doc(
				{
					"doctype": "Crisis Team Roster",
					"level": level,
					"duties": [{"duty": d, "role": r, "responsibilities": text} for d, r, text in duties],
				}
			).insert(ignore_permissions=True)
	for crisis_type, steps in PLANS.items():
		name = f"{crisis_type} Response"
		if not frappe.db.exists("Emergency Plan", name):
			frappe.get_doc(
				{
					"doctype": "Emergency Plan",
					"plan_name": name,
					"crisis_type": crisis_type,
					"steps": [{"step": s, "owner_role": r, "within_hours": h} for s, r, h in steps],
				}
			).insert(ignore_permissions=True)
	create_matrix()
	create_workflow()


def create_matrix() -> None:
	settings = frappe.get_single("Crisis Settings")
	if settings.risk_matrix:
		return
	for likelihood, impact, level in DEFAULT_MATRIX.rows():
		settings.append("risk_matrix", {"likelihood": likelihood, "impact": impact, "level": level})
	settings.flags.ignore_permissions = True
	settings.save()


def create_workflow() -> None:
	for state, style, _roles in STATES:
		if not frappe.db.exists("Workflow State", state):
			frappe.get_doc(
				{"doctype": "Workflow State", "workflow_state_name": state, "style": style}
			).insert(ignore_permissions=True)
	for _state, action, _next in TRANSITIONS:
		if not frappe.db.exists("Workflow Action Master", action):
			frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": action}).insert(
				ignore_permissions=True
			)
	if frappe.db.exists("Workflow", WORKFLOW_NAME):
		return
	transitions = []
	for state, action, next_state in TRANSITIONS:
		for role in cs.MOVE_ROLES.get((state, next_state), ()):
			condition = None
			if next_state == cs.PUBLISHED and role != cs.COMMANDER:
				condition = 'doc.level in ("III", "IV")'  # I and II: the Crisis Commander publishes
			transitions.append(
				{
					"state": state,
					"action": action,
					"next_state": next_state,
					"allowed": role,
					"condition": condition,
					"allow_self_approval": 1,
				}
			)
	frappe.get_doc(
		{
			"doctype": "Workflow",
			"workflow_name": WORKFLOW_NAME,
			"document_type": "Crisis Alert",
			"workflow_state_field": "workflow_state",
			"is_active": 1,
			"send_email_alert": 0,
			"states": [
				{"state": s, "doc_status": "0", "allow_edit": r, "update_field": "stage", "update_value": s}
				for s, _style, roles in STATES
				for r in roles
			],
			"transitions": transitions,
		}
	).insert(ignore_permissions=True)
