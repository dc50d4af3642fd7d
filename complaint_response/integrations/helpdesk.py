"""Helpdesk teams as assignment pools. For each HD Team, an Assignment Rule for complaints whose
`hd_team` is that team, with the team's agents as its users, kept in step when the team changes.
Frappe's own Assignment Rule machinery does the round robin. Nothing here runs without Helpdesk."""

import frappe
from frappe import _

from complaint_response.lifecycle.assignment import WEEK
from complaint_response.rules import stages

RULE_PREFIX = "Complaint Team "


def installed() -> bool:
	return "helpdesk" in frappe.get_installed_apps()


def rule_name(team: str) -> str:
	return f"{RULE_PREFIX}{team}"[:140]


def on_team_update(team, method=None) -> None:
	if installed():
		sync_team_rule(team)


def on_team_trash(team, method=None) -> None:
	if frappe.db.exists("Assignment Rule", rule_name(team.name)):
		frappe.delete_doc("Assignment Rule", rule_name(team.name), ignore_permissions=True)


def sync_team_rule(team) -> None:
	name = rule_name(team.name)
	rule = (
		frappe.get_doc("Assignment Rule", name)
		if frappe.db.exists("Assignment Rule", name)
		else frappe.new_doc("Assignment Rule")
	)
	if rule.is_new():
		rule.name = name
		rule.document_type = "Complaint"
		rule.rule = "Round Robin"
		rule.priority = 10  # before the general intake rule
		# the description is a Jinja template of the Assignment Rule: keep its placeholders intact
		rule.description = _("Complaint {0} for team {1}: {2}").format(
			"{{ name }}", team.name, "{{ subject }}"
		)
		rule.set("assignment_days", [{"day": day} for day in WEEK])
	# the team name goes into the condition as a Python string literal
	rule.assign_condition = (
		f'hd_team == {team.name!r} and stage in ("{stages.RECEIVED}", "{stages.CLASSIFIED}")'
	)
	rule.unassign_condition = f'stage in ("{stages.REJECTED}", "{stages.REVIEWED}")'
	rule.set("users", [{"user": row.user} for row in team.users if row.user])
	rule.disabled = 0 if rule.users else 1
	rule.flags.ignore_permissions = True
	rule.save()


def sync_all_team_rules() -> None:
	if not installed():
		return
	for name in frappe.get_all("HD Team", pluck="name"):
		sync_team_rule(frappe.get_doc("HD Team", name))
