"""The crisis alert in the desk: level from the risk matrix, the course of the response, the crisis
team and its notices, the unified external statement (统一口径) and the apology to affected customers.

Rules live in rules.crisis_level and rules.crisis_stages; this module reads and writes documents.
Slow work (notices to the team, apologies to customers) runs in background jobs."""

import frappe
from frappe import _
from frappe.utils import cint, now_datetime

from complaint_response import stage_moves
from complaint_response.rules import crisis_stages as cs
from complaint_response.rules.crisis_level import DEFAULT_MATRIX, level_for, matrix_from_rows

NOTICE_FORMAT = "Crisis Alert Notice"


# -- level ------------------------------------------------------------------------------------------


def risk_matrix():
	rows = frappe.get_all(
		"Crisis Risk Cell",
		filters={"parent": "Crisis Settings", "parenttype": "Crisis Settings"},
		fields=["likelihood", "impact", "level"],
	)
	if not rows:
		return DEFAULT_MATRIX
	matrix, _problems = matrix_from_rows([(r.likelihood, r.impact, r.level) for r in rows])
	return matrix


def set_level(doc) -> None:
	for field, label in (("likelihood", _("Likelihood")), ("impact", _("Impact"))):
		if not 1 <= cint(doc.get(field)) <= 5:
			frappe.throw(_("{0} is a score from 1 to 5.").format(label), title=_("Invalid Score"))
	doc.matrix_level = level_for(cint(doc.likelihood), cint(doc.impact), risk_matrix())
	if not doc.level_override_reason:
		doc.level = doc.matrix_level


# -- stages -----------------------------------------------------------------------------------------


def unplanned_actions(doc) -> int:
	if doc.is_new():
		return 0
	actions = frappe.get_all(
		"Improvement Action",
		filters={"source_crisis_alert": doc.name, "status": ["!=", "Cancelled"]},
		fields=["action_owner", "due_date"],
	)
	return sum(1 for action in actions if not action.action_owner or not action.due_date)


def facts(doc) -> cs.AlertFacts:
	return cs.AlertFacts(
		level=doc.level,
		likelihood=cint(doc.likelihood),
		impact=cint(doc.impact),
		roles=frozenset(frappe.get_roles()),
		unplanned_actions=unplanned_actions(doc),
		root_cause=bool((doc.root_cause or "").strip()),
		lessons=bool((doc.lessons_learned or "").strip()),
		dismissal_reason=bool((doc.dismissal_reason or "").strip()),
	)


def validate_stage(doc) -> None:
	before = doc.get_doc_before_save()
	if before is None:
		doc.stage = cs.RAISED
		log(doc, _("Alert raised ({0}), level {1}.").format(_(doc.source), doc.level))
		return
	if before.level != doc.level:
		log(doc, _("Level changed from {0} to {1}.").format(before.level, doc.level))
	moved = stage_moves.guard(doc, before, lambda old, new: cs.check_move(old or cs.RAISED, new, facts(doc)))
	if not moved:
		return
	log(doc, _("Stage: {0} → {1}.").format(_(moved[0]), _(moved[1])))
	if moved[1] == cs.PUBLISHED:
		prepare_publication(doc)
	elif moved[1] == cs.CLOSED:
		doc.closed_on = now_datetime()


def next_stages(doc) -> list[str]:
	roles = set(frappe.get_roles())
	return [s for s in cs.MOVES.get(doc.stage, ()) if roles & set(cs.roles_for_move(doc.stage, s, doc.level))]


def move(doc, stage: str) -> None:
	stage_moves.move(doc, stage, cs.STAGES, cs.roles_for_move(doc.stage, stage, doc.level))


def log(doc, text: str) -> None:
	doc.append(
		"updates", {"update_on": now_datetime(), "update_text": text, "update_by": frappe.session.user}
	)


# -- publication: team, checklist, notices ------------------------------------------------------------


def roster_members(level: str) -> list[dict]:
	"""The team for `level` from its roster: a named person, or everyone holding the duty's role."""
	if not frappe.db.exists("Crisis Team Roster", level):
		return []
	members, seen = [], set()
	for duty in frappe.get_cached_doc("Crisis Team Roster", level).duties:
		users = [duty.user] if duty.user else role_users(duty.role)
		for user in users:
			if (duty.duty, user) in seen:
				continue
			seen.add((duty.duty, user))
			members.append({"duty": duty.duty, "user": user, "responsibilities": duty.responsibilities})
	return members


def role_users(role: str) -> list[str]:
	from complaint_response.jobs.sla import role_users as users_of

	return users_of(role)


def prepare_publication(doc) -> None:
	doc.published_on = now_datetime()
	if not doc.team:
		for member in roster_members(doc.level):
			doc.append("team", member)
	if not doc.checklist:
		plan = frappe.db.get_value("Emergency Plan", {"crisis_type": doc.crisis_type, "enabled": 1}, "name")
		if plan:
			doc.emergency_plan = plan
			for step in frappe.get_doc("Emergency Plan", plan).steps:
				doc.append(
					"checklist",
					{"step": step.step, "owner_role": step.owner_role, "within_hours": step.within_hours},
				)
	log(doc, _("Published at level {0}: emergency response started (应急响应启动).").format(doc.level))
	doc.flags.notify_team = True


def after_save(doc) -> None:
	if doc.flags.notify_team:
		frappe.enqueue(
			"complaint_response.crisis.alert.notify_team",
			alert=doc.name,
			enqueue_after_commit=True,
			now=frappe.flags.in_test,
		)


def notify_team(alert: str) -> None:
	"""Send the notice (预警通知) to each team member not yet notified: email with the notice as a
	PDF, a desk notification, and an SMS where SMS Settings are configured. Each member once."""
	doc = frappe.get_doc("Crisis Alert", alert)
	prefix = _("[DRILL] ") if doc.is_drill else ""
	subject = _("{0}Crisis alert {1}, level {2}: {3}").format(prefix, doc.name, doc.level, doc.title)
	attachment = notice_attachment(doc)
	told: set[str] = set()  # one notice per person, whatever number of duties they hold
	for row in doc.team:
		if row.notified_on or not row.user:
			continue
		if row.user in told:
			frappe.db.set_value("Crisis Alert Team Member", row.name, "notified_on", now_datetime())
			continue
		told.add(row.user)
		email = frappe.db.get_value("User", row.user, "email")
		if email:
			send_mail(
				recipients=[email],
				subject=subject,
				message=_("You are on the crisis team as {0}. Your duties: {1}").format(
					_(row.duty or ""), row.responsibilities or _("see the emergency plan")
				),
				reference_doctype=doc.doctype,
				reference_name=doc.name,
				attachments=[attachment] if attachment else None,
			)
		frappe.get_doc(
			{
				"doctype": "Notification Log",
				"for_user": row.user,
				"type": "Alert",
				"document_type": doc.doctype,
				"document_name": doc.name,
				"subject": subject,
			}
		).insert(ignore_permissions=True)
		send_sms(row.user, subject)
		frappe.db.set_value("Crisis Alert Team Member", row.name, "notified_on", now_datetime())


def notify_escalation(alert: str, old_level: str, new_level: str) -> None:
	"""The team hears of an escalation once (a desk notification each), never of each complaint the
	alert takes in."""
	doc = frappe.get_doc("Crisis Alert", alert)
	prefix = _("[DRILL] ") if doc.is_drill else ""
	subject = _("{0}Crisis alert {1} escalated from level {2} to {3}: {4}").format(
		prefix, doc.name, old_level, new_level, doc.title
	)
	for user in sorted({row.user for row in doc.team if row.user}):
		frappe.get_doc(
			{
				"doctype": "Notification Log",
				"for_user": user,
				"type": "Alert",
				"document_type": doc.doctype,
				"document_name": doc.name,
				"subject": subject,
			}
		).insert(ignore_permissions=True)


def send_mail(**kwargs) -> bool:
	"""frappe.sendmail, but a site without an outgoing email account logs the problem instead of
	failing the whole job (desk notifications still go out)."""
	try:
		frappe.sendmail(**kwargs)
		return True
	except frappe.OutgoingEmailError:
		frappe.log_error(title=_("Crisis alert: no outgoing email account, mail not sent"))
		return False


def notice_attachment(doc) -> dict | None:
	"""The notice as a PDF, or None: a PDF that cannot be made (no wkhtmltopdf, a site URL the
	server cannot reach) must not keep the team from being told."""
	if not frappe.db.exists("Print Format", NOTICE_FORMAT):
		return None
	try:
		return frappe.attach_print(
			doc.doctype, doc.name, print_format=NOTICE_FORMAT, file_name=f"{doc.name}-notice"
		)
	except Exception:
		frappe.log_error(title=_("Crisis alert {0}: the notice PDF could not be made").format(doc.name))
		return None


def send_sms(user: str, text: str) -> None:
	"""An SMS through Frappe's SMS Settings, when a gateway is configured and the user has a mobile."""
	if not frappe.db.get_single_value("SMS Settings", "sms_gateway_url"):
		return
	mobile = frappe.db.get_value("User", user, "mobile_no")
	if mobile:
		from frappe.core.doctype.sms_settings.sms_settings import send_sms as send

		send([mobile], text)


# -- checklist --------------------------------------------------------------------------------------


def tick_checklist(doc) -> None:
	before = doc.get_doc_before_save()
	was_done = {row.name for row in (before.checklist if before else []) if row.done}
	for row in doc.checklist:
		if row.done and row.name not in was_done and not row.done_on:
			row.done_by, row.done_on = frappe.session.user, now_datetime()
			log(doc, _("Done: {0}").format(row.step))
		elif not row.done:
			row.done_by = row.done_on = None


# -- the unified external statement ------------------------------------------------------------------


def guard_statement(doc) -> None:
	before = doc.get_doc_before_save()
	if not before:
		return
	if before.statement_released_on and (
		doc.statement_draft != before.statement_draft or doc.released_statement != before.released_statement
	):
		frappe.throw(
			_("The statement was released on {0} and can no longer change.").format(
				before.statement_released_on
			),
			title=_("Statement Released"),
		)
	if doc.statement_draft != before.statement_draft and (doc.legal_approved_on or doc.comms_approved_on):
		doc.legal_approved_by = doc.legal_approved_on = None
		doc.comms_approved_by = doc.comms_approved_on = None
		log(doc, _("Statement changed: its approvals were withdrawn."))


def approve_statement(doc) -> None:
	doc.check_permission("write")
	if not (doc.statement_draft or "").strip():
		frappe.throw(_("There is no statement to approve yet."))
	roles = set(frappe.get_roles())
	now, user, approved = now_datetime(), frappe.session.user, []
	if cs.LEGAL in roles:
		doc.legal_approved_by, doc.legal_approved_on = user, now
		approved.append(_(cs.LEGAL))
	if cs.COMMS in roles:
		doc.comms_approved_by, doc.comms_approved_on = user, now
		approved.append(_(cs.COMMS))
	if not approved:
		frappe.throw(
			_("Only Legal Counsel and the Communications Officer approve the statement."),
			frappe.PermissionError,
		)
	log(doc, _("Statement approved by {0} as {1}.").format(user, ", ".join(approved)))
	doc.save()


def release_statement(doc) -> None:
	doc.check_permission("write")
	if doc.statement_released_on:
		frappe.throw(_("The statement has already been released."))
	problems = cs.statement_problems(
		bool((doc.statement_draft or "").strip()), bool(doc.legal_approved_on), bool(doc.comms_approved_on)
	)
	if problems:
		frappe.throw("<br>".join(p.text(_) for p in problems), title=_("Statement Not Approved"))
	doc.released_statement = doc.statement_draft
	doc.statement_released_on = now_datetime()
	log(doc, _("Statement released."))
	doc.save()


# -- affected customers ------------------------------------------------------------------------------


def collect_affected_customers(doc) -> None:
	"""Every linked complaint's complainant is an affected customer (once)."""
	known = {row.complaint for row in doc.affected_customers if row.complaint}
	for link in doc.complaints:
		if link.complaint in known:
			continue
		complaint = frappe.db.get_value(
			"Complaint", link.complaint, ["complainant_name", "contact_email", "contact_phone"], as_dict=True
		)
		if complaint:
			doc.append(
				"affected_customers",
				{
					"customer_name": complaint.complainant_name,
					"contact_email": complaint.contact_email,
					"contact_phone": complaint.contact_phone,
					"complaint": link.complaint,
				},
			)
			known.add(link.complaint)


PLACATION_JOB = "complaint_response.crisis.alert.send_placation"
PLACATION_CHUNK = 500  # customers per job: several workers share a large fan-out


def pending_placation(alert: str, first: int | None = None, last: int | None = None) -> list[dict]:
	"""The affected customers with an email who have not had the apology, in list order (optionally
	only rows `first`..`last` of the list)."""
	filters = [
		["parent", "=", alert],
		["parenttype", "=", "Crisis Alert"],
		["parentfield", "=", "affected_customers"],
		["placation_sent_on", "is", "not set"],
		["contact_email", "is", "set"],
	]
	if first is not None:
		filters += [["idx", ">=", first], ["idx", "<=", last]]
	return frappe.get_all(
		"Crisis Affected Customer",
		filters=filters,
		fields=["name", "idx", "customer_name", "contact_email", "contact_phone", "complaint"],
		order_by="idx",
	)


def queue_placation(doc) -> int:
	"""Queue the apology in chunks of PLACATION_CHUNK customers, one job each, after the commit; the
	request only reads the row numbers. Returns how many customers are pending."""
	doc.check_permission("write")
	if not (doc.placation_message or "").strip():
		frappe.throw(_("Write the apology message first."))
	pending = [row.idx for row in pending_placation(doc.name)]
	if doc.is_drill:
		chunks = [(None, None)]  # one job, which only says whom it would have contacted
	else:
		chunks = [
			(part[0], part[-1])
			for part in (pending[i : i + PLACATION_CHUNK] for i in range(0, len(pending), PLACATION_CHUNK))
		]
	for first, last in chunks:
		frappe.enqueue(
			PLACATION_JOB,
			alert=doc.name,
			first=first,
			last=last,
			enqueue_after_commit=True,
			now=frappe.flags.in_test,
		)
	return len(pending)


def send_placation(alert: str, commit: bool = True, first: int | None = None, last: int | None = None) -> int:
	"""Send the apology to each affected customer (rows `first`..`last`, or all) with an email who has
	not had it. Each customer is claimed under a row lock and marked sent in the transaction that queues
	the mail, committed one by one: a job killed half-way and run again, or two jobs on the same rows,
	contact nobody twice. A drill contacts nobody. Returns how many were sent."""
	if not frappe.db.exists("Crisis Alert", alert):
		return 0
	head = frappe.db.get_value("Crisis Alert", alert, "*", as_dict=True)  # without its child rows
	pending = pending_placation(alert, first, last)
	if head.is_drill:
		frappe.get_doc(
			{
				"doctype": "Comment",
				"comment_type": "Info",
				"reference_doctype": "Crisis Alert",
				"reference_name": alert,
				"content": _(
					"Drill: the apology would have gone to {0} customers; nobody was contacted."
				).format(len(pending)),
			}
		).insert(ignore_permissions=True)
		return 0
	subject = _("Our apology: {0}").format(head.title)
	sent = 0
	for row in pending:
		# re-read under a row lock: another run may have sent it meanwhile
		if frappe.db.get_value("Crisis Affected Customer", row.name, "placation_sent_on", for_update=True):
			continue
		if not send_mail(
			recipients=[row.contact_email],
			subject=subject,
			message=frappe.render_template(head.placation_message, {"customer": row, "alert": head}),
			reference_doctype="Crisis Alert",
			reference_name=alert,
		):
			break  # nothing recorded: a later run sends once mail is set up
		frappe.db.set_value("Crisis Affected Customer", row.name, "placation_sent_on", now_datetime())
		sent += 1
		if commit:
			frappe.db.commit()
	return sent


# -- review -----------------------------------------------------------------------------------------


def make_improvement_action(doc, title: str) -> str:
	doc.check_permission("write")
	action = frappe.get_doc(
		{
			"doctype": "Improvement Action",
			"title": title or _("Improve after crisis {0}").format(doc.name),
			"source_crisis_alert": doc.name,
			"root_cause": doc.root_cause,
		}
	).insert()
	return action.name
