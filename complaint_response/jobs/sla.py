"""The SLA sweep: warns owners before a time node is breached, escalates on breach and one level
higher when it stays breached. Scheduled every few minutes (hooks.scheduler_events).

Cheap: it loads only complaints whose `next_check_at` has come (an indexed column, empty on closed
complaints), never the whole table. Idempotent: each warning percentage and escalation level is
recorded on the time node in the same transaction that sends it, so a second run sends nothing."""

from datetime import datetime

import frappe
from frappe import _
from frappe.utils import cint, now_datetime

from complaint_response.lifecycle import sla
from complaint_response.rules import clocks

BATCH = 500


def sweep(now: datetime | None = None, commit: bool = True) -> int:
	"""Process every complaint due for an SLA check; returns how many were processed."""
	now = now or now_datetime()
	names = frappe.get_all(
		"Complaint",
		filters={"next_check_at": ["<=", now], "stage": ["in", sorted(sla.CLOCKED_STAGES)]},
		pluck="name",
		order_by="next_check_at asc",
		limit=BATCH,
	)
	for name in names:
		try:
			process(name, now)
			if commit:
				frappe.db.commit()
		except Exception:
			if not commit:
				raise
			frappe.db.rollback()
			frappe.log_error(title=_("SLA sweep failed for complaint {0}").format(name))
	return len(names)


def process(name: str, now: datetime) -> None:
	doc = frappe.get_doc("Complaint", name)
	thresholds, later = sla.warning_percentages(), sla.re_escalate_after()
	results = sla.refresh(doc, now)
	for spec, state, row in results:
		sent = sla.sent_of(row)
		for pct in clocks.warnings_due(state, thresholds, sent):
			warn(doc, spec, state, pct)
			sent.add(pct)
		row.warnings_sent = ", ".join(str(p) for p in sorted(sent))
		level = clocks.escalation_level(state, now, later)
		if level > cint(row.escalation_level):
			escalate(doc, spec, state, level)
			row.escalation_level = level
	sla.set_summary(doc, results, sla.calendar())
	write_back(doc)


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


def warn(doc, spec, state, pct: int) -> None:
	doc.sla_alert = alert_text(spec, state, _("SLA warning"))
	doc.add_comment("Info", doc.sla_alert)
	doc.run_method("on_sla_warning")


def escalate(doc, spec, state, level: int) -> None:
	conf = frappe.get_cached_doc("Complaint Settings")
	if level == 1:
		role, headline = conf.escalation_role or "Complaint Manager", _("SLA breached")
	elif doc.severity in ("Major", "Group"):
		role, headline = conf.major_escalation_role or "Crisis Commander", _("SLA still breached")
	else:
		role, headline = conf.second_escalation_role or "Complaint Manager", _("SLA still breached")
	doc.sla_alert = alert_text(spec, state, headline)
	doc.add_comment("Info", _("{0} Escalated to {1}.").format(doc.sla_alert, _(role)))
	doc.run_method("on_sla_breach")
	notify_role(doc, role, doc.sla_alert)


def notify_role(doc, role: str, subject: str) -> None:
	from frappe.desk.doctype.notification_log.notification_log import enqueue_create_notification

	users = [
		user
		for user in frappe.get_all("Has Role", filters={"role": role, "parenttype": "User"}, pluck="parent")
		if frappe.db.get_value("User", user, "enabled")
	]
	if users:
		enqueue_create_notification(
			users,
			{
				"type": "Alert",
				"document_type": doc.doctype,
				"document_name": doc.name,
				"subject": subject,
				"from_user": "Administrator",
			},
		)
