"""Stage changes on a complaint. The stage is the code's own field; the Workflow (when active) moves
it through its states' "update field", and without a Workflow `Complaint.set_stage` does. Either
way the preconditions of rules.stages are checked here, on the server, before anything is saved."""

import frappe
from frappe import _
from frappe.model.workflow import get_workflow_name
from frappe.utils import add_days, cint, flt, now_datetime

from complaint_response import stage_moves
from complaint_response.rules import stages
from complaint_response.rules.compensation import Line, Standard, apply_standards
from complaint_response.rules.stages import StageFacts, approval_role_for, check_move


def active_workflow() -> str | None:
	return get_workflow_name("Complaint")


def workflow_state_for(stage: str) -> str | None:
	"""The first state of the active workflow that sets `stage`, if any."""
	workflow = active_workflow()
	if not workflow:
		return None
	for row in frappe.get_cached_doc("Workflow", workflow).states:
		if row.update_field == "stage" and row.update_value == stage:
			return row.state
	return None


def settings():
	return frappe.get_cached_doc("Complaint Settings")


def compensation_standards() -> list[Standard]:
	return [
		Standard(row.resolution_type, row.category or None, flt(row.standard_amount), flt(row.max_amount))
		for row in frappe.get_all(
			"Compensation Standard",
			fields=["resolution_type", "category", "standard_amount", "max_amount"],
		)
	]


def set_compensation(doc) -> None:
	"""Fill blank amounts from the compensation schedule, total them, and name who must approve:
	by the total against the settings' limits, and a Compensation Approver for any line above its cap."""
	lines = [Line(row.resolution_type, flt(row.amount)) for row in doc.resolution_lines]
	amounts, over_cap = apply_standards(lines, doc.category, compensation_standards()) if lines else ([], [])
	for row, amount in zip(doc.resolution_lines, amounts, strict=True):
		row.amount = amount
	doc.total_compensation = sum(amounts)
	conf = settings()
	doc.approval_role = approval_role_for(
		doc.total_compensation, doc.severity or "General", flt(conf.agent_limit), flt(conf.manager_limit)
	)
	if over_cap:
		doc.approval_role = stages.APPROVER


def facts(doc) -> StageFacts:
	return StageFacts(
		severity=doc.severity or "General",
		category=doc.category,
		has_owner=bool(doc.complaint_owner),
		investigation_started=bool(doc.investigation_started_on),
		findings=bool((doc.findings or "").strip()),
		resolution_lines=len(doc.resolution_lines),
		approval_role=doc.approval_role or None,
		approver_roles=frozenset(frappe.get_roles()),
		approved=bool(doc.approved_on),
		outcome_told=any(row.outcome_told for row in doc.contact_log),
		satisfaction=cint(doc.satisfaction),
		followed_up=bool(doc.followed_up_on),
		rejection_reason=doc.rejection_reason,
		root_cause=doc.root_cause_category,
		lessons=bool((doc.lessons_learned or "").strip()),
	)


def validate_satisfaction(doc) -> None:
	if doc.satisfaction and not 1 <= cint(doc.satisfaction) <= 5:
		frappe.throw(_("Satisfaction is a score from 1 to 5."), title=_("Invalid Satisfaction"))


def reopen_if_dissatisfied(doc) -> None:
	"""A follow-up with satisfaction ≤ 2 reopens the complaint (and tells its owner)."""
	before = doc.get_doc_before_save()
	if not before or doc.stage != stages.FOLLOW_UP or before.stage != stages.FOLLOW_UP:
		return
	if not doc.followed_up_on or not doc.satisfaction:
		return
	if stages.next_stage_after_follow_up(cint(doc.satisfaction)) != stages.REOPENED:
		return
	doc.stage = stages.REOPENED
	doc.flags.stage_change_allowed = True
	state = workflow_state_for(stages.REOPENED)
	if state:
		doc.set(stage_moves.WORKFLOW_FIELD, state)
	doc.flags.notify_dissatisfied = True


def validate_stage(doc) -> None:
	before = doc.get_doc_before_save()
	if before is None:
		doc.stage = stages.RECEIVED
		return
	moved = stage_moves.guard(
		doc, before, lambda old, new: check_move(old or stages.RECEIVED, new, facts(doc))
	)
	if moved:
		stamp_stage(doc, moved[1])


def stamp_stage(doc, stage: str) -> None:
	now = now_datetime()
	if stage == stages.INVESTIGATING:
		doc.investigation_started_on = doc.investigation_started_on or now
		doc.investigator = doc.investigator or doc.complaint_owner
	elif stage == stages.RESOLUTION_APPROVED:
		doc.approved_by, doc.approved_on = frappe.session.user, now
	elif stage == stages.CUSTOMER_INFORMED:
		if doc.followed_up_on:  # an earlier round's follow-up: keep it on the timeline, start afresh
			doc.add_comment(
				"Info",
				_("Earlier follow-up on {0}: satisfaction {1}/5. {2}").format(
					doc.followed_up_on, doc.satisfaction, doc.follow_up_comment or ""
				),
			)
			doc.followed_up_on, doc.satisfaction, doc.follow_up_comment = None, 0, None
		doc.customer_informed_on = now
		doc.follow_up_due = add_days(now, cint(settings().follow_up_days) or 7)
		doc.flags.create_follow_up = True
	elif stage == stages.CLOSED:
		doc.closed_on = now
	elif stage == stages.REVIEWED:
		doc.reviewed_on = now
	elif stage == stages.REOPENED:
		doc.approved_by = doc.approved_on = None
		doc.reopened_on = now  # the company SLA's resolution clocks start a new round (lifecycle/sla.py)
	doc.status = stages.status_for(stage)


def next_stages(doc) -> list[str]:
	roles = set(frappe.get_roles())
	return [
		stage
		for stage in stages.MOVES.get(doc.stage, ())
		if roles & set(stages.roles_for_move(doc.stage, stage))
	]


def move(doc, stage: str) -> None:
	stage_moves.move(doc, stage, stages.STAGES, stages.roles_for_move(doc.stage, stage))


def after_save(doc) -> None:
	if doc.flags.create_follow_up:
		create_follow_up_todo(doc)
	if doc.flags.notify_dissatisfied:
		notify_owner_dissatisfied(doc)


def create_follow_up_todo(doc) -> None:
	"""The follow-up call is the accountable owner's, else that of the staff member who told the
	customer the outcome; never a customer's or a guest's (who may have filed the complaint)."""
	owner = doc.complaint_owner or (frappe.session.user if is_staff(frappe.session.user) else None)
	if not owner:
		return
	frappe.get_doc(
		{
			"doctype": "ToDo",
			"allocated_to": owner,
			"reference_type": doc.doctype,
			"reference_name": doc.name,
			"description": _(
				"Follow-up call (回访) for complaint {0}: ask the customer how satisfied they are."
			).format(doc.name),
			"date": doc.follow_up_due and str(doc.follow_up_due)[:10],
			"priority": "High" if doc.severity != "General" else "Medium",
			"assigned_by": frappe.session.user,
		}
	).insert(ignore_permissions=True)


def is_staff(user: str | None) -> bool:
	return bool(user) and user != "Guest" and frappe.db.get_value("User", user, "user_type") == "System User"


def notify_owner_dissatisfied(doc) -> None:
	"""On the timeline; the owner and managers hear of it through the admin-editable Notification
	"Complaint Dissatisfied Follow-up"."""
	doc.add_comment(
		"Comment",
		_("Customer dissatisfied at follow-up ({0}/5): complaint reopened.").format(doc.satisfaction),
	)
