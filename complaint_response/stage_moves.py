"""What complaints and crisis alerts share about moving between stages: the stage field is the
code's, and it changes only through a workflow action or, without an active workflow, through the
stage buttons (`move`), each checked against the rules' problems before anything is saved."""

from collections.abc import Callable, Sequence

import frappe
from frappe import _
from frappe.model.workflow import get_workflow_name

WORKFLOW_FIELD = "workflow_state"


def guard(doc, before, problems: Callable[[str, str], list]) -> tuple[str, str] | None:
	"""Check a stage change on save; returns (old, new) when the stage moved, None when it did not.

	`problems(old, new)` gives the rules' reasons to refuse the move (rules.stages.Problem)."""
	old, new = before.stage, doc.stage
	if old == new:
		return None
	if not doc.flags.stage_change_allowed:
		workflow = get_workflow_name(doc.doctype)
		if workflow and doc.get(WORKFLOW_FIELD) == before.get(WORKFLOW_FIELD):
			frappe.throw(
				_("Change the stage of this {0} with its workflow actions.").format(_(doc.doctype)),
				frappe.PermissionError,
			)
		if not workflow:
			frappe.throw(
				_("Change the stage of this {0} with its stage buttons.").format(_(doc.doctype)),
				frappe.PermissionError,
			)
	found = problems(old, new)
	if found:
		frappe.throw(
			"<br>".join(p.text(_) for p in found),
			frappe.ValidationError,
			title=_("Cannot move to {0}").format(_(new)),
		)
	return old, new


def move(doc, stage: str, stages: Sequence[str], allowed: Sequence[str]) -> None:
	"""Move `doc` to `stage` on a site without an active workflow for its DocType, as a user holding
	one of the `allowed` roles; the save then checks the move's rules (see `guard`)."""
	if stage not in stages:
		frappe.throw(_("{0} is not a stage of {1}.").format(stage, _(doc.doctype)))
	if get_workflow_name(doc.doctype):
		frappe.throw(_("This site runs {0} through a workflow: use its actions.").format(_(doc.doctype)))
	if not set(allowed) & set(frappe.get_roles()):
		frappe.throw(
			_("Moving this {0} from {1} to {2} needs one of these roles: {3}.").format(
				_(doc.doctype), _(doc.stage), _(stage), ", ".join(_(role) for role in allowed) or _("none")
			),
			frappe.PermissionError,
		)
	doc.stage = stage
	doc.flags.stage_change_allowed = True
	doc.save()
