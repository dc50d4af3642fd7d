"""A demo month for a chain of stores: stores and products, about 300 complaints over the 30 days
before now in every stage and channel, a food-safety burst that the real detection job turns into a
Crisis Alert, and improvement actions, one with its effect measured by the app's own job and
confirmed. Deterministic (one seed), idempotent (a second run finds the demo and stops), and removable:
what it creates is listed in a JSON file in the site's private folder, and every demo complaint
carries an intake key starting with `demo-month:`."""

import json
import os
import random
from datetime import datetime, timedelta

import frappe
from frappe.utils import add_days, get_datetime, getdate, now_datetime

from complaint_response.jobs import detection
from complaint_response.jobs import improvement as improvement_job
from complaint_response.lifecycle import flow, sla
from complaint_response.rules import effect, stages

KEY_PREFIX = "demo-month:"
DOMAIN = "demo.example.com"
RECORD_FILE = "complaint_demo_month.json"
SEED = 20261130

STORES = (
	"Shanghai Xuhui",
	"Shanghai Pudong",
	"Beijing Chaoyang",
	"Beijing Haidian",
	"Guangzhou Tianhe",
	"Shenzhen Nanshan",
	"Hangzhou Xihu",
)
PRODUCTS = (
	"Spicy Chicken Rice Bowl",
	"Beef Noodle Soup",
	"Pork Dumplings (12)",
	"Mapo Tofu Set",
	"Iced Lemon Tea",
	"Milk Tea with Pearls",
	"Egg Tart",
	"Fried Rice with Shrimp",
	"Vegetable Bun",
	"Hot and Sour Soup",
	"Kids Meal",
	"Family Combo",
	"Mango Pudding",
	"Americano",
)
# (category, subject, description): nothing here is crisis-worthy; the burst below is.
COMPLAINTS = (
	("Service", "Waited 40 minutes", "We waited 40 minutes for {product} at {store}; nobody told us why."),
	("Service", "Order was wrong", "Ordered {product} at {store} but got something else. 点错餐了."),
	(
		"Attitude",
		"Rude cashier",
		"The cashier at {store} was rude when I asked about {product}. 服务员态度很差.",
	),
	("Attitude", "Ignored at the counter", "Staff at {store} kept chatting and ignored us for ten minutes."),
	("Product", "Cold food", "{product} was cold when served at {store}."),
	(
		"Product",
		"Portion too small",
		"The {product} portion at {store} was much smaller than in the picture.",
	),
	("Quality", "Hair in the food", "Found a hair in my {product} at {store}."),
	("Quality", "Stale taste", "{product} from {store} tasted stale; I did not finish it."),
	("Delivery", "Late delivery", "Delivery of {product} from {store} came an hour late and was cold."),
	("Delivery", "Missing item", "{product} was missing from my delivery order from {store}."),
	("Price", "Charged twice", "I was charged twice for {product} at {store}. 重复扣款."),
	("Price", "Coupon not accepted", "{store} refused my coupon for {product}."),
	(
		"Contract",
		"Membership points lost",
		"My membership points from {store} disappeared after an order of {product}.",
	),
	("Other", "Dirty table", "Tables at {store} were not cleaned; no napkins either."),
)
BURST_TEXT = (
	"After eating the {product} at {store} at lunch I got food poisoning: diarrhoea and vomiting all afternoon.",
	"Food poisoning after lunch at {store}: my whole family has diarrhoea after the {product}.",
	"吃了{store}的{product}后食物中毒, 腹泻 (diarrhoea) 一整晚, 要求赔偿医药费.",
	"Severe diarrhoea after the {product} from {store} today, looks like food poisoning.",
)
NAMES = (
	"Wang Fang",
	"Li Na",
	"Zhang Wei",
	"Liu Yang",
	"Chen Jing",
	"Yang Lei",
	"Zhao Min",
	"Huang Qiang",
	"Zhou Xin",
	"Wu Hao",
	"Xu Li",
	"Sun Tao",
	"Ma Jun",
	"Zhu Hong",
	"Hu Yan",
	"Guo Peng",
	"He Ying",
	"Lin Feng",
	"Luo Mei",
	"Gao Bo",
)
USERS = (
	("agent1", "Amy", "Agent", ("Complaint Agent",)),
	("agent2", "Ben", "Agent", ("Complaint Agent",)),
	("manager", "Mia", "Manager", ("Complaint Manager", "Complaint Agent")),
	("quality", "Quinn", "Quality", ("Quality Officer",)),
	("commander", "Chris", "Commander", ("Crisis Commander",)),
)
# The desk each user opens on (User > Default Workspace); without one Frappe opens the first workspace
# of its sidebar, which is Frappe's own "Users" for a new site.
HOME = {"commander": "Crisis Command"}
HOME_DEFAULT = "Complaint Response"
# Stages by how old the complaint is: (max age in days, {stage: weight}). A complaint is where a
# complaint of its age usually is: new ones at intake, a week-old one being resolved or followed up,
# older ones closed; the few that are late come from the step times below (STEP_HOURS).
STAGE_WEIGHTS = (
	(0.1, {"Received": 5, "Classified": 3, "Assigned": 2, "Rejected": 1}),
	(
		2,
		{
			"Assigned": 2,
			"Investigating": 5,
			"Resolution Proposed": 2,
			"Customer Informed": 2,
			"Rejected": 1,
		},
	),
	(
		7,
		{
			"Investigating": 2,
			"Resolution Proposed": 3,
			"Resolution Approved": 2,
			"Customer Informed": 3,
			"Follow-up": 4,
			"Rejected": 1,
		},
	),
	(31, {"Follow-up": 1, "Closed": 10, "Reviewed": 3, "Reopened": 1, "Rejected": 1}),
)
MIN_PER_STAGE = 3
MIN_PER_CHANNEL = 3
EFFECT_STORE, EFFECT_CATEGORY = "Shanghai Pudong", "Delivery"
BURST_STORE, BURST_PRODUCT = "Beijing Chaoyang", "Spicy Chicken Rice Bowl"


def email(user: str) -> str:
	return f"{user}@{DOMAIN}"


def record_path() -> str:
	return frappe.get_site_path("private", RECORD_FILE)


def load_record() -> dict | None:
	path = record_path()
	if not os.path.exists(path):
		return None
	with open(path, encoding="utf-8") as f:
		return json.load(f)


def save_record(record: dict) -> None:
	with open(record_path(), "w", encoding="utf-8") as f:
		json.dump(record, f, indent=1, default=str)


def exists() -> bool:
	return bool(load_record()) or bool(
		frappe.db.exists("Complaint", {"intake_key": ["like", f"{KEY_PREFIX}%"]})
	)


# -- making ---------------------------------------------------------------------------------------


def make(size: int = 300, seed: int = SEED, now: datetime | None = None, log=print) -> dict:
	"""Fill the site with the demo month; returns what was created (or the record of the existing demo)."""
	if exists():
		log("The demo month is already on this site: nothing created (remove it with --remove).")
		return load_record() or {}
	frappe.flags.mute_emails = True
	now = get_datetime(now or now_datetime()).replace(microsecond=0)
	rng = random.Random(seed)
	record = {"created_on": str(now), "complaints": [], "alerts": [], "actions": [], "users": []}
	settings = frappe.get_single("Crisis Settings")
	record["crisis_settings"] = {
		"detection_enabled": settings.detection_enabled,
		"last_detection_run": str(settings.last_detection_run or ""),
	}
	user = frappe.session.user
	frappe.set_user("Administrator")
	try:
		record["users"] = make_users()
		save_record(record)  # from here on, --remove can clean up even a failed run
		categories = set(frappe.get_all("Complaint Category", filters={"enabled": 1}, pluck="name"))
		month = month_complaints(rng, size, now, categories)
		before = effect_history(rng, now, categories)
		burst = burst_complaints(rng, now)
		for spec in sorted([*month, *before, *burst], key=lambda s: s["received_on"]):
			record["complaints"].append(insert_complaint(spec, now))
		frappe.db.commit()
		save_record(record)
		record["alerts"] = run_detection(now, burst)
		save_record(record)
		record["actions"] = make_actions(now, record["alerts"])
		save_record(record)
		frappe.db.commit()
	finally:
		frappe.set_user(user)
	log(
		"Demo month: {} complaints, {} crisis alert(s), {} improvement actions, {} users (password-less; "
		"set one with bench set-password).".format(
			len(record["complaints"]), len(record["alerts"]), len(record["actions"]), len(record["users"])
		)
	)
	return record


def make_users() -> list[str]:
	made = []
	for user, first, last, roles in USERS:
		address = email(user)
		if not frappe.db.exists("User", address):
			doc = frappe.get_doc(
				{
					"doctype": "User",
					"email": address,
					"first_name": first,
					"last_name": last,
					"send_welcome_email": 0,
					"user_type": "System User",
				}
			)
			doc.flags.no_welcome_mail = True
			doc.insert(ignore_permissions=True)
			doc.add_roles(*roles)
			doc.db_set("default_workspace", HOME.get(user, HOME_DEFAULT))
		made.append(address)
	return made


def received_time(rng: random.Random, now: datetime, days: float) -> datetime:
	"""A moment in the `days` before now, business hours heavier (and none in the future)."""
	while True:
		day = (now - timedelta(days=rng.uniform(0, days))).date()
		hour = rng.choices(
			range(24),
			weights=[1, 1, 1, 1, 1, 1, 2, 4, 8, 12, 14, 14, 16, 14, 12, 12, 12, 10, 10, 8, 6, 4, 2, 1],
		)[0]
		when = datetime.combine(day, datetime.min.time()) + timedelta(hours=hour, minutes=rng.randrange(60))
		if when < now - timedelta(minutes=30):
			return when


def stage_for(rng: random.Random, age_days: float) -> str:
	for max_age, weights in STAGE_WEIGHTS:
		if age_days <= max_age:
			return rng.choices(list(weights), weights=list(weights.values()))[0]
	return "Closed"


def channels() -> list[str]:
	return frappe.get_meta("Complaint").get_field("channel").options.split("\n")


def month_complaints(rng: random.Random, size: int, now: datetime, categories: set) -> list[dict]:
	specs = []
	chans = channels()
	texts = [t for t in COMPLAINTS if t[0] in categories] or COMPLAINTS
	for i in range(size):
		category, subject, text = rng.choice(texts)
		store = rng.choice(STORES)
		if store == EFFECT_STORE and category == EFFECT_CATEGORY and rng.random() < 0.85:
			store = rng.choice([s for s in STORES if s != EFFECT_STORE])  # the action worked: few after
		product = rng.choice(PRODUCTS)
		received = received_time(rng, now, 30)
		specs.append(
			spec(rng, f"m{i}", received, rng.choice(chans), category, subject, text, store, product, now)
		)
	# every stage and channel at least a few times, whatever the dice said: a stage goes to the
	# complaints whose age suits it best, a channel to any
	for field, values, least in (
		("stage", stages.STAGES, MIN_PER_STAGE),
		("channel", chans, MIN_PER_CHANNEL),
	):
		for value in values:
			while sum(1 for s in specs if s[field] == value) < least:
				spare = [s for s in specs if sum(1 for t in specs if t[field] == s[field]) > least]
				if field == "stage":
					target = typical_age(value)
					chosen = min(spare, key=lambda s: abs(age_days(s, now) - target))
				else:
					chosen = rng.choice(spare)
				chosen[field] = value
	return specs


def age_days(spec: dict, now: datetime) -> float:
	return (now - spec["received_on"]).total_seconds() / 86400


def typical_age(stage: str) -> float:
	"""Half-way through the youngest age band in which `stage` is usual."""
	low = 0.0
	for max_age, weights in STAGE_WEIGHTS:
		if stage in weights:
			return (low + max_age) / 2
		low = max_age
	return low


def spec(rng, key, received, channel, category, subject, text, store, product, now, stage=None) -> dict:
	name = rng.choice(NAMES)
	return {
		"key": key,
		"received_on": received,
		"channel": channel,
		"category": category,
		"subject": subject,
		"description": text.format(product=product, store=store),
		"store_branch": store,
		"product": product,
		"complainant_name": name,
		"contact_phone": f"+86 138 {rng.randrange(10000):04d} {rng.randrange(10000):04d}",
		"stage": stage or stage_for(rng, (now - received).total_seconds() / 86400),
		"satisfaction": rng.choice((3, 4, 4, 5, 5)),
		# the manager works some complaints too (their own cards are not empty)
		"agent": email(rng.choices(("agent1", "agent2", "manager"), weights=(4, 4, 1))[0]),
		"amount": rng.choice((0, 0, 20, 38, 58, 88, 120)),
	}


def effect_history(rng: random.Random, now: datetime, categories: set) -> list[dict]:
	"""The complaints the verified action aimed at, in the 60 days before it was implemented."""
	if EFFECT_CATEGORY not in categories:
		return []
	implemented = implemented_day(now)
	specs = []
	for i in range(18):
		received = received_time(rng, implemented, 60)
		specs.append(
			spec(
				rng,
				f"h{i}",
				received,
				rng.choice(("Phone", "Web Form", "WeChat")),
				EFFECT_CATEGORY,
				"Late delivery",
				COMPLAINTS[8][2],
				EFFECT_STORE,
				rng.choice(PRODUCTS),
				now,
				stage=rng.choice(("Closed", "Closed", "Reviewed")),
			)
		)
	return specs


def implemented_day(now: datetime) -> datetime:
	return datetime.combine(add_days(getdate(now), -32), datetime.min.time())


def burst_start(now: datetime) -> datetime:
	return datetime.combine(add_days(getdate(now), -4), datetime.min.time()) + timedelta(hours=12)


def burst_complaints(rng: random.Random, now: datetime) -> list[dict]:
	start = burst_start(now)
	return [
		spec(
			rng,
			f"b{i}",
			start + timedelta(minutes=10 * i + rng.randrange(8)),
			rng.choice(("Phone", "WeChat", "Social Media", "Walk-in / Store")),
			"Quality",
			"Food poisoning",
			rng.choice(BURST_TEXT),
			BURST_STORE,
			BURST_PRODUCT,
			now,
			stage="Investigating",
		)
		for i in range(12)
	]


def insert_complaint(s: dict, now: datetime) -> str:
	doc = frappe.new_doc("Complaint")
	doc.update(
		{
			"complainant_name": s["complainant_name"],
			"contact_phone": s["contact_phone"],
			"channel": s["channel"],
			"received_on": s["received_on"],
			"category": s["category"],
			"subject": s["subject"],
			"description": f"<p>{frappe.utils.escape_html(s['description'])}</p>",
			"store_branch": s["store_branch"],
			"product": s["product"],
			"affected_customers": 1,
			"intake_key": KEY_PREFIX + s["key"],
		}
	)
	stage = s["stage"]
	later = stage not in ("Received", "Classified", "Assigned", "Investigating", "Rejected")
	if later:
		doc.findings = "<p>Checked with the store manager and the kitchen log; the complaint is founded.</p>"
		doc.append(
			"resolution_lines",
			{
				"resolution_type": "Refund" if s["amount"] else "Apology",
				"amount": s["amount"],
				"line_description": "Goodwill",
			},
		)
	doc.flags.intake_channel = s["channel"]
	doc.insert(ignore_permissions=True)
	moves = stage_path(s, now)
	values = stage_values(doc, s, moves)
	if values.get("customer_informed_on"):
		doc.append(
			"contact_log",
			{
				"contact_on": values["customer_informed_on"],
				"contact_channel": "Phone",
				"direction": "Outbound",
				"summary": "Told the customer the outcome and the resolution.",
				"outcome_told": 1,
				"contact_by": s["agent"],
			},
		).db_insert()
	created = s["received_on"]
	last = max([created, *(moment for _stage, moment in moves)])
	frappe.db.set_value("Complaint", doc.name, values, update_modified=False)
	frappe.db.sql(
		"update `tabComplaint` set creation=%s, modified=%s where name=%s", (created, last, doc.name)
	)
	doc = frappe.get_doc("Complaint", doc.name)
	refresh_clocks(doc, now)
	write_history(doc, s, moves)
	assign(doc, s, moves)
	return doc.name


# How long each step took, in hours after the step before: (usual low, usual high, late low, late high).
STEP_HOURS = {
	"Classified": (0.1, 1.2, 2, 6),
	"Assigned": (0.05, 0.5, 1, 4),
	"Investigating": (1, 16, 26, 48),
	"Resolution Proposed": (6, 30, 40, 90),
	"Resolution Approved": (1, 8, 20, 48),
	"Customer Informed": (1, 12, 24, 60),
	"Follow-up": (0.5, 4, 8, 24),
	"Closed": (24, 120, 170, 240),
	"Reviewed": (24, 96, 120, 200),
	"Reopened": (24, 120, 170, 240),
	"Rejected": (0.2, 3, 6, 24),
}
LATE_SHARE = 0.12  # about one step in eight is slow: the time nodes show some breaches, not all


def stage_path(s: dict, now: datetime) -> list[tuple[str, datetime]]:
	"""The stages the complaint went through after Received, each with the moment it got there: steps
	of realistic length (some late), squeezed into the time since it was received when need be."""
	stage, received = s["stage"], get_datetime(s["received_on"])
	order = stages.STAGES
	if stage == "Rejected":
		path = ["Rejected"]
	elif stage == "Reopened":
		path = [*order[order.index("Classified") : order.index("Follow-up") + 1], "Reopened"]
	else:
		path = list(order[order.index("Classified") : order.index(stage) + 1])
	rng = random.Random(s["key"])
	moments, at = [], received
	for step in path:
		low, high, late_low, late_high = STEP_HOURS[step]
		hours = rng.uniform(late_low, late_high) if rng.random() < LATE_SHARE else rng.uniform(low, high)
		at = at + timedelta(hours=hours)
		moments.append(at)
	latest = now - timedelta(minutes=20)
	if moments and moments[-1] > latest:
		room = max((latest - received).total_seconds(), 60)
		scale = room / (moments[-1] - received).total_seconds()
		moments = [received + (m - received) * scale for m in moments]
	return [(step, m.replace(microsecond=0)) for step, m in zip(path, moments, strict=True)]


def stage_values(doc, s: dict, moves: list[tuple[str, datetime]]) -> dict:
	"""The stage fields of a complaint that went along `moves`."""
	stage = s["stage"]
	at = dict(moves)
	values = {
		"stage": stage,
		"status": stages.status_for(stage),
		"workflow_state": flow.workflow_state_for(stage),
	}
	if "Classified" in at:
		values.update(accepted_on=at["Classified"], acknowledged_on=at["Classified"])
	if "Assigned" in at:
		values.update(complaint_owner=s["agent"], first_response_on=at["Assigned"] + timedelta(minutes=20))
	if "Investigating" in at:
		values.update(investigator=s["agent"], investigation_started_on=at["Investigating"])
	if "Resolution Approved" in at:
		values.update(approved_by=email("manager"), approved_on=at["Resolution Approved"])
	if "Customer Informed" in at:
		informed = at["Customer Informed"]
		values.update(customer_informed_on=informed, follow_up_due=informed + timedelta(days=7))
	if "Reopened" in at:
		values["reopened_on"] = at["Reopened"]
	if "Closed" in at or "Reopened" in at:
		followed = (at.get("Closed") or at["Reopened"]) - timedelta(minutes=10)
		values.update(followed_up_on=followed, satisfaction=s["satisfaction"] if stage != "Reopened" else 2)
		values["follow_up_comment"] = "Customer satisfied." if stage != "Reopened" else "Still unhappy."
	if "Closed" in at:
		values.update(closed_on=at["Closed"])
	if "Reviewed" in at:
		values.update(
			reviewed_on=at["Reviewed"],
			root_cause_category=random.Random(doc.name).choice(("People", "Process", "Product", "Supplier")),
		)
		values["lessons_learned"] = "Briefed the store team; added the case to the monthly training."
	if stage == "Rejected":
		values.update(
			accepted_on=at["Rejected"],
			acknowledged_on=at["Rejected"],
			rejection_reason="Duplicate" if doc.channel == "Email" else "Out of Scope",
			rejection_note="Demo.",
		)
	return values


def refresh_clocks(doc, now: datetime) -> None:
	"""The time nodes as the SLA code computes them at `now` from the complaint's own times."""
	sla.refresh(doc, now)
	frappe.db.delete("Complaint Time Node", {"parent": doc.name, "parenttype": "Complaint"})
	for row in doc.time_nodes:
		row.name = None
		row.parent, row.parenttype, row.parentfield = doc.name, "Complaint", "time_nodes"
		row.db_insert()
	frappe.db.set_value(
		"Complaint",
		doc.name,
		{"next_due": doc.next_due, "sla_status": doc.sla_status, "next_check_at": doc.next_check_at},
		update_modified=False,
	)


def write_history(doc, s: dict, moves: list[tuple[str, datetime]]) -> None:
	"""A change-log entry per stage move, by whoever makes that move, at the time it was made."""
	previous = "Received"
	for stage, moment in moves:
		by = email("manager") if stage in ("Resolution Approved", "Reviewed") else s["agent"]
		version = frappe.get_doc(
			{
				"doctype": "Version",
				"ref_doctype": "Complaint",
				"docname": doc.name,
				"data": frappe.as_json(
					{
						"changed": [
							["stage", previous, stage],
							[
								"workflow_state",
								flow.workflow_state_for(previous),
								flow.workflow_state_for(stage),
							],
						],
						"added": [],
						"removed": [],
						"row_changed": [],
					},
					indent=None,
				),
			}
		)
		version.owner = version.modified_by = by
		version.creation = version.modified = moment
		version.db_insert()
		previous = stage


def assign(doc, s: dict, moves: list[tuple[str, datetime]]) -> None:
	"""Frappe's assignment (a ToDo) of the accountable owner: open while the complaint is worked."""
	at = dict(moves)
	if "Assigned" not in at:
		return
	open_work = s["stage"] in stages.OPEN_STAGES or s["stage"] == "Follow-up"
	todo = frappe.get_doc(
		{
			"doctype": "ToDo",
			"status": "Open" if open_work else "Closed",
			"allocated_to": s["agent"],
			"reference_type": "Complaint",
			"reference_name": doc.name,
			"description": f"{doc.name}: {s['subject']}",
			"priority": "Medium",
			"date": getdate(doc.next_due) if open_work and doc.next_due else None,
			"assigned_by": email("manager"),
		}
	)
	todo.owner = todo.modified_by = email("manager")
	todo.creation = todo.modified = at["Assigned"]
	todo.db_insert()
	if open_work:
		frappe.db.set_value(
			"Complaint", doc.name, "_assign", frappe.as_json([s["agent"]], indent=None), update_modified=False
		)


def run_detection(now: datetime, burst: list[dict]) -> list[str]:
	"""The real detection job, as if it ran just after the burst (only that burst is new to it)."""
	start = burst_start(now)
	frappe.db.set_single_value("Crisis Settings", "detection_enabled", 1)
	frappe.db.set_single_value("Crisis Settings", "last_detection_run", start - timedelta(minutes=30))
	found = detection.run(now=start + timedelta(hours=2, minutes=15), commit=True)
	frappe.db.set_single_value("Crisis Settings", "last_detection_run", now)
	frappe.db.commit()
	return list(dict.fromkeys(found))


# The verified action's root-cause analysis (5 whys).
FIVE_WHYS = (
	("Why did the food arrive late and cold?", "The rider left the store 25 minutes after the order."),
	("Why did the rider leave so late?", "He waited for orders from two other stores."),
	("Why did he wait for other stores?", "The delivery partner pools lunch orders to fill each trip."),
	("Why does the partner pool orders?", "Our contract pays per trip, not per order delivered on time."),
	("Why does the contract say so?", "Delivery time was never part of the contract."),
)


def make_actions(now: datetime, alerts: list[str]) -> list[str]:
	owner, quality = email("manager"), email("quality")
	common = {"doctype": "Improvement Action", "department": "Operations"}
	names = []
	verified = frappe.get_doc(
		{
			**common,
			"title": f"Delivery partner SLA at {EFFECT_STORE}",
			"source_type": "Periodic Analysis",
			"problem_statement": f"Late deliveries from {EFFECT_STORE}: about 9 complaints a month.",
			"cause_category": "Supplier",
			"root_cause": "The delivery partner pooled orders across three stores at lunch.",
			"corrective_measures": "Dedicated riders at lunch; orders leave within 10 minutes.",
			"preventive_measures": "Weekly review of delivery times with the partner.",
			"action_owner": quality,
			"due_date": add_days(implemented_day(now), 5),
			"scope_store_branch": EFFECT_STORE,
			"scope_category": EFFECT_CATEGORY,
			"before_window_days": 60,
			"verification_window_days": 30,
			"five_whys": [{"why": why, "answer": answer} for why, answer in FIVE_WHYS],
		}
	).insert(ignore_permissions=True)
	names.append(verified.name)
	for status in (effect.PLANNED, effect.IN_PROGRESS, effect.IMPLEMENTED):
		if status == effect.IMPLEMENTED:
			verified.evidence_notes = "Contract addendum signed; rider roster attached."
			verified.implemented_on = getdate(implemented_day(now))
		improvement_job.system_move(verified, status)
		verified.save(ignore_permissions=True)
	improvement_job.start_verification(verified.name, now)
	improvement_job.measure_final(verified.name, now)
	verified.reload()
	if verified.measurement_final and verified.proposed_effect:
		frappe.set_user(quality)
		try:
			improvement_job.system_move(verified, verified.proposed_effect)
			verified.save(ignore_permissions=True)
		finally:
			frappe.set_user("Administrator")
	others = (
		(
			f"Food safety at {BURST_STORE}: {BURST_PRODUCT}",
			{
				"source_type": "Crisis Alert",
				"source_crisis_alert": alerts[0] if alerts else None,
				"scope_product": BURST_PRODUCT,
				"cause_category": "Supplier",
				"problem_statement": "A cluster of food poisoning complaints after lunch.",
				"corrective_measures": "Stop the supplier's chicken; retrain the kitchen on cooling.",
			},
			(effect.PLANNED, effect.IN_PROGRESS),
		),
		(
			"Cashier courtesy training",
			{
				"source_type": "Review Meeting",
				"scope_category": "Attitude",
				"cause_category": "People",
				"corrective_measures": "Two-hour courtesy training for all cashiers.",
			},
			(effect.PLANNED,),
		),
		("Coupon rules at the tills", {"source_type": "Periodic Analysis", "scope_category": "Price"}, ()),
	)
	# the courtesy training is late: the overdue card and its notice have something to show
	due_in = {"Cashier courtesy training": -3}
	for title, values, moves in others:
		doc = frappe.get_doc(
			{
				**common,
				"title": title,
				"action_owner": owner,
				"due_date": add_days(getdate(now), due_in.get(title, 14)),
				**values,
			}
		)
		doc.insert(ignore_permissions=True)
		for status in moves:
			improvement_job.system_move(doc, status)
			doc.save(ignore_permissions=True)
		names.append(doc.name)
	return names


# -- removing -------------------------------------------------------------------------------------


def remove(log=print) -> dict:
	"""Delete exactly what the demo created; returns how many of each."""
	record = load_record() or {}
	complaints = set(record.get("complaints", [])) | set(
		frappe.get_all("Complaint", filters={"intake_key": ["like", f"{KEY_PREFIX}%"]}, pluck="name")
	)
	complaints = [c for c in complaints if frappe.db.exists("Complaint", c)]
	alerts = [a for a in record.get("alerts", []) if frappe.db.exists("Crisis Alert", a)]
	actions = [a for a in record.get("actions", []) if frappe.db.exists("Improvement Action", a)]
	users = [u for u in record.get("users", []) if u.endswith("@" + DOMAIN) and frappe.db.exists("User", u)]
	for doctype, names in (
		("Improvement Action", actions),
		("Crisis Alert", alerts),
		("Complaint", complaints),
	):
		wipe(doctype, names)
	for user in users:
		frappe.db.delete("ToDo", {"allocated_to": user})
		frappe.db.delete("Notification Log", {"for_user": user})
		frappe.delete_doc("User", user, ignore_permissions=True, force=True, delete_permanently=True)
	settings = record.get("crisis_settings")
	if settings:
		frappe.db.set_single_value("Crisis Settings", "detection_enabled", settings["detection_enabled"])
		frappe.db.set_single_value(
			"Crisis Settings", "last_detection_run", settings["last_detection_run"] or None
		)
	frappe.db.commit()
	if os.path.exists(record_path()):
		os.remove(record_path())
	counts = {
		"complaints": len(complaints),
		"alerts": len(alerts),
		"actions": len(actions),
		"users": len(users),
	}
	log(
		"Removed the demo month: {complaints} complaints, {alerts} alerts, {actions} actions, {users} users.".format(
			**counts
		)
	)
	return counts


def wipe(doctype: str, names: list[str]) -> None:
	"""The documents, their child rows and everything that hangs off them, in a few bulk deletes."""
	if not names:
		return
	for chunk in (names[i : i + 500] for i in range(0, len(names), 500)):
		for table in frappe.get_meta(doctype).get_table_fields():
			frappe.db.delete(table.options, {"parent": ["in", chunk], "parenttype": doctype})
		for ref_doctype, fields in (
			("Comment", ("reference_doctype", "reference_name")),
			("Version", ("ref_doctype", "docname")),
			("ToDo", ("reference_type", "reference_name")),
			("Notification Log", ("document_type", "document_name")),
			("Communication", ("reference_doctype", "reference_name")),
			("Email Queue", ("reference_doctype", "reference_name")),
			("File", ("attached_to_doctype", "attached_to_name")),
			("DocShare", ("share_doctype", "share_name")),
			("Crisis Alert Complaint", ("complaint",)),
		):
			if len(fields) == 1:
				frappe.db.delete(ref_doctype, {fields[0]: ["in", chunk]})
			else:
				frappe.db.delete(ref_doctype, {fields[0]: doctype, fields[1]: ["in", chunk]})
		frappe.db.delete(doctype, {"name": ["in", chunk]})
