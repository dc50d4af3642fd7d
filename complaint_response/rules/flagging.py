"""Which tickets are complaints (Helpdesk `HD Ticket`, ERPNext `Issue`): the admin's Complaint Flag
Rules, as plain Python. A rule matches when every condition it sets holds (ticket type, priority,
and at least one keyword in the subject or description); a rule that sets no condition never
matches. The reason names the rule and what matched, for the complaint's *Raised Because*."""

from collections.abc import Iterable
from dataclasses import dataclass

from complaint_response.rules.grading import normalise_text
from complaint_response.rules.stages import Problem, problem


@dataclass(frozen=True)
class FlagRule:
	name: str
	ticket_type: str | None = None
	priority: str | None = None
	keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Ticket:
	ticket_type: str | None = None
	priority: str | None = None
	subject: str = ""
	description: str = ""


def keywords_from(text: str | None) -> tuple[str, ...]:
	"""One keyword a line or between commas (ASCII or Chinese)."""
	parts = (text or "").replace("，", ",").replace("\n", ",").split(",")
	return tuple(p.strip() for p in parts if p.strip())


def match(rule: FlagRule, ticket: Ticket) -> Problem | None:
	"""The reason `ticket` is a complaint under `rule`, or None."""
	if not (rule.ticket_type or rule.priority or rule.keywords):
		return None
	found: list[str] = []
	if rule.ticket_type:
		if (ticket.ticket_type or "").casefold() != rule.ticket_type.casefold():
			return None
		found.append(f"type {rule.ticket_type}")
	if rule.priority:
		if (ticket.priority or "").casefold() != rule.priority.casefold():
			return None
		found.append(f"priority {rule.priority}")
	if rule.keywords:
		text = normalise_text(f"{ticket.subject}\n{ticket.description}")
		hit = next((k for k in rule.keywords if normalise_text(k) and normalise_text(k) in text), None)
		if hit is None:
			return None
		found.append(f'"{hit}"')
	return problem("Flagged as a complaint by rule {rule}: {found}.", rule=rule.name, found=", ".join(found))


def first_match(rules: Iterable[FlagRule], ticket: Ticket) -> Problem | None:
	return next((reason for rule in rules if (reason := match(rule, ticket))), None)
