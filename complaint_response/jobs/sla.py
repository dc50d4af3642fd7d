"""The SLA sweep: warns owners before a time node is breached, escalates on breach and one level
higher when it stays breached. Scheduled every few minutes (hooks.scheduler_events).

Cheap: it loads only complaints whose `next_check_at` has come (an indexed column, empty when nothing
more can change: closed complaints, clocks met, paused or fully escalated), never the whole table
(benchmarks/scale.py measures it). Idempotent: each warning percentage and escalation level is
recorded on the time node in the same transaction that sends it, so a second run sends nothing."""

from datetime import datetime

import frappe
from frappe import _
from frappe.utils import cint, now_datetime

from complaint_response.jobs import alert_users, each_committed
from complaint_response.lifecycle import sla
from complaint_response.rules import clocks

BATCH = 500
LOCK = "complaint_response_sla_sweep"


def sweep_locked() -> int:
	"""The scheduled sweep. Two sweeps never run at once (a run started by hand while the scheduler's
	runs, or a second worker): the one that finds the other running stops, and the running one, or the
	next, sees the same complaints. Within one sweep, what each complaint has been sent is stored in the
	transaction that sends it, so a later sweep sends nothing twice."""
	from frappe.utils.synchronization import LockTimeoutError, filelock

	try:
		with filelock(LOCK, timeout=1):
			return sweep()
	except LockTimeoutError:
		return 0


def sweep(now: datetime | None = None, commit: bool = True) -> int:
	"""Process every complaint due for an SLA check; returns how many were processed."""
	now = now or now_datetime()
	names = due_names(now)
	each_committed(
		names,
		lambda name: process(name, now),
		commit,
		lambda name: _("SLA sweep failed for complaint {0}").format(name),
	)
	return len(names)


def due_names(now: datetime) -> list[str]:
	"""The complaints in a clocked stage whose next check has come, the longest-waiting first.

	A plain comparison, not a frappe.get_all filter: get_all turns a filter on a nullable Datetime into
	IFNULL(next_check_at, '0001-01-01') <= now, which takes every complaint with nothing left to check
	(empty next_check_at) for due, sorts those first so that they fill the batch and starve the due
	ones, and keeps the next_check_at index from being used (a full scan once open complaints are
	many)."""
	Complaint = frappe.qb.DocType("Complaint")
	return (
		frappe.qb.from_(Complaint)
		.select(Complaint.name)
		.where(Complaint.next_check_at <= now)
		.where(Complaint.stage.isin(sorted(sla.CLOCKED_STAGES)))
		.orderby(Complaint.next_check_at)
		.limit(BATCH)
	).run(pluck=True)


def process(name: str, now: datetime) -> None:
	"""Bring one complaint's clocks up to `now`, store them, then send what became due.

	The state is stored before anything is sent: Notifications reload the document they send."""
	doc = frappe.get_doc("Complaint", name)
	thresholds, later = sla.warning_percentages(), sla.re_escalate_after()
	results = sla.refresh(doc, now)
	alerts: list[tuple[str, str, int]] = []  # (kind, text, escalation level)
	for spec, state, row in results:
		sent = sla.sent_of(row)
		for pct in clocks.warnings_due(state, thresholds, sent):
			alerts.append(("warning", alert_text(spec, state, _("SLA warning")), 0))
			sent.add(pct)
		row.warnings_sent = ", ".join(str(p) for p in sorted(sent))
		level = clocks.escalation_level(state, now, later)
		if level > cint(row.escalation_level):
			headline = _("SLA breached") if level == 1 else _("SLA still breached")
			alerts.append(("escalation", alert_text(spec, state, headline), level))
			row.escalation_level = level
	sla.set_summary(doc, results, sla.calendar())
	write_back(doc)
	for kind, text, level in alerts:
		send(doc, kind, text, level)


def write_back(doc) -> None:
	"""Store the clocks without touching `modified`, so an agent's open form does not go stale."""
	for row in doc.time_nodes:
		if frappe.db.exists("Complaint Time Node", row.name):
			row.db_update()
		else:
			row.db_insert()
	for field in (
		"sla_status",
		"next_due",
		"next_check_at",
		"acknowledged_on",
		"accepted_on",
		"first_response_on",
	):
		frappe.db.set_value("Complaint", doc.name, field, doc.get(field), update_modified=False)


def alert_text(spec, state, headline: str) -> str:
	return _("{0}: {1} ({2}) is due {3}; {4}% of its time is used.").format(
		headline,
		_(spec.node),
		_(spec.source),
		frappe.utils.format_datetime(state.due),
		round(state.elapsed_pct or 0),
	)


def escalation_role(doc) -> str:
	"""Who hears of a breach that stays open: per severity, from Complaint Settings."""
	conf = frappe.get_cached_doc("Complaint Settings")
	if doc.severity in ("Major", "Group"):
		return conf.major_escalation_role or "Crisis Commander"
	return conf.second_escalation_role or "Complaint Manager"


def send(doc, kind: str, text: str, level: int) -> None:
	"""Timeline comment, then the admin-editable Notification (by its Method event)."""
	frappe.db.set_value("Complaint", doc.name, "sla_alert", text, update_modified=False)
	doc.sla_alert = text
	if kind == "warning":
		doc.add_comment("Info", text)
		doc.run_method("on_sla_warning")
		return
	if level == 1:  # the breach: the "Complaint SLA Breached" Notification tells whom an admin chose
		doc.add_comment("Info", text)
		doc.run_method("on_sla_breach")
		return
	role = escalation_role(doc)  # still breached: one level higher
	doc.add_comment("Info", _("{0} Escalated to {1}.").format(text, _(role)))
	notify_role(doc, role, text)
	if frappe.get_cached_doc("Complaint Settings").reassign_on_escalation:
		reassign(doc, role, text)


def notify_role(doc, role: str, subject: str) -> None:
	alert_users(doc, role_users(role), subject)


def role_users(role: str) -> list[str]:
	HasRole, User = frappe.qb.DocType("Has Role"), frappe.qb.DocType("User")
	return (
		frappe.qb.from_(HasRole)
		.join(User)
		.on(User.name == HasRole.parent)
		.select(User.name)
		.where(HasRole.role == role)
		.where(HasRole.parenttype == "User")
		.where(User.enabled == 1)
		.where(User.name.notin(["Administrator", "Guest"]))
		.orderby(User.name)
	).run(pluck=True)


def reassign(doc, role: str, reason: str) -> None:
	"""Hand a complaint that stays breached to the least-loaded user of `role` (by open complaint
	assignments); Frappe's assignment then makes them its one accountable owner."""
	from frappe.desk.form.assign_to import add

	users = [user for user in role_users(role) if user != doc.complaint_owner]
	if not users:
		return
	load = {
		user: frappe.db.count("ToDo", {"allocated_to": user, "status": "Open", "reference_type": "Complaint"})
		for user in users
	}
	user = min(users, key=lambda u: (load[u], u))
	add({"doctype": doc.doctype, "name": doc.name, "assign_to": [user], "description": reason})
