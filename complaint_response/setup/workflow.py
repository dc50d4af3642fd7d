"""The shipped Complaint workflow: created once, then the admin's to edit.

Fixtures would be re-imported with force on every migrate and wipe an admin's changes, so the
workflow, its states and its actions are created here only when missing. Each state sets the
code-owned `stage` field through its "update field", so renaming states or adding new ones does
not break the app's logic."""

import frappe

from complaint_response.rules import stages as s

WORKFLOW_NAME = "Complaint Lifecycle"

# state -> (stage it sets, style, roles that may edit the document in that state)
STATES: list[tuple[str, str, str, tuple[str, ...]]] = [
	(s.RECEIVED, s.RECEIVED, "", (s.AGENT, s.MANAGER)),
	(s.CLASSIFIED, s.CLASSIFIED, "Info", (s.AGENT, s.MANAGER)),
	(s.ASSIGNED, s.ASSIGNED, "Info", (s.AGENT, s.MANAGER)),
	(s.INVESTIGATING, s.INVESTIGATING, "Primary", (s.AGENT, s.MANAGER, s.QUALITY)),
	(s.RESOLUTION_PROPOSED, s.RESOLUTION_PROPOSED, "Warning", (s.MANAGER, s.APPROVER)),
	(s.RESOLUTION_APPROVED, s.RESOLUTION_APPROVED, "Success", (s.AGENT, s.MANAGER)),
	(s.CUSTOMER_INFORMED, s.CUSTOMER_INFORMED, "Success", (s.AGENT, s.MANAGER)),
	(s.FOLLOW_UP, s.FOLLOW_UP, "Primary", (s.AGENT, s.MANAGER)),
	(s.CLOSED, s.CLOSED, "Inverse", (s.MANAGER, s.QUALITY)),
	(s.REVIEWED, s.REVIEWED, "Inverse", (s.MANAGER,)),
	(s.REOPENED, s.REOPENED, "Danger", (s.AGENT, s.MANAGER)),
	(s.REJECTED, s.REJECTED, "Danger", (s.MANAGER,)),
]

# (from state, action, to state, condition)
APPROVER_ONLY = 'doc.approval_role == "Compensation Approver"'
TRANSITIONS: list[tuple[str, str, str, str]] = [
	(s.RECEIVED, "Classify", s.CLASSIFIED, ""),
	(s.RECEIVED, "Resolve at Intake", s.CUSTOMER_INFORMED, 'doc.severity == "General"'),
	(s.RECEIVED, "Reject", s.REJECTED, ""),
	(s.CLASSIFIED, "Assign", s.ASSIGNED, ""),
	(s.CLASSIFIED, "Resolve at Intake", s.CUSTOMER_INFORMED, 'doc.severity == "General"'),
	(s.CLASSIFIED, "Reject", s.REJECTED, ""),
	(s.ASSIGNED, "Start Investigation", s.INVESTIGATING, ""),
	(s.ASSIGNED, "Resolve at Intake", s.CUSTOMER_INFORMED, 'doc.severity == "General"'),
	(s.ASSIGNED, "Reject", s.REJECTED, ""),
	(s.INVESTIGATING, "Propose Resolution", s.RESOLUTION_PROPOSED, ""),
	(s.RESOLUTION_PROPOSED, "Approve", s.RESOLUTION_APPROVED, ""),
	(s.RESOLUTION_PROPOSED, "Send Back", s.INVESTIGATING, ""),
	(s.RESOLUTION_APPROVED, "Inform Customer", s.CUSTOMER_INFORMED, ""),
	(s.CUSTOMER_INFORMED, "Start Follow-up", s.FOLLOW_UP, ""),
	(s.FOLLOW_UP, "Close", s.CLOSED, ""),
	(s.FOLLOW_UP, "Reopen", s.REOPENED, ""),
	(s.CLOSED, "Review", s.REVIEWED, ""),
	(s.CLOSED, "Reopen", s.REOPENED, ""),
	(s.REOPENED, "Assign", s.ASSIGNED, ""),
	(s.REOPENED, "Start Investigation", s.INVESTIGATING, ""),
	(s.REJECTED, "Reopen", s.REOPENED, ""),
]

# Conditions that depend on the role taking the action (approval limits).
ROLE_CONDITIONS: dict[tuple[str, str], str] = {
	(s.RESOLUTION_PROPOSED, s.MANAGER): "not " + APPROVER_ONLY,
}

STATE_STYLES = {"Info", "Primary", "Warning", "Success", "Danger", "Inverse"}


def transition_rows() -> list[dict]:
	rows = []
	for state, action, next_state, condition in TRANSITIONS:
		for role in s.roles_for_move(state, next_state):
			cond = " and ".join(c for c in (condition, ROLE_CONDITIONS.get((state, role), "")) if c)
			rows.append(
				{
					"state": state,
					"action": action,
					"next_state": next_state,
					"allowed": role,
					"condition": cond or None,
					# approvals must come from someone other than the person who registered it
					"allow_self_approval": 0 if next_state == s.RESOLUTION_APPROVED else 1,
				}
			)
	return rows


def state_rows() -> list[dict]:
	return [
		{
			"state": state,
			"doc_status": "0",
			"allow_edit": role,
			"update_field": "stage",
			"update_value": stage,
		}
		for state, stage, _style, roles in STATES
		for role in roles
	]


def create_workflow() -> None:
	"""Create the Complaint workflow, its states and actions if they do not exist yet."""
	ensure_workflow(
		WORKFLOW_NAME,
		"Complaint",
		{state: style for state, _stage, style, _roles in STATES},
		{row[1] for row in TRANSITIONS},
		state_rows,
		transition_rows,
	)


def ensure_workflow(name: str, doctype: str, styles: dict, actions, states, transitions) -> bool:
	"""The states, actions and workflow `name` on `doctype`, each created only when missing (an admin's
	edits survive migrate). `states` and `transitions` make the rows. True when the workflow is new."""
	for state, style in styles.items():
		if not frappe.db.exists("Workflow State", state):
			frappe.get_doc(
				{"doctype": "Workflow State", "workflow_state_name": state, "style": style}
			).insert(ignore_permissions=True)
	for action in actions:
		if not frappe.db.exists("Workflow Action Master", action):
			frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": action}).insert(
				ignore_permissions=True
			)
	if frappe.db.exists("Workflow", name):
		return False
	frappe.get_doc(
		{
			"doctype": "Workflow",
			"workflow_name": name,
			"document_type": doctype,
			"workflow_state_field": "workflow_state",
			"is_active": 1,
			"send_email_alert": 0,
			"override_status": 1,
			"states": states(),
			"transitions": transitions(),
		}
	).insert(ignore_permissions=True)
	return True
