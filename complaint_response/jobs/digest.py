# Copyright (c) 2026, Complaint Response Contributors
# For license information, please see license.txt

"""The weekly management digest (定期报告), a scheduled job: the key figures of the last seven days
against the seven days before (rules/digest.py), counted by a few grouped queries, emailed as HTML with
links to the reports and lists to the users holding Complaint Settings' digest role and the extra
addresses listed there, each in their own language. Nothing is sent when the digest is switched off or
nobody would receive it."""

from collections import defaultdict
from datetime import date
from urllib.parse import quote

import frappe
from frappe import _
from frappe.utils import add_days, formatdate, get_url, getdate, today

from complaint_response.analytics import ON_TIME_SQL, RESOLUTION_NODE, hours
from complaint_response.dashboard import count_overdue_actions
from complaint_response.rules import digest as rules
from complaint_response.rules.digest import Weeks, WeekTotals


def send_weekly_digest() -> None:
	"""Scheduled weekly (hooks.scheduler_events)."""
	send_digest(getdate(today()))


def send_digest(on: date) -> list[str]:
	"""Email the digest of the seven days before `on`; the addresses it went to (none when switched off
	or when nobody holds the role and no address is listed)."""
	settings = frappe.get_single("Complaint Settings")
	if not settings.digest_enabled:
		return []
	by_language = recipients_by_language(settings.digest_role, settings.digest_recipients)
	if not by_language:
		return []
	weeks = rules.digest_weeks(on)
	found = rules.figures(*week_totals(weeks), now_figures())
	sent: list[str] = []
	subject_template, body_template = layout()
	current = frappe.local.lang
	try:
		for language, addresses in by_language.items():
			frappe.local.lang = language
			context = digest_context(weeks, found)
			frappe.sendmail(
				recipients=addresses,
				subject=frappe.render_template(subject_template, context).strip() or context["subject"],
				message=frappe.render_template(body_template, context),
			)
			sent += addresses
	finally:
		frappe.local.lang = current
	return sent


# --- recipients --------------------------------------------------------------------------------


def recipients_by_language(role: str | None, extra: str | None) -> dict[str, list[str]]:
	"""The enabled users holding `role` grouped by their language, and the extra addresses (in the
	system's language, or a user's own when the address is a user's)."""
	users = {}
	if role:
		User, HasRole = frappe.qb.DocType("User"), frappe.qb.DocType("Has Role")
		rows = (
			frappe.qb.from_(User)
			.join(HasRole)
			.on((HasRole.parent == User.name) & (HasRole.parenttype == "User"))
			.select(User.email, User.language)
			.where(
				(HasRole.role == role) & (User.enabled == 1) & (User.name.notin(["Administrator", "Guest"]))
			)
			.orderby(User.email)
			.run()
		)
		users = {email: language for email, language in rows if email}
	addresses = rules.recipients(list(users), extra)
	system_language = frappe.db.get_single_value("System Settings", "language") or "en"
	languages = dict(
		frappe.get_all(
			"User",
			filters={"email": ["in", [a for a in addresses if a not in users]] or [""]},
			fields=["email", "language"],
			as_list=True,
		)
	)
	grouped: dict[str, list[str]] = defaultdict(list)
	for address in addresses:
		grouped[users.get(address) or languages.get(address) or system_language].append(address)
	return dict(grouped)


# --- figures -----------------------------------------------------------------------------------


def week_totals(weeks: Weeks) -> tuple[WeekTotals, WeekTotals]:
	"""This week's and last week's totals: one grouped query per kind of event, each split into the two
	weeks by the moment of its event."""
	this, last = WeekTotals(), WeekTotals()
	values = {
		"last_start": weeks.last_start,
		"this_start": weeks.this_start,
		"this_end": weeks.this_end,
		"resolution_node": RESOLUTION_NODE,
	}

	def grouped(moment: str, select: str, table: str = "`tabComplaint` c", where: str = "1=1"):
		return frappe.db.sql(
			f"""SELECT {moment} >= %(this_start)s AS this_week, {select} FROM {table}
			WHERE {moment} >= %(last_start)s AND {moment} < %(this_end)s AND {where}
			GROUP BY this_week""",
			values,
			as_dict=True,
		)

	def week(row) -> WeekTotals:
		return this if row.this_week else last

	for row in grouped("c.received_on", "COUNT(*) AS received"):
		week(row).received = int(row.received)
	for row in grouped("c.customer_informed_on", f"COUNT(*) AS resolved, SUM({ON_TIME_SQL}) AS on_time"):
		week(row).resolved, week(row).resolved_on_time = int(row.resolved), int(row.on_time or 0)
	for row in grouped(
		"c.followed_up_on",
		"COUNT(*) AS follow_ups, SUM(c.satisfaction) AS score",
		where="c.satisfaction BETWEEN 1 AND 5",
	):
		week(row).follow_ups, week(row).satisfaction_sum = int(row.follow_ups), int(row.score or 0)
	for row in grouped(
		"a.creation", "COUNT(*) AS alerts", table="`tabCrisis Alert` a", where="IFNULL(a.is_drill, 0) = 0"
	):
		week(row).new_crisis_alerts = int(row.alerts)
	# The response times themselves (the median needs them): the first responses given in the weeks.
	for this_week, response_us in frappe.db.sql(
		"""SELECT c.first_response_on >= %(this_start)s,
			TIMESTAMPDIFF(MICROSECOND, c.received_on, c.first_response_on)
		FROM `tabComplaint` c
		WHERE c.first_response_on >= %(last_start)s AND c.first_response_on < %(this_end)s
			AND c.received_on IS NOT NULL""",
		values,
	):
		(this if this_week else last).response_hours.append(hours(response_us))
	return this, last


def now_figures() -> dict[str, int]:
	"""The state when the digest is made (whatever week it covers): open complaints, those with a
	breached time node, overdue improvement actions."""
	return {
		"open_now": frappe.db.count("Complaint", {"status": "Open"}),
		"breached_now": frappe.db.count("Complaint", {"status": "Open", "sla_status": "Breached"}),
		"overdue_actions_now": count_overdue_actions(),
	}


# --- the email ---------------------------------------------------------------------------------


def labels() -> dict[str, str]:
	return {
		"received": _("Complaints Received"),
		"resolved": _("Resolved (Customer Informed)"),
		"median_response_hours": _("Median First Response (Hours)"),
		"on_time_rate": _("On-Time Resolution Rate"),
		"mean_satisfaction": _("Mean Satisfaction"),
		"new_crisis_alerts": _("New Crisis Alerts (Drills Excluded)"),
		"open_now": _("Open Complaints"),
		"breached_now": _("Open With a Breached Time Node"),
		"overdue_actions_now": _("Overdue Improvement Actions"),
	}


def links() -> list[tuple[str, str]]:
	def desk(path: str) -> str:
		return get_url("/app/" + path)

	return [
		(_("Complaint Performance"), desk("query-report/" + quote("Complaint Performance"))),
		(_("Complaint Category Pareto"), desk("query-report/" + quote("Complaint Category Pareto"))),
		(_("Open Complaints"), desk("complaint?status=Open")),
		(_("Open With a Breached Time Node"), desk("complaint?status=Open&sla_status=Breached")),
		(_("Crisis Alert"), desk("crisis-alert?is_drill=0")),
		(_("Improvement Action"), desk("improvement-action")),
	]


# The Email Template holding the digest's layout (Jinja, rendered in Frappe's sandbox with
# digest_context): shipped with TEMPLATE and SUBJECT, then the admin's to edit.
DIGEST_TEMPLATE = "Complaint Weekly Digest"
SUBJECT = "{{ subject }}"
TEMPLATE = """
<div style="font-family: sans-serif; font-size: 14px;">
<p>{{ intro }}</p>
<table cellpadding="6" style="border-collapse: collapse;">
<tr style="text-align: left; border-bottom: 1px solid #ccc;">
	<th></th><th>{{ this_week }}</th><th>{{ last_week }}</th><th>{{ change }}</th>
</tr>
{% for row in rows %}
<tr style="border-bottom: 1px solid #eee;">
	<td>{{ row.label }}</td>
	<td style="text-align: right;"><b>{{ row.this }}</b></td>
	<td style="text-align: right; color: #888;">{{ row.last }}</td>
	<td style="color: {{ row.colour }};">{{ row.arrow }} {{ row.delta }}</td>
</tr>
{% endfor %}
</table>
<p><b>{{ now_title }}</b></p>
<ul>
{% for row in now %}<li>{{ row.label }}: <b>{{ row.this }}</b></li>
{% endfor %}
</ul>
<p><b>{{ open_title }}</b></p>
<ul>
{% for label, url in links %}<li><a href="{{ url }}">{{ label }}</a></li>
{% endfor %}
</ul>
</div>
"""
COLOURS = {"good": "#2e7d32", "bad": "#c62828", "": "#555"}


def layout() -> tuple[str, str]:
	"""The subject and body templates: the Email Template an admin edits (created once, by
	setup/notifications.py), or the built-in layout where there is none."""
	row = frappe.db.get_value(
		"Email Template", DIGEST_TEMPLATE, ["subject", "use_html", "response", "response_html"], as_dict=True
	)
	if not row:
		return SUBJECT, TEMPLATE
	body = row.response_html if row.use_html else row.response
	return row.subject or SUBJECT, body or TEMPLATE


def digest_context(weeks: Weeks, found: list[rules.Figure]) -> dict:
	"""What the digest's template is rendered with, every word in the current language."""
	names = labels()

	def row(figure: rules.Figure) -> dict:
		return {
			"label": names[figure.key],
			"this": rules.format_value(figure.this, figure.kind),
			"last": rules.format_value(figure.last, figure.kind) if figure.compared else "",
			"arrow": rules.arrow(figure.this, figure.last) if figure.compared else "",
			"delta": rules.format_delta(figure),
			"colour": COLOURS[rules.tone(figure)],
		}

	first, last = formatdate(weeks.this_start), formatdate(add_days(weeks.this_end, -1))
	return {
		"subject": _("Complaints: weekly digest, {0} to {1}").format(first, last),
		"from_date": first,
		"to_date": last,
		"intro": _("The complaints of the seven days from {0} to {1}, against the seven days before.").format(
			first, last
		),
		"this_week": _("This Week"),
		"last_week": _("Week Before"),
		"change": _("Change"),
		"rows": [row(f) for f in found if f.compared],
		"now_title": _("Now"),
		"now": [row(f) for f in found if not f.compared],
		"open_title": _("Open in the Desk"),
		"links": links(),
	}


def render(weeks: Weeks, found: list[rules.Figure]) -> str:
	"""The digest's body in the current language."""
	return frappe.render_template(layout()[1], digest_context(weeks, found))
