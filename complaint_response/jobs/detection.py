"""The early-warning job (预警): raises or updates crisis alerts from the complaints created since its
last run. Scheduled every 15 minutes (hooks.scheduler_events).

Three kinds of cause, each decided by rules.detection:

- spike (投诉激增): the complaints about one category, product or store in the last `window_hours` are far
  above that key's own baseline of the `baseline_days` before the window (a Poisson test);
- group complaint (群体性投诉): a complaint graded Group, or `group_same_cause` complaints in the window
  about the same category and product;
- severe complaint (严重投诉): a complaint whose grading reasons are crisis-worthy.

Cheap: it reads the complaints created since the last run, then counts, with one grouped query per
dimension, only the categories, products and stores those complaints carry. Idempotent: an alert carries
a de-duplication key (rules.detection.alert_key) in a unique column, and an open alert for the same cause
is updated instead of raising another; a second run with the same `now` changes nothing."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Count, Sum
from frappe.utils import cint, flt, get_datetime, now_datetime
from frappe.utils.data import cstr

from complaint_response.crisis.alert import log, risk_matrix
from complaint_response.jobs import each_committed
from complaint_response.rules.crisis_level import level_for, suggest_scores
from complaint_response.rules.crisis_stages import ACTIVE_STAGES
from complaint_response.rules.detection import (
	DEFAULT_PARAMS,
	DEFAULT_SCAN,
	DIMENSIONS,
	ESCALATE,
	SpikeParams,
	SpikeResult,
	alert_key,
	build_profile,
	decide,
	detect,
	expected_in_window,
	group_by_cause,
	scan_all,
)
from complaint_response.rules.grouping import GroupingRule, Incident, belongs, covering_incident, values_of

SPIKE, GROUP, SEVERE = "spike", "group", "severe"
SOURCES = {SPIKE: "Complaint Spike", GROUP: "Group Complaint", SEVERE: "Severe Complaint"}
# rules.detection's dimensions -> the Complaint field holding the value
DIMENSION_FIELDS = {"category": "category", "item": "product", "store": "store_branch"}
SPIKE_CRISIS_TYPES = {"item": "Product Quality"}  # any other dimension: Service Failure
SPECIFICITY = {"item": 0, "store": 1, "category": 2}
# A complaint created just before a run may commit just after it: each run looks this far back before
# the last one too (seeing a complaint twice changes nothing).
LATE_COMMIT_MARGIN = timedelta(minutes=5)
FOOD_SAFETY_WORDS = ("food safety", "food poisoning", "食物中毒", "食品安全")
COMPLAINT_FIELDS = [
	"name",
	"subject",
	"category",
	"product",
	"store_branch",
	"severity",
	"crisis_worthy",
	"affected_customers",
	"grading_reasons",
	"received_on",
	"creation",
]


@dataclass
class Finding:
	"""One cause the job saw, with the complaints behind it."""

	kind: str
	dimension: str
	value: str
	key: str
	title: str
	crisis_type: str
	complaints: list[dict]
	count: int
	expected: float
	seen: list[str]  # translated lines describing what was seen


# -- the run ----------------------------------------------------------------------------------------


JOB_ID = "complaint-response-detection"
LOCK = "complaint_response_detection"


def queue_check(doc, method=None) -> None:
	"""Complaint.after_insert: check for an incident within minutes instead of at the next scheduled
	run. One check is queued at a time (a burst of complaints makes one run), after the commit."""
	if not frappe.db.get_single_value("Crisis Settings", "detection_enabled"):
		return
	frappe.enqueue(
		"complaint_response.jobs.detection.run_locked",
		queue="short",
		job_id=f"{JOB_ID}::{frappe.local.site}",
		deduplicate=True,
		enqueue_after_commit=True,
	)


def run_locked() -> list[str]:
	"""The scheduled run and the queued check never overlap: the one that finds the other running
	stops (the running one, or the next, sees the same complaints)."""
	from frappe.utils.synchronization import LockTimeoutError, filelock

	try:
		with filelock(LOCK, timeout=1):
			return run()
	except LockTimeoutError:
		return []


def run(now: datetime | None = None, commit: bool = True) -> list[str]:
	"""Raise or update the alerts for the complaints created since the last run; returns the alerts
	raised or changed. The last run only moves forward when every alert went through, so a failed one
	is tried again next time (the de-duplication keys make that safe)."""
	settings = frappe.get_single("Crisis Settings")
	if not settings.detection_enabled:
		return []
	now = get_datetime(now or now_datetime())
	params = spike_params(settings)
	if settings.last_detection_run:
		since = get_datetime(settings.last_detection_run) - LATE_COMMIT_MARGIN
	else:
		since = now - timedelta(hours=params.window_hours)
	user = frappe.session.user
	if user != "Administrator":
		frappe.set_user("Administrator")
	try:
		found = findings(new_complaints(since, now), now, params, settings)
		changed, failed = process_all(found, grouping_rule(settings), now, commit)
	finally:
		if user != "Administrator":
			frappe.set_user(user)
	if not failed:
		frappe.db.set_single_value("Crisis Settings", "last_detection_run", now, update_modified=False)
		if commit:
			frappe.db.commit()
	return changed


def process_all(
	found: Iterable[Finding], rule: GroupingRule, now: datetime, commit: bool
) -> tuple[list[str], bool]:
	names, failed = each_committed(
		found,
		lambda finding: raise_or_update(finding, rule, now),
		commit,
		lambda finding: _("Crisis detection failed for {0}").format(finding.key),
	)
	return list(dict.fromkeys(name for name in names if name)), failed


def grouping_rule(settings) -> GroupingRule:
	fields = tuple(
		field for field in ("store", "product", "category") if cint(settings.get(f"group_by_{field}"))
	)
	return GroupingRule(fields=fields, interval_hours=cint(settings.get("group_interval_hours")) or 24)


def spike_params(settings) -> SpikeParams:
	return SpikeParams(
		window_hours=cint(settings.window_hours) or DEFAULT_PARAMS.window_hours,
		baseline_days=cint(settings.baseline_days) or DEFAULT_PARAMS.baseline_days,
		min_count=cint(settings.min_count) or DEFAULT_PARAMS.min_count,
		p_threshold=flt(settings.p_threshold) or DEFAULT_PARAMS.p_threshold,
		min_ratio=flt(settings.min_ratio),
	)


def findings(new: list[dict], now: datetime, params: SpikeParams, settings) -> Iterator[Finding]:
	"""Spikes first, then cause groups (which skip what an open alert already covers), then the single
	group and severe complaints. A generator, so each check sees the alerts raised before it."""
	if not new:
		return
	window_start = now - timedelta(hours=params.window_hours)
	counts = key_counts(new, window_start - timedelta(days=params.baseline_days), window_start, now)
	expected = {(d, v.casefold()): expected_in_window(b, params) for (d, v), (_w, b) in counts.items()}
	if settings.get("spike_test") == CLASSIC:
		window = {key: w for key, (w, _b) in counts.items() if w}
		baseline = {key: b for key, (_w, b) in counts.items()}
		results = detect(window, baseline, params)
	else:
		results = scan_all(key_times(new, now), now, DEFAULT_SCAN, profile=site_profile(now))
	# most specific first: a product's burst also lifts its category, and one incident is one alert
	for result in sorted(results, key=lambda r: SPECIFICITY.get(r.key[0], 9)):
		yield spike_finding(result, window_start, now, params)
	n = cint(settings.group_same_cause)
	if n:
		yield from cause_findings(new, max(n, 2), window_start, now, params, expected)
	for row in new:
		if row.severity == "Group":
			yield complaint_finding(GROUP, row, params, expected)
		elif row.crisis_worthy:
			yield complaint_finding(SEVERE, row, params, expected)


# -- reading complaints -----------------------------------------------------------------------------

CLASSIC = "24 Hours"  # Crisis Settings' Spike Test: the single 24-hour Poisson test; else the scan
PROFILE_CACHE = "complaint_response:detection_profile"
PROFILE_DAYS = 28


def key_times(new: list[dict], now: datetime) -> dict[tuple[str, str], list[datetime]]:
	"""The receipt times, over the scan's lookback, of each category, product and store the new
	complaints carry: one query per dimension, restricted to those values."""
	times: dict[tuple[str, str], list[datetime]] = {}
	for dimension in DIMENSIONS:
		fieldname = DIMENSION_FIELDS[dimension]
		values = sorted({row[fieldname] for row in new if row[fieldname]})
		if not values:
			continue
		rows = frappe.get_all(
			"Complaint",
			filters=[
				[fieldname, "in", values],
				["received_on", ">", now - DEFAULT_SCAN.lookback],
				["received_on", "<=", now],
				["status", "!=", "Rejected"],
			],
			fields=[fieldname, "received_on"],
		)
		for row in rows:
			times.setdefault((dimension, row[fieldname]), []).append(get_datetime(row.received_on))
	return times


def site_profile(now: datetime) -> tuple[float, ...]:
	"""The site's hour-of-week profile of complaints over the last 28 days, made once a day (cached)."""
	day = str(now.date())
	cached = frappe.cache.get_value(PROFILE_CACHE)
	if cached and cached.get("day") == day:
		return tuple(cached["profile"])
	start = now - timedelta(days=PROFILE_DAYS)
	received = frappe.get_all(
		"Complaint",
		filters=[["received_on", ">", start], ["received_on", "<=", now], ["status", "!=", "Rejected"]],
		pluck="received_on",
	)
	profile = build_profile((get_datetime(t) for t in received), start, now)
	frappe.cache.set_value(PROFILE_CACHE, {"day": day, "profile": list(profile)}, expires_in_sec=86400)
	return profile


def new_complaints(since: datetime, now: datetime) -> list[dict]:
	return frappe.get_all(
		"Complaint",
		filters=[["creation", ">", since], ["creation", "<=", now], ["status", "!=", "Rejected"]],
		fields=COMPLAINT_FIELDS,
		order_by="creation asc",
	)


def window_complaints(filters: list, start: datetime, end: datetime) -> list[dict]:
	return frappe.get_all(
		"Complaint",
		filters=[
			*filters,
			["received_on", ">", start],
			["received_on", "<=", end],
			["status", "!=", "Rejected"],
		],
		fields=COMPLAINT_FIELDS,
		order_by="received_on asc, name asc",
	)


def key_counts(
	new: list[dict], baseline_start: datetime, window_start: datetime, now: datetime
) -> dict[tuple[str, str], tuple[int, int]]:
	"""(window count, baseline count) per (dimension, value) carried by the new complaints: one grouped
	query per dimension, restricted to those values. The baseline ends where the window starts."""
	Complaint = frappe.qb.DocType("Complaint")
	counts = {}
	for dimension in DIMENSIONS:
		fieldname = DIMENSION_FIELDS[dimension]
		values = sorted({row[fieldname] for row in new if row[fieldname]})
		if not values:
			continue
		field = Complaint[fieldname]
		in_window = Sum(Case().when(Complaint.received_on > window_start, 1).else_(0))
		rows = (
			frappe.qb.from_(Complaint)
			.select(field, in_window, Count("*"))
			.where(field.isin(values))
			.where(Complaint.received_on > baseline_start)
			.where(Complaint.received_on <= now)
			.where(Complaint.status != "Rejected")
			.groupby(field)
		).run()
		for value, window, total in rows:
			counts[(dimension, value)] = (int(window or 0), int(total) - int(window or 0))
	return counts


# -- findings ---------------------------------------------------------------------------------------


def spike_finding(result: SpikeResult, window_start: datetime, now: datetime, params: SpikeParams) -> Finding:
	"""The scan reports the window that fired; its complaints are the spike's, and its alert key is the
	day's (the reported window varies from one run to the next)."""
	dimension, value = result.key
	if result.window_start is not None:
		window_start = result.window_start
		key = alert_key(SPIKE, dimension, value, now, 24)
	else:
		key = alert_key(SPIKE, dimension, value, window_start, params.window_hours)
	rows = window_complaints([[DIMENSION_FIELDS[dimension], "=", value]], window_start, now)
	return Finding(
		kind=SPIKE,
		dimension=dimension,
		value=value,
		key=key,
		title=_("Complaint spike: {0} {1}").format(dimension_label(dimension), value),
		crisis_type=crisis_type_of(rows, SPIKE_CRISIS_TYPES.get(dimension, "Service Failure")),
		complaints=rows,
		count=result.count,
		expected=result.expected,
		seen=[reason.text(_) for reason in result.reasons],
	)


def cause_findings(
	new: list[dict], n: int, window_start: datetime, now: datetime, params: SpikeParams, expected: dict
) -> list[Finding]:
	"""Groups of at least n window complaints about the same category and product, for the pairs the
	new complaints carry. A complaint without a product has no cause specific enough to group on."""
	pairs = {(row.category.casefold(), row.product.casefold()) for row in new if row.category and row.product}
	if not pairs:
		return []
	filters = [
		["category", "in", sorted({row.category for row in new if row.category})],
		["product", "in", sorted({row.product for row in new if row.product})],
	]
	rows = {
		row.name: row
		for row in window_complaints(filters, window_start, now)
		if (row.category.casefold(), row.product.casefold()) in pairs
	}
	plain = [
		{"name": r.name, "category": r.category, "item": r.product, "store": r.store_branch}
		for r in rows.values()
	]
	found = []
	for group in group_by_cause(plain, n):
		members = [rows[name] for name in group.names]
		found.append(
			Finding(
				kind=GROUP,
				dimension=group.dimension,
				value=group.value,
				key=alert_key(GROUP, group.dimension, group.value, window_start, params.window_hours),
				title=_("Group complaint: {0} complaints about {1}").format(group.count, group.value),
				crisis_type=crisis_type_of(members, "Group Complaint"),
				complaints=members,
				count=group.count,
				expected=expected_for(members[0], expected),
				seen=[
					_(
						"{0} complaints about {1} in the last {2} hours share a cause (the threshold is {3})."
					).format(group.count, group.value, params.window_hours, n)
				],
			)
		)
	return found


def complaint_finding(kind: str, row: dict, params: SpikeParams, expected: dict) -> Finding:
	"""A single complaint graded Group (群体性投诉) or with crisis-worthy grading reasons (严重投诉)."""
	customers = max(cint(row.affected_customers), 1)
	if kind == GROUP:
		title = _("Group complaint: {0} ({1} customers affected)").format(row.subject or row.name, customers)
		default_type = "Group Complaint"
	else:
		title = _("Severe complaint: {0}").format(row.subject or row.name)
		default_type = "Product Quality"
	return Finding(
		kind=kind,
		dimension="complaint",
		value=row.name,
		key=alert_key(kind, "complaint", row.name, row.creation, params.window_hours),
		title=title,
		crisis_type=crisis_type_of([row], default_type),
		complaints=[row],
		count=1,
		expected=expected_for(row, expected),
		seen=[
			_("Complaint {0} was graded {1}, {2} customers affected: {3}").format(
				row.name, _(row.severity), customers, row.grading_reasons or ""
			)
		],
	)


def dimension_label(dimension: str) -> str:
	return {"category": _("Category"), "item": _("Product"), "store": _("Store")}.get(dimension, dimension)


def crisis_type_of(rows: list[dict], default: str) -> str:
	"""Food Safety when a complaint's grading reasons name it, else `default`."""
	for row in rows:
		reasons = (row.grading_reasons or "").casefold()
		if any(word in reasons for word in FOOD_SAFETY_WORDS):
			return "Food Safety"
	return default


def expected_for(row: dict, expected: dict) -> float:
	"""The complaints expected per window for the complaint's product, else its category, else store."""
	for dimension in ("item", "category", "store"):
		value = row.get(DIMENSION_FIELDS[dimension])
		if value and (dimension, value.casefold()) in expected:
			return expected[(dimension, value.casefold())]
	return expected_in_window(0)


# -- alerts -----------------------------------------------------------------------------------------


def raise_or_update(finding: Finding, rule: GroupingRule, now: datetime) -> str | None:
	"""Update the open alert for the same cause (or the one with the same key); else attach the finding
	to the open alert of the incident it belongs to (rules.grouping); else raise a new alert."""
	name = existing_alert(finding)
	if name:
		return update_alert(frappe.get_doc("Crisis Alert", name), finding, now)
	incident = covering_incident(rule, open_incidents(), signal_values(finding.complaints), now)
	if incident:
		return update_alert(frappe.get_doc("Crisis Alert", incident.name), finding, now, rule, incident)
	return raise_alert(finding, now)


def grouping_record(row: dict) -> dict:
	return {"store": row.get("store_branch"), "product": row.get("product"), "category": row.get("category")}


def signal_values(rows: list[dict]):
	return values_of(grouping_record(row) for row in rows)


def open_incidents() -> list[Incident]:
	"""The open, real (not drill) alerts, with the stores, products and categories of their complaints:
	one query for the alerts, one DISTINCT query for their complaints' values."""
	alerts = frappe.get_all(
		"Crisis Alert",
		filters={"stage": ["in", sorted(ACTIVE_STAGES)], "is_drill": 0},
		fields=["name", "last_signal_on", "creation"],
	)
	if not alerts:
		return []
	Link, Complaint = frappe.qb.DocType("Crisis Alert Complaint"), frappe.qb.DocType("Complaint")
	rows = (
		frappe.qb.from_(Link)
		.join(Complaint)
		.on(Complaint.name == Link.complaint)
		.select(Link.parent, Complaint.store_branch, Complaint.product, Complaint.category)
		.distinct()
		.where(Link.parent.isin([alert.name for alert in alerts]))
		.where(Link.parenttype == "Crisis Alert")
	).run(as_dict=True)
	by_alert: dict[str, list[dict]] = {}
	for row in rows:
		by_alert.setdefault(row.parent, []).append(grouping_record(row))
	return [
		Incident(
			alert.name,
			values_of(by_alert.get(alert.name, [])),
			get_datetime(alert.last_signal_on or alert.creation),
		)
		for alert in alerts
	]


def existing_alert(finding: Finding) -> str | None:
	value = key_value(finding.key)
	open_alerts = frappe.get_all(
		"Crisis Alert",
		filters={
			"detection_kind": finding.kind,
			"detection_dimension": finding.dimension,
			"detection_value": value,
			"stage": ["in", sorted(ACTIVE_STAGES)],
		},
		pluck="name",
		order_by="creation desc",
		limit=1,
	)
	if open_alerts:
		return open_alerts[0]
	return frappe.db.get_value("Crisis Alert", {"detection_key": finding.key}, "name")


def key_value(key: str) -> str:
	"""The value part of "kind:dimension:value:window" (alert_key keeps it within a Data field)."""
	return key.split(":", 2)[2].rsplit(":", 1)[0]


def scores(finding: Finding) -> tuple[int, int, list[str]]:
	rows = finding.complaints
	likelihood, impact, reasons = suggest_scores(
		finding.count,
		finding.expected,
		affected_customers(rows),
		severe=any(row.crisis_worthy for row in rows),
		group=any(row.severity == "Group" for row in rows),
	)
	return likelihood, impact, [reason.text(_) for reason in reasons]


def affected_customers(rows: list[dict]) -> int:
	return sum(max(cint(row.affected_customers), 1) for row in rows)


def details(finding: Finding, score_reasons: list[str]) -> str:
	return "\n".join([*finding.seen, *score_reasons])


def raise_alert(finding: Finding, now: datetime) -> str:
	likelihood, impact, reasons = scores(finding)
	doc = frappe.get_doc(
		{
			"doctype": "Crisis Alert",
			"title": finding.title[:140],
			"crisis_type": finding.crisis_type,
			"source": SOURCES[finding.kind],
			"likelihood": likelihood,
			"impact": impact,
			"detection_key": finding.key,
			"detection_kind": finding.kind,
			"detection_dimension": finding.dimension,
			"detection_value": key_value(finding.key),
			"detection_details": details(finding, reasons),
			"affected_customer_count": affected_customers(finding.complaints),
			"incident_time": min(row.received_on for row in finding.complaints),
			"items": merged_lines("", [row.product for row in finding.complaints]),
			"stores": merged_lines("", [row.store_branch for row in finding.complaints]),
			"last_signal_on": now,
			"detection_signals": finding.key,
		}
	)
	doc.insert(ignore_permissions=True)
	link_complaints(doc.name, [row.name for row in finding.complaints], start=0)
	return doc.name


def link_complaints(alert: str, complaints: list[str], start: int) -> None:
	"""Link many complaints to an alert in one bulk write (an alert may hold thousands)."""
	if not complaints:
		return
	now, user = now_datetime(), frappe.session.user
	fields = ["name", "parent", "parenttype", "parentfield", "idx", "complaint"]
	fields += ["creation", "modified", "owner", "modified_by", "docstatus"]
	values = [
		(
			frappe.generate_hash(length=10),
			alert,
			"Crisis Alert",
			"complaints",
			start + i + 1,
			name,
			now,
			now,
			user,
			user,
			0,
		)
		for i, name in enumerate(complaints)
	]
	frappe.db.bulk_insert("Crisis Alert Complaint", fields, values)


def update_alert(
	doc, finding: Finding, now: datetime, rule: GroupingRule | None = None, incident: Incident | None = None
) -> str | None:
	"""Link the complaints not yet linked, refresh the numbers and escalate an open alert when what
	was seen now gives a more severe level. For the alert's own cause the finding replaces what was
	seen; a finding of another cause that belongs to the incident (`incident`) is attached: only its
	complaints of the incident are linked, and it is named on the timeline and among the signals.
	Saves only when something changed, so a second run with the same `now` changes nothing."""
	linked = {row.complaint for row in doc.complaints}
	rows = finding.complaints
	if incident is not None:
		rows = [row for row in rows if belongs(rule, incident.values, grouping_record(row))]
	new_rows = [row for row in rows if row.name not in linked]
	signals = [line for line in cstr(doc.detection_signals).splitlines() if line]
	new_signal = finding.key not in signals
	likelihood, impact, reasons = scores(finding)
	before = (doc.detection_details, cint(doc.affected_customer_count), doc.items or None, doc.stores or None)
	if incident is None:
		doc.detection_details = details(finding, reasons)
	elif new_signal and new_rows:  # a signal that adds nothing is only counted among the signals
		log(
			doc,
			_("Detection attached: {0} (+{1} complaints, now {2}). {3}").format(
				finding.title, len(new_rows), len(linked) + len(new_rows), " ".join(finding.seen)
			),
		)
	if new_rows and incident is None:
		log(doc, _("Detection linked {0} more complaints.").format(len(new_rows)))
	doc.affected_customer_count = max(
		cint(doc.affected_customer_count), linked_customers(doc) + affected_customers(new_rows)
	)
	doc.items = merged_lines(doc.items, [row.product for row in new_rows])
	doc.stores = merged_lines(doc.stores, [row.store_branch for row in new_rows])
	escalated = escalate(doc, likelihood, impact, reasons)
	changed = before != (doc.detection_details, doc.affected_customer_count, doc.items, doc.stores)
	if not (new_rows or escalated or new_signal or changed):
		return None
	if new_signal:
		doc.detection_signals = "\n".join([*signals, finding.key])
	doc.last_signal_on = now
	doc.save(ignore_permissions=True)
	link_complaints(doc.name, [row.name for row in new_rows], start=len(linked))
	if doc.flags.escalated and doc.team:
		old_level, new_level = doc.flags.escalated
		frappe.enqueue(
			"complaint_response.crisis.alert.notify_escalation",
			alert=doc.name,
			old_level=old_level,
			new_level=new_level,
			enqueue_after_commit=True,
			now=frappe.flags.in_test,
		)
	return doc.name


def escalate(doc, likelihood: int, impact: int, reasons: list[str]) -> bool:
	"""Raise an open alert to the level of the new scores when that level is more severe."""
	if doc.stage not in ACTIVE_STAGES:
		return False
	new_level = level_for(likelihood, impact, risk_matrix())
	if decide(doc.level, new_level) != ESCALATE:
		return False
	log(
		doc,
		_("Detection escalated the alert from level {0} to {1}: {2}").format(
			doc.level, new_level, "; ".join(reasons)
		),
	)
	doc.flags.escalated = (doc.level, new_level)
	doc.likelihood, doc.impact, doc.level = likelihood, impact, new_level
	return True


def linked_customers(doc) -> int:
	names = [row.complaint for row in doc.complaints]
	rows = frappe.get_all("Complaint", filters={"name": ["in", names]}, fields=["affected_customers"])
	return affected_customers(rows)


def merged_lines(text: str | None, values: list[str | None]) -> str | None:
	"""`text`'s lines followed by the values not among them yet (one per line)."""
	lines = [line for line in (text or "").splitlines() if line.strip()]
	for value in values:
		if value and value not in lines:
			lines.append(value)
	return "\n".join(lines) or None
