"""Public-opinion intake (舆情监测): social-listening tools push single mentions, signed with their
source's shared secret (rules.opinion). A mention is stored once per source and id (a repeat returns
the first), refused whole with a 4xx when its signature or a field is wrong, and then the window around
it is judged: a brand, store or product whose mentions reach the volume, negative-share and reach
thresholds of Crisis Settings raises a Public Opinion alert, or feeds the open alert that already
holds its mentions or whose incident it belongs to (rules.grouping). The alert lists its mentions
(their Crisis Alert link, shown in the alert's connections)."""

import json
from datetime import timedelta
from zoneinfo import ZoneInfo

import frappe
from frappe import _
from frappe.utils import cint, flt, get_datetime, get_system_timezone, now_datetime
from frappe.utils.password import get_decrypted_password

from complaint_response.channels.intake import refuse
from complaint_response.crisis.alert import log
from complaint_response.jobs.detection import grouping_rule, open_incidents
from complaint_response.rules import opinion as rules
from complaint_response.rules.crisis_stages import ACTIVE_STAGES
from complaint_response.rules.grouping import covering_incident
from complaint_response.rules.intake import intake_key
from complaint_response.rules.stages import problem

MENTION = "Opinion Mention"
SOURCE = "Public Opinion"
MENTION_FIELDS = [
	"name",
	"mention_id",
	"published_on",
	"sentiment",
	"reach",
	"brand",
	"store",
	"product",
	"crisis_alert",
]


class SignatureError(frappe.AuthenticationError):
	http_status_code = 401


def parse_published(text: str):
	"""An ISO date-time; one with a zone is turned into the site's time."""
	moment = get_datetime(text)
	if moment.tzinfo:
		moment = moment.astimezone(ZoneInfo(get_system_timezone())).replace(tzinfo=None)
	return moment


def source_secret(name) -> str | None:
	if not isinstance(name, str) or not name or len(name) > 140:
		return None
	if not frappe.db.get_value("Opinion Source", name, "enabled"):
		return None
	return get_decrypted_password("Opinion Source", name, "secret", raise_exception=False)


def receive(source: str | None, signature: str | None, body: bytes) -> dict:
	if not rules.signature_ok(body, source_secret(source) or "", signature):
		raise SignatureError(_("Unknown source or bad signature."))
	try:
		payload = json.loads(body)
	except ValueError:
		payload = None
	mention, problems = rules.clean(payload, parse_published)
	refuse(problems or ([] if mention else [problem("The body must be a JSON object.")]))
	key = intake_key(f"opinion\n{source}", mention.mention_id)
	if found := frappe.db.get_value(MENTION, {"mention_key": key}):
		return {"name": found, "created": False, "alerts": []}
	doc = frappe.get_doc(
		{
			"doctype": MENTION,
			"source": source,
			"mention_id": mention.mention_id,
			"mention_key": key,
			"published_on": mention.published,
			"sentiment": mention.sentiment.title(),
			"reach": mention.reach,
			"brand": mention.brand,
			"store": mention.store,
			"product": mention.product,
			"url": mention.url,
			"text": frappe.utils.strip_html_tags(mention.text),
		}
	)
	frappe.db.savepoint("opinion_mention")
	try:
		doc.insert(ignore_permissions=True)
	except (frappe.UniqueValidationError, frappe.DuplicateEntryError):
		frappe.db.rollback(save_point="opinion_mention")
		return {"name": frappe.db.get_value(MENTION, {"mention_key": key}), "created": False, "alerts": []}
	return {"name": doc.name, "created": True, "alerts": assess_around(doc)}


def params() -> rules.OpinionParams:
	get = lambda field: frappe.db.get_single_value("Crisis Settings", field)  # noqa: E731
	defaults = rules.OpinionParams()
	return rules.OpinionParams(
		window_hours=cint(get("opinion_window_hours")) or defaults.window_hours,
		min_mentions=cint(get("opinion_min_mentions")) or defaults.min_mentions,
		negative_share=flt(get("opinion_negative_share")) / 100
		if get("opinion_negative_share")
		else defaults.negative_share,
		min_reach=cint(get("opinion_min_reach")),
	)


def assess_around(doc) -> list[str]:
	"""Judge the window of the keys this mention is about; returns the alerts raised or fed."""
	p = params()
	now = max(now_datetime(), get_datetime(doc.published_on))
	start = now - timedelta(hours=p.window_hours)
	rows = {}
	for key in rules.KEYS:
		if doc.get(key):
			for row in frappe.get_all(
				MENTION, filters={key: doc.get(key), "published_on": [">", start]}, fields=MENTION_FIELDS
			):
				rows[row.name] = row
	mentions = {
		row.name: rules.Mention(
			row.mention_id or row.name,
			get_datetime(row.published_on),
			(row.sentiment or "").lower(),
			cint(row.reach),
			brand=row.brand or "",
			store=row.store or "",
			product=row.product or "",
		)
		for row in rows.values()
	}
	alerts = []
	for finding in rules.assess(mentions.values(), now, p):
		names = [
			name
			for name, m in mentions.items()
			if (getattr(m, finding.key) or "").casefold() == finding.value.casefold()
		]
		alerts.append(alert_for(finding, [rows[name] for name in names], now))
	return list(dict.fromkeys(alerts))


def open_alert_of(rows) -> str | None:
	linked = sorted({row.crisis_alert for row in rows if row.crisis_alert})
	if not linked:
		return None
	open_ = frappe.get_all(
		"Crisis Alert",
		filters={"name": ["in", linked], "stage": ["in", sorted(ACTIVE_STAGES)]},
		pluck="name",
		limit=1,
	)
	return open_[0] if open_ else None


def alert_for(finding: rules.OpinionFinding, rows, now) -> str:
	name = open_alert_of(rows)
	if not name and finding.key in ("store", "product"):
		rule = grouping_rule(frappe.get_cached_doc("Crisis Settings"))
		incident = covering_incident(
			rule, open_incidents(), {finding.key: frozenset({finding.value.casefold()})}, now
		)
		name = incident.name if incident else None
	if name:
		unlinked = [row.name for row in rows if row.crisis_alert != name]
		if unlinked:
			doc = frappe.get_doc("Crisis Alert", name)
			log(doc, _("Public opinion: {0} (+{1} mentions).").format(finding.text(_), len(unlinked)))
			doc.last_signal_on = now
			doc.save(ignore_permissions=True)
	else:
		name = raise_alert(finding, now)
		unlinked = [row.name for row in rows]
	if unlinked:
		Mention = frappe.qb.DocType(MENTION)
		frappe.qb.update(Mention).set(Mention.crisis_alert, name).where(Mention.name.isin(unlinked)).run()
	return name


def raise_alert(finding: rules.OpinionFinding, now) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "Crisis Alert",
			"title": _("Public opinion: {0}").format(finding.value)[:140],
			"crisis_type": SOURCE,
			"source": SOURCE,
			# heat and negativity make it likely, reach makes it matter (an admin may re-score it)
			"likelihood": 5 if finding.negative_share >= 0.8 else 4,
			"impact": 5 if finding.reach >= 1_000_000 else 4 if finding.reach >= 100_000 else 3,
			"detection_kind": "opinion",
			"detection_dimension": finding.key,
			"detection_value": finding.value[:140],
			"detection_details": finding.text(_),
			"detection_signals": f"opinion:{finding.key}:{finding.value}"[:140],
			"last_signal_on": now,
			"incident_time": now,
			"stores": finding.value if finding.key == "store" else None,
			"items": finding.value if finding.key == "product" else None,
		}
	)
	doc.insert(ignore_permissions=True)
	return doc.name
