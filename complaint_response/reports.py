# Copyright (c) 2026, Complaint Response Contributors
# For license information, please see license.txt

"""The data behind the reports of issue 12: Complaint Breakdown (投诉分布), Complaint Stage Time
(各环节用时), Repeat Complainants (重复投诉), Crisis Alert Statistics (危机预警统计) and Improvement
Action Effectiveness (整改效果). Like `analytics.py`, the database counts and sums in grouped queries
(and picks a group's middle values with a window), and `rules.report_figures` turns the totals into
means, medians and shares. Every row's first cell links to the documents it counts (its `route`).

Complaint has no company field, so none of the reports has a Company filter. Crisis alerts and
improvement actions have no "raised on" field: their creation time is when they were raised."""

import frappe
from frappe import _
from frappe.utils import add_days

from complaint_response.analytics import PERIOD_START_SQL, date_range, filter_fields, unusable, where_sql
from complaint_response.rules import effect, metrics
from complaint_response.rules import report_figures as figures


def column(fieldname, label, fieldtype="Data", width=120, options=None) -> dict:
	found = {"fieldname": fieldname, "label": label, "fieldtype": fieldtype, "width": width}
	if options:
		found["options"] = options
	return found


def complaint_drill(filters: dict, from_date, to_date, **more) -> str:
	"""The Complaint list of the range, narrowed by the report's field filters and `more`."""
	narrowed = {"received_on": figures.between(from_date, to_date)}
	for field in filter_fields():
		if filters.get(field):
			narrowed[field] = filters[field]
	narrowed.update(more)
	return figures.list_route("Complaint", narrowed)


def value_filter(value):
	"""A list filter for a grouped value: blanks are "not set"."""
	return value if value else figures.NOT_SET


def bad_range(columns, from_date, to_date):
	if from_date > to_date:
		return unusable(columns, _("From Date must be on or before To Date."))
	return None


# --- Complaint Breakdown (投诉分布) ---------------------------------------------------------------

BREAKDOWN_DIMENSIONS: dict[str, str] = {
	"Channel": "channel",
	"Severity": "severity",
	"Store": "store_branch",
	"Product": "product",
	"Category": "category",
}


def breakdown_columns(dimension: str) -> list[dict]:
	return [
		column("label", _(dimension), "Data", 200),
		column("received", _("Complaints Received"), "Int"),
		column("open", _("Open"), "Int", 90),
		column("resolved", _("Resolved"), "Int", 100),
		column("resolution_rate", _("Resolution Rate"), "Percent"),
		column("mean_satisfaction", _("Mean Satisfaction"), "Float"),
		column("breached", _("SLA Breached"), "Int"),
	]


def breakdown(filters: dict | None) -> tuple:
	"""Complaints per channel, severity, store, product or category: received, open, resolved
	(customer informed), resolution rate, mean satisfaction of the scored follow-ups, SLA breached."""
	filters = frappe._dict(filters or {})
	dimension = filters.get("dimension") or "Channel"
	from_date, to_date = date_range(filters)
	columns = breakdown_columns(dimension)
	if dimension not in BREAKDOWN_DIMENSIONS:
		return unusable(columns, _("Dimension must be Channel, Severity, Store, Product or Category."))
	if refused := bad_range(columns, from_date, to_date):
		return refused
	field = BREAKDOWN_DIMENSIONS[dimension]
	where, values = where_sql(filters, from_date, to_date)
	grouped = frappe.db.sql(
		f"""
		SELECT IFNULL(c.`{field}`, '') AS value,
			COUNT(*) AS received,
			SUM(IFNULL(c.status, '') = 'Open') AS open,
			COUNT(c.customer_informed_on) AS resolved,
			SUM(IFNULL(c.satisfaction, 0) BETWEEN 1 AND 5) AS scored,
			SUM(IF(IFNULL(c.satisfaction, 0) BETWEEN 1 AND 5, c.satisfaction, 0)) AS score_sum,
			SUM(IFNULL(c.sla_status, '') = 'Breached') AS breached
		FROM `tabComplaint` c
		WHERE {where}
		GROUP BY value
		ORDER BY received DESC, value""",
		values,
		as_dict=True,
	)
	rows = []
	for row in grouped:
		received, resolved = int(row.received), int(row.resolved or 0)
		rows.append(
			{
				"label": row.value or _("Not Set"),
				"received": received,
				"open": int(row.open or 0),
				"resolved": resolved,
				"resolution_rate": figures.share(resolved, received),
				"mean_satisfaction": figures.mean_of(row.score_sum, int(row.scored or 0)),
				"breached": int(row.breached or 0),
				"route": complaint_drill(filters, from_date, to_date, **{field: value_filter(row.value)}),
			}
		)
	chart = {
		"data": {
			"labels": [row["label"] for row in rows],
			"datasets": [
				{"name": _("Complaints Received"), "values": [row["received"] for row in rows]},
				{"name": _("Resolved"), "values": [row["resolved"] for row in rows]},
			],
		},
		"title": _("Complaint Breakdown"),
		"type": "bar",
		"fieldtype": "Int",
	}
	return columns, rows, None, chart, []


# --- Complaint Stage Time (各环节用时) ------------------------------------------------------------

# The stamp each stage ends on, measured from received_on.
STAGE_STAMPS: tuple[tuple[str, str], ...] = (
	("first_response_on", "response"),
	("investigation_started_on", "investigation"),
	("approved_on", "approval"),
	("customer_informed_on", "informed"),
	("closed_on", "closed"),
)
STAGE_LABELS: dict[str, str] = {
	"response": "First Response",
	"investigation": "Investigation Started",
	"approval": "Resolution Approved",
	"informed": "Customer Informed",
	"closed": "Closed",
}
CATEGORY = "Category"
STAGE_GROUPINGS: tuple[str, ...] = (*metrics.PERIODS, CATEGORY)


def stage_columns(group_by: str) -> list[dict]:
	columns = [column("label", _("Period") if group_by != CATEGORY else _("Category"), "Data", 140)]
	if group_by != CATEGORY:
		columns.append(column("period_start", _("Period Start"), "Date", 110))
	columns.append(column("received", _("Complaints Received"), "Int"))
	for _stamp, key in STAGE_STAMPS:
		label = _(STAGE_LABELS[key])
		columns += [
			column(f"{key}_count", _("{0}: Reached").format(label), "Int", 110),
			column(f"{key}_mean", _("{0}: Mean Hours").format(label), "Float", 130),
			column(f"{key}_median", _("{0}: Median Hours").format(label), "Float", 130),
		]
	return columns


def stage_totals(group_sql: str, where: str, values: dict) -> tuple[list[dict], dict]:
	"""Per group: the counts and summed microseconds to each stamp (one grouped query), and the middle
	microsecond values of each stamp (one window query per stamp, over plain columns)."""
	sums = ",\n".join(
		f"COUNT(c.`{stamp}`) AS `{key}_count`, "
		f"SUM(TIMESTAMPDIFF(MICROSECOND, c.received_on, c.`{stamp}`)) AS `{key}_us`"
		for stamp, key in STAGE_STAMPS
	)
	grouped = frappe.db.sql(
		f"""SELECT {group_sql} AS grp, COUNT(*) AS received, {sums}
		FROM `tabComplaint` c WHERE {where} GROUP BY grp""",
		values,
		as_dict=True,
	)
	middles: dict = {}
	for stamp, key in STAGE_STAMPS:
		for row in frappe.db.sql(
			f"""
			SELECT grp, us FROM (
				SELECT grp, us,
					ROW_NUMBER() OVER (PARTITION BY grp ORDER BY us) AS rn,
					COUNT(*) OVER (PARTITION BY grp) AS n
				FROM (
					SELECT {group_sql} AS grp,
						TIMESTAMPDIFF(MICROSECOND, c.received_on, c.`{stamp}`) AS us
					FROM `tabComplaint` c
					WHERE {where} AND c.`{stamp}` IS NOT NULL
				) stamped
			) ranked
			WHERE rn IN ((n + 1) DIV 2, n DIV 2 + 1)""",
			values,
			as_dict=True,
		):
			middles.setdefault((row.grp, key), []).append(figures.hours_from_us(row.us))
	return grouped, middles


def stage_row(label: str, row, middles: dict, grp) -> dict:
	found = {"label": label, "received": int(row.received) if row else 0}
	for _stamp, key in STAGE_STAMPS:
		count = int(row[f"{key}_count"] or 0) if row else 0
		total = figures.hours_from_us(row[f"{key}_us"]) if row and count else None
		found[f"{key}_count"] = count
		found[f"{key}_mean"] = figures.mean_of(total, count)
		found[f"{key}_median"] = figures.median_of_middles(middles.get((grp, key), ()))
	return found


def stage_time(filters: dict | None) -> tuple:
	"""Mean and median hours from receipt to each stage's stamp, per week, month or category,
	counting only the complaints that reached the stamp."""
	filters = frappe._dict(filters or {})
	group_by = filters.get("group_by") or metrics.WEEKLY
	from_date, to_date = date_range(filters)
	columns = stage_columns(group_by)
	if group_by not in STAGE_GROUPINGS:
		return unusable(columns, _("Group By must be Weekly, Monthly or Category."))
	if refused := bad_range(columns, from_date, to_date):
		return refused
	where, values = where_sql(filters, from_date, to_date)
	group_sql = "IFNULL(c.category, '')" if group_by == CATEGORY else PERIOD_START_SQL[group_by]
	grouped, middles = stage_totals(group_sql, where, values)
	by_group = {row.grp: row for row in grouped}
	rows = []
	if group_by == CATEGORY:
		for grp in sorted(by_group):
			row = stage_row(grp or _("Not Set"), by_group[grp], middles, grp)
			row["route"] = complaint_drill(filters, from_date, to_date, category=value_filter(grp))
			rows.append(row)
	else:
		for start in metrics.period_starts(from_date, to_date, group_by):
			row = stage_row(metrics.period_label(start, group_by), by_group.get(start), middles, start)
			row["period_start"] = start
			end = add_days(metrics.next_period_start(start, group_by), -1)
			row["route"] = complaint_drill(filters, max(start, from_date), min(end, to_date))
			rows.append(row)
	chart_rows = list(rows)
	# The whole range's figures: means and medians over its complaints, not over the rows above.
	if rows:
		grouped, middles = stage_totals("'all'", where, values)
		total = stage_row(_("Total"), grouped[0] if grouped else None, middles, "all")
		total["route"] = complaint_drill(filters, from_date, to_date)
		rows.append(total)
	chart = {
		"data": {
			"labels": [row["label"] for row in chart_rows],
			"datasets": [
				{
					"name": _("{0}: Median Hours").format(_(STAGE_LABELS[key])),
					"values": [row[f"{key}_median"] or 0 for row in chart_rows],
				}
				for _stamp, key in STAGE_STAMPS
			],
		},
		"title": _("Complaint Stage Time"),
		"type": "bar",
		"fieldtype": "Float",
	}
	return columns, rows, None, chart, []


# --- Repeat Complainants (重复投诉) ---------------------------------------------------------------

# The complainant fields are at permission level 1.
CONTACT_PERMLEVEL = 1
REPEAT_MINIMUM = 2


def repeat_columns() -> list[dict]:
	return [
		column("label", _("Contact"), "Data", 200),
		column("complainant_name", _("Complainant Name"), "Data", 150),
		column("complaints", _("Complaints"), "Int", 100),
		column("first_received", _("First Received"), "Datetime", 160),
		column("last_received", _("Last Received"), "Datetime", 160),
		column("categories", _("Categories"), "Data", 220),
	]


def reads_contacts() -> bool:
	return CONTACT_PERMLEVEL in frappe.get_meta("Complaint").get_permlevel_access()


def repeat_complainants(filters: dict | None) -> tuple:
	"""Complainants (by phone, else e-mail) with two or more complaints received in the range."""
	filters = frappe._dict(filters or {})
	from_date, to_date = date_range(filters)
	columns = repeat_columns()
	if not reads_contacts():
		return unusable(
			columns, _("This report shows complainants' contact details, which your roles may not read.")
		)
	if refused := bad_range(columns, from_date, to_date):
		return refused
	where, values = where_sql(filters, from_date, to_date)
	grouped = frappe.db.sql(
		f"""
		SELECT contact_field, contact, COUNT(*) AS complaints,
			MAX(complainant_name) AS complainant_name,
			MIN(received_on) AS first_received, MAX(received_on) AS last_received,
			GROUP_CONCAT(DISTINCT NULLIF(category, '') ORDER BY category SEPARATOR ', ') AS categories
		FROM (
			SELECT c.complainant_name, c.received_on, c.category,
				IF(IFNULL(TRIM(c.contact_phone), '') != '', 'contact_phone', 'contact_email')
					AS contact_field,
				IF(IFNULL(TRIM(c.contact_phone), '') != '', TRIM(c.contact_phone),
					NULLIF(LOWER(TRIM(IFNULL(c.contact_email, ''))), '')) AS contact
			FROM `tabComplaint` c
			WHERE {where}
		) contacts
		WHERE contact IS NOT NULL
		GROUP BY contact_field, contact
		HAVING COUNT(*) >= %(minimum)s
		ORDER BY complaints DESC, last_received DESC, contact""",
		{**values, "minimum": REPEAT_MINIMUM},
		as_dict=True,
	)
	rows = [
		{
			"label": row.contact,
			"complainant_name": row.complainant_name,
			"complaints": int(row.complaints),
			"first_received": row.first_received,
			"last_received": row.last_received,
			"categories": row.categories or "",
			"route": complaint_drill(filters, from_date, to_date, **{row.contact_field: row.contact}),
		}
		for row in grouped
	]
	return columns, rows, None, None, []


# --- Crisis Alert Statistics (危机预警统计) -------------------------------------------------------

CRISIS_DIMENSIONS: dict[str, str] = {"Level": "level", "Crisis Type": "crisis_type"}


def crisis_columns(dimension: str) -> list[dict]:
	return [
		column("label", _(dimension), "Data", 160),
		column("alerts", _("Alerts"), "Int", 90),
		column("open", _("Open"), "Int", 90),
		column("closed", _("Closed"), "Int", 90),
		column("dismissed", _("Dismissed"), "Int", 100),
		column("published", _("Published"), "Int", 100),
		column("mean_hours_to_publish", _("Mean Hours Raised to Published"), "Float", 170),
		column("mean_hours_to_close", _("Mean Hours Raised to Closed"), "Float", 170),
	]


def crisis_statistics(filters: dict | None) -> tuple:
	"""Crisis alerts raised (created) in the range per level or crisis type, drills left out."""
	filters = frappe._dict(filters or {})
	dimension = filters.get("dimension") or "Level"
	from_date, to_date = date_range(filters)
	columns = crisis_columns(dimension)
	if dimension not in CRISIS_DIMENSIONS:
		return unusable(columns, _("Dimension must be Level or Crisis Type."))
	if refused := bad_range(columns, from_date, to_date):
		return refused
	field = CRISIS_DIMENSIONS[dimension]
	values = {
		"from_date": from_date,
		"to_date": add_days(to_date, 1),
		"open_stages": figures.CRISIS_OPEN_STAGES,
		"closed_stages": figures.CRISIS_CLOSED_STAGES,
		"dismissed": figures.CRISIS_DISMISSED,
	}
	conditions = ["a.creation >= %(from_date)s", "a.creation < %(to_date)s"]
	for name in ("level", "crisis_type"):
		if filters.get(name):
			conditions.append(f"a.`{name}` = %({name})s")
			values[name] = filters[name]
	where = " AND ".join(conditions)
	drills = frappe.db.sql(
		f"SELECT COUNT(*) FROM `tabCrisis Alert` a WHERE {where} AND IFNULL(a.is_drill, 0) = 1", values
	)[0][0]
	grouped = frappe.db.sql(
		f"""
		SELECT IFNULL(a.`{field}`, '') AS value,
			COUNT(*) AS alerts,
			SUM(IFNULL(a.stage, 'Raised') IN %(open_stages)s) AS open,
			SUM(IFNULL(a.stage, '') IN %(closed_stages)s) AS closed,
			SUM(IFNULL(a.stage, '') = %(dismissed)s) AS dismissed,
			COUNT(a.published_on) AS published,
			SUM(TIMESTAMPDIFF(MICROSECOND, a.creation, a.published_on)) AS publish_us,
			COUNT(a.closed_on) AS closed_stamped,
			SUM(TIMESTAMPDIFF(MICROSECOND, a.creation, a.closed_on)) AS close_us
		FROM `tabCrisis Alert` a
		WHERE {where} AND IFNULL(a.is_drill, 0) = 0
		GROUP BY value
		ORDER BY value""",
		values,
		as_dict=True,
	)
	drill_filters = {"creation": figures.between(from_date, to_date), "is_drill": 0}
	for name in ("level", "crisis_type"):
		if filters.get(name):
			drill_filters[name] = filters[name]
	rows = []
	for row in grouped:
		published, closed_stamped = int(row.published or 0), int(row.closed_stamped or 0)
		rows.append(
			{
				"label": row.value or _("Not Set"),
				"alerts": int(row.alerts),
				"open": int(row.open or 0),
				"closed": int(row.closed or 0),
				"dismissed": int(row.dismissed or 0),
				"published": published,
				"mean_hours_to_publish": figures.mean_of(figures.hours_from_us(row.publish_us), published),
				"mean_hours_to_close": figures.mean_of(figures.hours_from_us(row.close_us), closed_stamped),
				"route": figures.list_route(
					"Crisis Alert", {**drill_filters, field: value_filter(row.value)}
				),
			}
		)
	message = _(
		"Drills (演练) are not counted: {0} drill alert(s) raised in the range are left out. "
		"Raised means the alert's creation time."
	).format(drills)
	chart = {
		"data": {
			"labels": [row["label"] for row in rows],
			"datasets": [{"name": _("Alerts"), "values": [row["alerts"] for row in rows]}],
		},
		"title": _("Crisis Alert Statistics"),
		"type": "bar",
		"fieldtype": "Int",
	}
	summary = [
		{"value": sum(row["alerts"] for row in rows), "label": _("Alerts"), "datatype": "Int"},
		{"value": drills, "label": _("Drills Left Out"), "datatype": "Int", "indicator": "Grey"},
	]
	return columns, rows, message, chart, summary


# --- Improvement Action Effectiveness (整改效果) --------------------------------------------------

CONFIRMED_EFFECT_SQL = """(CASE
	WHEN i.status IN (%(effective)s, %(not_effective)s) THEN i.status
	WHEN i.effect_confirmed_on IS NOT NULL AND IFNULL(i.proposed_effect, '') IN (%(effective)s, %(not_effective)s)
		THEN i.proposed_effect
	ELSE '' END)"""
EFFECT_DIMENSIONS: dict[str, str] = {
	"Status": "IFNULL(i.status, '')",
	"Proposed Effect": "IFNULL(i.proposed_effect, '')",
	"Confirmed Effect": CONFIRMED_EFFECT_SQL,
}


def effect_columns(dimension: str) -> list[dict]:
	return [
		column("label", _(dimension), "Data", 160),
		column("actions", _("Actions"), "Int", 90),
		column("measured", _("Measured"), "Int", 100),
		column("proposed_effective", _("Proposed Effective"), "Int", 130),
		column("confirmed", _("Effect Confirmed"), "Int", 130),
		column("confirmed_effective", _("Confirmed Effective"), "Int", 140),
		column("effective_share", _("Effective Share"), "Percent", 120),
		column("mean_rate_ratio", _("Mean Rate Ratio"), "Float", 130),
		column("mean_before_rate", _("Mean Rate Before (per Day)"), "Float", 160),
		column("mean_after_rate", _("Mean Rate After (per Day)"), "Float", 160),
	]


def effectiveness(filters: dict | None) -> tuple:
	"""Improvement actions created in the range per status, proposed or confirmed effect: how many were
	measured, proposed and confirmed effective, the share effective of the confirmed ones, and the mean
	rate ratio (after / before) and rates of the measured ones."""
	filters = frappe._dict(filters or {})
	dimension = filters.get("dimension") or "Status"
	from_date, to_date = date_range(filters)
	columns = effect_columns(dimension)
	if dimension not in EFFECT_DIMENSIONS:
		return unusable(columns, _("Dimension must be Status, Proposed Effect or Confirmed Effect."))
	if refused := bad_range(columns, from_date, to_date):
		return refused
	values = {
		"from_date": from_date,
		"to_date": add_days(to_date, 1),
		"effective": effect.EFFECTIVE,
		"not_effective": effect.NOT_EFFECTIVE,
	}
	conditions = ["i.creation >= %(from_date)s", "i.creation < %(to_date)s"]
	drill_filters = {"creation": figures.between(from_date, to_date)}
	for name, field in (("store_branch", "scope_store_branch"), ("category", "scope_category")):
		if filters.get(name):
			conditions.append(f"i.`{field}` = %({name})s")
			values[name] = filters[name]
			drill_filters[field] = filters[name]
	where = " AND ".join(conditions)
	measured = "i.measured_on IS NOT NULL"
	grouped = frappe.db.sql(
		f"""
		SELECT {EFFECT_DIMENSIONS[dimension]} AS value,
			COUNT(*) AS actions,
			SUM({measured}) AS measured,
			SUM(IFNULL(i.proposed_effect, '') = %(effective)s) AS proposed_effective,
			SUM({CONFIRMED_EFFECT_SQL} != '') AS confirmed,
			SUM({CONFIRMED_EFFECT_SQL} = %(effective)s) AS confirmed_effective,
			SUM(IF({measured}, i.rate_ratio, 0)) AS rate_ratio_sum,
			SUM(IF({measured}, i.before_rate, 0)) AS before_rate_sum,
			SUM(IF({measured}, i.after_rate, 0)) AS after_rate_sum
		FROM `tabImprovement Action` i
		WHERE {where}
		GROUP BY value
		ORDER BY actions DESC, value""",
		values,
		as_dict=True,
	)
	rows = []
	for row in grouped:
		counted = int(row.measured or 0)
		confirmed, confirmed_effective = int(row.confirmed or 0), int(row.confirmed_effective or 0)
		drill = dict(drill_filters)
		if dimension == "Status":
			drill["status"] = value_filter(row.value)
		elif dimension == "Proposed Effect":
			drill["proposed_effect"] = value_filter(row.value)
		elif row.value:
			# the confirmed ones: confirmed on that effect (their status may have moved on)
			drill["effect_confirmed_on"] = ["is", "set"]
			drill["proposed_effect"] = row.value
		rows.append(
			{
				"label": row.value or _("Not Set"),
				"actions": int(row.actions),
				"measured": counted,
				"proposed_effective": int(row.proposed_effective or 0),
				"confirmed": confirmed,
				"confirmed_effective": confirmed_effective,
				"effective_share": figures.share(confirmed_effective, confirmed),
				"mean_rate_ratio": figures.mean_of(row.rate_ratio_sum, counted, 4),
				"mean_before_rate": figures.mean_of(row.before_rate_sum, counted, 4),
				"mean_after_rate": figures.mean_of(row.after_rate_sum, counted, 4),
				"route": figures.list_route("Improvement Action", drill),
			}
		)
	chart = {
		"data": {
			"labels": [row["label"] for row in rows],
			"datasets": [{"name": _("Actions"), "values": [row["actions"] for row in rows]}],
		},
		"title": _("Improvement Action Effectiveness"),
		"type": "bar",
		"fieldtype": "Int",
	}
	return columns, rows, None, chart, []
