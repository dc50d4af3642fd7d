"""Improvement actions (整改) on the site: counting the complaints an action aimed at before and after
it was implemented, measuring its effect (rules/effect.py) when the verification window ends, and
telling owners and Complaint Managers of overdue actions and of effects to confirm.

The daily job (hooks.scheduler_events) is idempotent: an action's final measurement and each notice
are recorded on the action in the transaction that makes them, and a second run finds nothing to do."""

from datetime import datetime, timedelta

import frappe
from frappe import _
from frappe.model.workflow import get_workflow_name
from frappe.utils import cint, flt, get_datetime, getdate, now_datetime

from complaint_response.jobs import alert_users, each_committed
from complaint_response.rules import effect

LOCK = "complaint_response_improvement_job"
DOCTYPE = "Improvement Action"

# The action's scope field -> the Complaint field it filters on.
SCOPE: dict[str, str] = {
	"scope_category": "category",
	"scope_product": "product",
	"scope_store_branch": "store_branch",
	"scope_root_cause": "root_cause_category",
}
# Rejected complaints (not a complaint, duplicates, out of scope) are not counted.
NOT_COUNTED_STAGE = "Rejected"
RESULT_FIELDS = (
	"after_count",
	"after_days",
	"after_rate",
	"rate_ratio",
	"p_value",
	"measured_on",
	"proposed_effect",
	"effect_note",
	"measurement_final",
	"effect_confirmed_by",
	"effect_confirmed_on",
	"verification_notified_on",
)


# -- counting -------------------------------------------------------------------------------------


def scope_filters(doc) -> list[list]:
	filters = [[field, "=", doc.get(scope)] for scope, field in SCOPE.items() if doc.get(scope)]
	return [*filters, ["stage", "!=", NOT_COUNTED_STAGE]]


def count_complaints(doc, start: datetime, end: datetime) -> int:
	"""Complaints in the action's scope received in [start, end)."""
	return frappe.db.count(
		"Complaint", filters=[*scope_filters(doc), ["received_on", ">=", start], ["received_on", "<", end]]
	)


def window_start(doc) -> datetime:
	return get_datetime(getdate(doc.implemented_on))


def window_end(doc) -> datetime:
	return window_start(doc) + timedelta(days=cint(doc.verification_window_days))


def record_before(doc) -> None:
	"""The complaints in scope in the before window, [implemented_on - before days, implemented_on)."""
	start, days = window_start(doc), cint(doc.before_window_days)
	doc.before_count = count_complaints(doc, start - timedelta(days=days), start)
	doc.before_days = days
	doc.before_rate = doc.before_count / days * effect.RATE_UNIT_DAYS if days else 0


def clear_results(doc) -> None:
	for field in RESULT_FIELDS:
		doc.set(field, None)
	doc.measurement_final = 0


def after_numbers(doc, now: datetime) -> tuple[int, float, bool]:
	"""(complaints after, days after, whether the verification window is over) as of `now`."""
	start, end = window_start(doc), window_end(doc)
	upto = min(now, end)
	days = max((upto - start).total_seconds() / 86400, 0.0)
	return count_complaints(doc, start, upto), days, now >= end


def measured(doc, now: datetime) -> tuple[effect.Effect, bool]:
	"""The effect as of `now` and whether it is final. Refused before the window has run a moment."""
	if not doc.implemented_on:
		frappe.throw(_("The effect is measured from the day the action was implemented: it has none yet."))
	if not cint(doc.before_days):
		record_before(doc)
	count, days, final = after_numbers(doc, now)
	if days <= 0:
		frappe.throw(
			_("The verification window starts on {0}: nothing to measure yet.").format(doc.implemented_on)
		)
	alpha = flt(doc.significance_level) or effect.ALPHA
	return effect.measure(cint(doc.before_count), flt(doc.before_days), count, days, alpha), final


def store(doc, found: effect.Effect, now: datetime, final: bool) -> None:
	doc.after_count = found.after_count
	doc.after_days = found.after_days
	doc.after_rate = found.after_rate
	doc.rate_ratio = found.rate_ratio
	doc.p_value = found.p_value
	doc.proposed_effect = found.verdict
	doc.effect_note = found.note.text(_)
	doc.measured_on = now
	doc.measurement_final = int(final)


def interim(doc, now: datetime | None = None) -> dict:
	"""The numbers so far, for the owner's Measure Now (nothing is stored)."""
	now = now or now_datetime()
	found, final = measured(doc, now)
	return {
		"before_count": found.before_count,
		"before_days": found.before_days,
		"before_rate": found.before_rate,
		"after_count": found.after_count,
		"after_days": round(found.after_days, 1),
		"after_rate": found.after_rate,
		"rate_ratio": found.rate_ratio,
		"p_value": found.p_value,
		"proposed_effect": found.verdict,
		"effect_note": found.note.text(_),
		"window_complete": final,
		"window_ends": str(window_end(doc)),
	}


# -- moves the job makes ----------------------------------------------------------------------------


def workflow_state_for(status: str) -> str | None:
	"""The first state of the active workflow that sets `status`, if any."""
	workflow = get_workflow_name(DOCTYPE)
	if not workflow:
		return None
	for row in frappe.get_cached_doc("Workflow", workflow).states:
		if row.update_field == "status" and row.update_value == status:
			return row.state
	return None


def system_move(doc, status: str) -> None:
	"""Move the action as the system (no user pressed a button); the save still checks the move."""
	doc.status = status
	doc.flags.status_change_allowed = True
	state = workflow_state_for(status)
	if state:
		doc.set("workflow_state", state)


# -- the daily job --------------------------------------------------------------------------------


def run_locked() -> None:
	from frappe.utils.synchronization import LockTimeoutError, filelock

	try:
		with filelock(LOCK, timeout=1):
			run()
	except LockTimeoutError:
		return


def run(now: datetime | None = None, commit: bool = True) -> dict[str, int]:
	"""Start verification of implemented actions, measure those whose window has ended, and tell of
	overdue actions; returns how many of each."""
	now = now or now_datetime()
	error = lambda name: _("Improvement action job failed for {0}").format(name)  # noqa: E731
	started = frappe.get_all(DOCTYPE, filters={"status": effect.IMPLEMENTED}, pluck="name")
	each_committed(started, lambda name: start_verification(name, now), commit, error)
	due = due_for_measurement(now)
	each_committed(due, lambda name: measure_final(name, now), commit, error)
	overdue = overdue_names(now)
	each_committed(overdue, lambda name: notify_overdue(name, now), commit, error)
	return {"verifying": len(started), "measured": len(due), "overdue": len(overdue)}


def start_verification(name: str, now: datetime) -> None:
	"""An implemented action's verification window starts the day it was implemented."""
	doc = frappe.get_doc(DOCTYPE, name)
	if (
		doc.status != effect.IMPLEMENTED
		or not doc.implemented_on
		or getdate(doc.implemented_on) > getdate(now)
	):
		return
	system_move(doc, effect.VERIFYING)
	doc.save(ignore_permissions=True)


def due_for_measurement(now: datetime) -> list[str]:
	rows = frappe.get_all(
		DOCTYPE,
		filters={
			"status": ["in", [effect.IMPLEMENTED, effect.VERIFYING]],
			"measurement_final": 0,
			"implemented_on": ["is", "set"],
		},
		fields=["name", "implemented_on", "verification_window_days"],
		order_by="implemented_on asc",
	)
	return [row.name for row in rows if window_end(row) <= now]


def measure_final(name: str, now: datetime) -> None:
	doc = frappe.get_doc(DOCTYPE, name)
	if cint(doc.measurement_final) or doc.status not in (effect.IMPLEMENTED, effect.VERIFYING):
		return
	found, final = measured(doc, now)
	if not final:
		return
	store(doc, found, now, final=True)
	if doc.status == effect.IMPLEMENTED:
		system_move(doc, effect.VERIFYING)
	doc.verification_notified_on = now
	doc.save(ignore_permissions=True)
	text = _("Effect of improvement action {0} measured: proposed {1}. {2} Confirm it.").format(
		doc.name, _(found.verdict), doc.effect_note
	)
	doc.add_comment("Info", text)
	notify(doc, text)


def overdue_names(now: datetime) -> list[str]:
	return frappe.get_all(
		DOCTYPE,
		filters={
			"status": ["in", sorted(effect.NOT_YET_IMPLEMENTED)],
			"due_date": ["<", getdate(now)],
			"overdue_notified_on": ["is", "not set"],
		},
		pluck="name",
	)


def notify_overdue(name: str, now: datetime) -> None:
	doc = frappe.get_doc(DOCTYPE, name)
	if doc.overdue_notified_on or doc.status not in effect.NOT_YET_IMPLEMENTED:
		return
	frappe.db.set_value(DOCTYPE, name, "overdue_notified_on", now, update_modified=False)
	text = _("Improvement action {0} is overdue: it was due on {1} and is still {2}.").format(
		doc.name, frappe.utils.formatdate(doc.due_date), _(doc.status)
	)
	doc.add_comment("Info", text)
	notify(doc, text)


def recipients(doc) -> list[str]:
	from complaint_response.jobs.sla import role_users

	users = set(role_users(effect.MANAGER))
	if doc.action_owner:
		users.add(doc.action_owner)
	return sorted(users)


def notify(doc, subject: str) -> None:
	"""A desk notification (Notification Log) to the owner and the Complaint Managers."""
	alert_users(doc, recipients(doc), subject)
