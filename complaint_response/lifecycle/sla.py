"""Time nodes (时间节点) on a complaint: the company's SLA policy for its severity and the regulatory
clocks that apply, measured on the working calendar, paused while waiting on the customer.

The arithmetic is rules.clocks / rules.worktime; this module reads the settings and the complaint,
writes the clock states back into the complaint's Time Nodes table, and works out `next_check_at`:
the next moment anything can change, so that the scheduled sweep only loads complaints that are due.
"""

from datetime import date, datetime, time, timedelta

import frappe
from frappe import _
from frappe.utils import cint, flt, get_datetime, getdate, now_datetime

from complaint_response import cached
from complaint_response.rules import clocks
from complaint_response.rules import stages as st
from complaint_response.rules.clocks import ClockSpec, ClockState
from complaint_response.rules.worktime import WorkCalendar

# complaint event -> the Complaint field that records when it happened
EVENT_FIELDS: dict[str, str] = {
	"received": "received_on",
	"acknowledged": "acknowledged_on",
	"accepted": "accepted_on",
	"first_response": "first_response_on",
	"investigation_started": "investigation_started_on",
	"resolved": "customer_informed_on",
	"followed_up": "followed_up_on",
}

# The source of the company SLA policy's time nodes (a regulatory clock's is its own name).
SLA_SOURCE = "SLA"

# Stages whose clocks still run (the follow-up clock runs after the customer is informed).
CLOCKED_STAGES = st.OPEN_STAGES | {st.CUSTOMER_INFORMED, st.FOLLOW_UP}

WEEKDAY_FIELDS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


# -- reading the settings -------------------------------------------------------------------------


def _time(value, default: time) -> time:
	"""A Time field's value (timedelta, time or "HH:MM:SS[.ffffff]") as a time, to the second."""
	if not value:
		return default
	if isinstance(value, timedelta):
		return (datetime.min + value).time().replace(microsecond=0)
	if isinstance(value, time):
		return value.replace(microsecond=0)
	return datetime.strptime(str(value).split(".")[0], "%H:%M:%S").time()


def holidays(conf) -> frozenset[date]:
	days = {getdate(row.holiday_date) for row in conf.holidays}
	if conf.holiday_list and frappe.db.exists("DocType", "Holiday List"):
		days |= {
			getdate(d)
			for d in frappe.get_all(
				"Holiday",
				filters={"parent": conf.holiday_list, "parenttype": "Holiday List"},
				pluck="holiday_date",
			)
		}
	return frozenset(days)


def calendar() -> WorkCalendar:
	"""The working calendar of Complaint Settings."""
	conf = frappe.get_cached_doc("Complaint Settings")
	workdays = frozenset(i for i, field in enumerate(WEEKDAY_FIELDS) if conf.get(field))
	try:
		return WorkCalendar(
			workdays=workdays or frozenset(range(5)),
			day_start=_time(conf.day_start, time(9)),
			day_end=_time(conf.day_end, time(18)),
			holidays=holidays(conf),
		)
	except ValueError:
		# A broken calendar must not stop complaints being registered: fall back to Mon-Fri 09-18.
		frappe.log_error(title=_("Complaint Settings: invalid working calendar, using Mon-Fri 09:00-18:00"))
		return WorkCalendar(holidays=holidays(conf))


def warning_percentages() -> list[int]:
	raw = frappe.get_cached_doc("Complaint Settings").warning_percentages or ""
	return sorted({cint(part) for part in raw.replace(";", ",").split(",") if 0 < cint(part) < 100})


def re_escalate_after() -> timedelta:
	hours = frappe.db.get_single_value("Complaint Settings", "re_escalate_after_hours")
	return timedelta(hours=flt(hours) if hours is not None else 4)


def spec_from_row(row, source: str) -> ClockSpec:
	return ClockSpec(
		node=row.node,
		duration=flt(row.duration),
		unit=row.unit,
		source=source,
		starts_at=row.starts_at or "received",
		stops_at=row.stops_at or "",
		extended_duration=flt(row.extended_duration) or None,
	)


def specs_for(doc) -> list[ClockSpec]:
	specs: list[ClockSpec] = []
	severity = doc.severity or "General"
	if severity in enabled_policies():
		policy = frappe.get_cached_doc("Complaint SLA Policy", severity)
		specs += [spec_from_row(row, SLA_SOURCE) for row in policy.nodes]
	for clock in enabled_clocks():
		if clock.channel and clock.channel != doc.channel:
			continue
		if clock.company and clock.company != doc.get("company"):
			continue
		specs += [
			spec_from_row(row, clock.name)
			for row in frappe.get_cached_doc("Regulatory Clock", clock.name).nodes
		]
	return specs


def enabled_policies() -> set[str]:
	return set(
		cached.get(
			"sla_policies",
			lambda: frappe.get_all("Complaint SLA Policy", filters={"enabled": 1}, pluck="name"),
		)
	)


def enabled_clocks() -> list:
	return cached.get(
		"regulatory_clocks",
		lambda: frappe.get_all(
			"Regulatory Clock",
			filters={"enabled": 1},
			fields=["name", "channel", "company"],
			order_by="name asc",
		),
	)


# -- the complaint's own clock inputs ---------------------------------------------------------------


def events(doc) -> dict[str, datetime | None]:
	return clocks.with_implied(
		{
			event: get_datetime(doc.get(field)) if doc.get(field) else None
			for event, field in EVENT_FIELDS.items()
		}
	)


def pauses(doc) -> list[tuple[datetime, datetime | None]]:
	return [
		(get_datetime(row.paused_from), get_datetime(row.paused_to) if row.paused_to else None)
		for row in doc.pauses
	]


def track_pause(doc, now: datetime) -> None:
	"""Open a pause when the complaint starts waiting on the customer, close it when it stops."""
	open_rows = [row for row in doc.pauses if not row.paused_to]
	if doc.waiting_on_customer and not open_rows:
		doc.append("pauses", {"paused_from": now, "reason": _("Waiting on customer")})
	elif not doc.waiting_on_customer:
		for row in open_rows:
			row.paused_to = now


def stamp_events(doc, now: datetime) -> None:
	"""Acknowledged / accepted / first response, from the complaint's own record."""
	outbound = sorted(get_datetime(row.contact_on) for row in doc.contact_log if row.direction == "Outbound")
	if outbound and not doc.first_response_on:
		doc.first_response_on = outbound[0]
	left_intake = doc.stage not in (st.RECEIVED,)
	if left_intake and not doc.accepted_on:
		doc.accepted_on = now
	firsts = [moment for moment in (doc.first_response_on, doc.accepted_on) if moment]
	if firsts and not doc.acknowledged_on:
		doc.acknowledged_on = min(get_datetime(m) for m in firsts)


# -- evaluating -------------------------------------------------------------------------------------


def row_for(doc, spec: ClockSpec):
	for row in doc.time_nodes:
		if (row.node, row.source) == (spec.node, spec.source):
			return row
	return doc.append("time_nodes", {"node": spec.node, "source": spec.source, "escalation_level": 0})


def sent_of(row) -> set[int]:
	return {cint(part) for part in (row.warnings_sent or "").split(",") if part.strip()}


def refresh(doc, now: datetime | None = None) -> list[tuple[ClockSpec, ClockState, object]]:
	"""Recompute every time node of `doc` at `now`; returns (spec, state, row) for each."""
	now = now or now_datetime()
	track_pause(doc, now)
	stamp_events(doc, now)
	cal, gaps, evs = calendar(), pauses(doc), events(doc)
	reopened = get_datetime(doc.reopened_on) if doc.get("reopened_on") else None
	round_evs = clocks.in_round(evs, reopened)
	specs = specs_for(doc)
	keep = {(spec.node, spec.source) for spec in specs}
	doc.set("time_nodes", [row for row in doc.time_nodes if (row.node, row.source) in keep])
	results = []
	for spec in specs:
		in_round = spec.source == SLA_SOURCE and spec.stops_at in clocks.ROUND_EVENTS
		state = clocks.evaluate(spec, round_evs if in_round else evs, now, cal, gaps)
		row = row_for(doc, spec)
		row.due, row.met_on, row.clock_status = state.due, state.met_on, state.status
		row.elapsed_pct = round(min(state.elapsed_pct or 0, 999), 1)
		results.append((spec, state, row))
	set_summary(doc, results, cal)
	return results


def set_summary(doc, results, cal: WorkCalendar) -> None:
	strictest = clocks.strictest(state for _spec, state, _row in results)
	for _spec, state, row in results:
		row.strictest = int(strictest is not None and state is strictest)
	doc.next_due = strictest.due if strictest else None
	doc.sla_status = summary_status(doc, [state for _spec, state, _row in results])
	doc.next_check_at = next_check_at(doc, results, cal)


def summary_status(doc, states: list[ClockState]) -> str:
	if doc.stage == st.REJECTED:
		return "Stopped"
	running = [s for s in states if s.met_on is None and s.status != clocks.NOT_STARTED]
	if any(s.status == clocks.BREACHED for s in running):
		return "Breached"
	if doc.waiting_on_customer and running:
		return "Paused"
	thresholds = warning_percentages()
	if thresholds and any((s.elapsed_pct or 0) >= thresholds[0] for s in running):
		return "Warning"
	if running:
		return "On Track"
	return "Met" if states else ""


def next_check_at(doc, results, cal: WorkCalendar) -> datetime | None:
	if doc.stage not in CLOCKED_STAGES:
		return None
	gaps, thresholds, later = pauses(doc), warning_percentages(), re_escalate_after()
	moments = [
		clocks.next_check(spec, state, thresholds, sent_of(row), cint(row.escalation_level), later, cal, gaps)
		for spec, state, row in results
	]
	moments = [m for m in moments if m is not None]
	return min(moments) if moments else None


def validate_nodes(doc) -> None:
	"""Refuse a policy or regulatory clock whose rows the clock arithmetic cannot use."""
	for row in doc.nodes:
		try:
			spec_from_row(row, doc.name or "")
		except ValueError as error:
			frappe.throw(_("Row {0}: {1}").format(row.idx, str(error)), title=_("Invalid Time Node"))
