"""Load a development site with a realistic complaint history: a million complaints over two years.

Complaints are spread evenly over `--days` days ending at midnight today (a million over 730 days is
about 1,370 a day), with the shape of a real table: categories (the site's Complaint Categories),
stores and products in a long-tailed (Pareto) mix, channels, severities, the lifecycle's dates
(acknowledged, first response, investigation, customer informed, followed up, closed, reviewed), the
follow-up score, and five SLA time nodes per complaint (Acknowledge, First Response, Investigation
Started, Resolution, Follow-up) in "Complaint Time Node" rows with what happened to each clock. Older
complaints are closed or reviewed; the last weeks hold the open ones. Rows are written with
multi-row INSERTs (as `frappe.db.bulk_insert` writes them) in chunks, each chunk committed.

Every row it writes is named with the prefix MIL- (complaints MIL-0000001...; their time nodes
MIL-N-...), so `--remove` deletes exactly them. Each complaint is drawn from its own seeded random
generator, so a second run adds only what is missing (an interrupted run resumes) and the data are the
same on every machine. Open complaints carry no next check (`next_check_at` empty), so a site's SLA
sweep does not pick up the history.

Run it with the bench's Python, from the bench's sites folder, on a development site of its own:

    cd frappe-bench/sites && ../env/bin/python /work/main/benchmarks/million.py \\
        --site dev.localhost [--count 1000000] [--days 730] [--remove]

Then time the reports with benchmarks/reports.py."""

import argparse
import itertools
import os
import random
import sys
import time
from datetime import datetime, timedelta

import frappe

PREFIX = "MIL-"
NODE_PREFIX = "MIL-N-"
MARKER = "MILLION generated"  # complainant_name
STORES = 200
PRODUCTS = 2000
CHANNELS = (
	("Phone", 30),
	("Web Form", 20),
	("WeChat", 18),
	("Email", 12),
	("Walk-in / Store", 10),
	("Social Media", 4),
	("Helpdesk Ticket", 3),
	("API", 3),
)
SEVERITIES = (("General", 90), ("Major", 8), ("Group", 2))
PRIORITIES = (("Low", 15), ("Medium", 60), ("High", 20), ("Urgent", 5))
SCORES = ((5, 40), (4, 30), (3, 15), (2, 10), (1, 5))
# What a complaint older than a month has become; the last month is spread over the open stages.
SETTLED = (("Closed", 60), ("Reviewed", 33), ("Rejected", 3), ("Reopened", 1), ("Follow-up", 3))
OPEN = (
	("Received", 5),
	("Classified", 5),
	("Assigned", 10),
	("Investigating", 15),
	("Resolution Proposed", 8),
	("Resolution Approved", 7),
	("Customer Informed", 15),
	("Follow-up", 10),
	("Closed", 20),
	("Reviewed", 5),
)
STATUS = {"Closed": "Closed", "Reviewed": "Closed", "Rejected": "Rejected", "Customer Informed": "Resolved"}
STATUS["Follow-up"] = "Resolved"
# (node, due after receipt) of the General SLA; Major and Group complaints are due sooner.
NODES = (
	("Acknowledge", timedelta(hours=2)),
	("First Response", timedelta(hours=8)),
	("Investigation Started", timedelta(hours=24)),
	("Resolution", timedelta(days=7)),  # 5 working days
	("Follow-up", timedelta(days=7)),  # after the customer is informed
)
SPEED = {"General": 1.0, "Major": 0.5, "Group": 0.25}

COMPLAINT_FIELDS = [
	"name",
	"complainant_name",
	"channel",
	"received_on",
	"creation",
	"modified",
	"owner",
	"modified_by",
	"docstatus",
	"stage",
	"status",
	"severity",
	"priority",
	"sla_status",
	"category",
	"product",
	"store_branch",
	"subject",
	"description",
	"acknowledged_on",
	"first_response_on",
	"investigation_started_on",
	"customer_informed_on",
	"followed_up_on",
	"satisfaction",
	"closed_on",
	"reviewed_on",
	"rejection_reason",
	"next_check_at",
]
NODE_FIELDS = [
	"name",
	"parent",
	"parenttype",
	"parentfield",
	"idx",
	"node",
	"due",
	"met_on",
	"clock_status",
	"elapsed_pct",
	"strictest",
	"escalation_level",
	"creation",
	"modified",
	"owner",
	"modified_by",
	"docstatus",
]
SUBJECTS = (
	"Waited too long at the counter",
	"Product arrived damaged",
	"Charged twice for one order",
	"Staff were rude on the phone",
	"Refund not received",
	"Item not as described",
	"Delivery was three days late",
	"Felt unwell after eating",
)


def weighted(rng: random.Random, choices) -> str:
	values, weights = zip(*choices, strict=True)
	return rng.choices(values, weights)[0]


TAILS: dict[int, list[float]] = {}


def long_tail(rng: random.Random, n: int) -> int:
	"""1..n with Zipf weights 1/k (k = 1..n): the first few values take a large share, a long tail of
	rare ones follows (a Pareto mix)."""
	if n not in TAILS:
		TAILS[n] = list(itertools.accumulate(1 / k for k in range(1, n + 1)))
	return rng.choices(range(1, n + 1), cum_weights=TAILS[n])[0]


def complaint_name(i: int) -> str:
	return f"{PREFIX}{i + 1:07d}"


def row(i: int, start: datetime, slot: float, today: datetime, categories: list[str]):
	"""Complaint i (0-based) and its time nodes, drawn from its own generator."""
	rng = random.Random(i * 7919 + 17)
	received = start + timedelta(seconds=(i + rng.random()) * slot)
	# round to the second, as most intake paths store it
	received = received.replace(microsecond=0)
	age = today - received
	settled = age > timedelta(days=30)
	stage = weighted(rng, SETTLED if settled else OPEN)
	severity = weighted(rng, SEVERITIES)
	speed = SPEED[severity]
	order = [s for s, _w in OPEN]
	reached = order.index(stage) if stage in order else None

	def after(moment, median_hours, sigma=1.0):
		return moment + timedelta(hours=median_hours * speed * rng.lognormvariate(0, sigma))

	def capped(moment):
		return moment if moment < today else None

	acknowledged = first_response = investigated = informed = followed = closed = reviewed = None
	satisfaction, rejection = 0, None
	if stage == "Rejected":
		acknowledged = capped(after(received, 0.5))
		first_response = capped(after(received, 4))
		rejection = weighted(rng, (("Not a Complaint", 40), ("Duplicate", 40), ("Out of Scope", 20)))
		closed = first_response
	else:
		past = (lambda s: True) if stage in ("Reopened",) else (lambda s: reached >= order.index(s))
		if stage != "Received":
			acknowledged = capped(after(received, 0.5))
			first_response = capped(after(received, 3))
		if past("Investigating"):
			investigated = capped(after(received, 10))
		if past("Customer Informed"):
			informed = capped(after(received, 40, 0.8))
		if informed and past("Follow-up"):
			followed = capped(after(informed, 72, 0.5))
			if followed:
				satisfaction = weighted(rng, ((2, 60), (1, 40)) if stage == "Reopened" else SCORES)
		if followed and past("Closed") and stage != "Reopened":
			closed = capped(after(followed, 4))
		if closed and stage == "Reviewed":
			reviewed = capped(after(closed, 48))
	status = STATUS.get(stage, "Open")
	category = categories[long_tail(rng, len(categories)) - 1] if stage != "Received" else None
	store = f"Store {long_tail(rng, STORES):03d}"
	product = f"Product {long_tail(rng, PRODUCTS):04d}" if rng.random() < 0.8 else None
	modified = max(m for m in (received, acknowledged, first_response, informed, closed, reviewed) if m)

	nodes = []
	if stage not in ("Received", "Rejected"):
		stops = (acknowledged, first_response, investigated, informed, followed)
		for idx, ((node, due_after), stopped) in enumerate(zip(NODES, stops, strict=True), start=1):
			begins = informed if node == "Follow-up" else received
			if begins is None:
				status_, due, met = "Not Started", None, None
			else:
				due = begins + due_after * speed
				met = stopped
				if met is not None:
					status_ = "Met" if met <= due else "Met Late"
				else:
					status_ = "Breached" if today > due else "Running"
			elapsed = 0.0
			if due is not None:
				end = met or today
				span = (due - begins).total_seconds()
				elapsed = round(min(999, 100 * (end - begins).total_seconds() / span), 1)
			nodes.append(
				(
					f"{NODE_PREFIX}{i + 1:07d}-{idx}",
					complaint_name(i),
					"Complaint",
					"time_nodes",
					idx,
					node,
					due,
					met,
					status_,
					elapsed,
					0,
					0,
					received,
					modified,
					"Administrator",
					"Administrator",
					0,
				)
			)
	statuses = {n[8] for n in nodes}
	sla_status = (
		"Breached"
		if "Breached" in statuses
		else "On Track"
		if "Running" in statuses
		else "Met"
		if nodes
		else "Stopped"
	)
	complaint = (
		complaint_name(i),
		MARKER,
		weighted(rng, CHANNELS),
		received,
		received,
		modified,
		"Administrator",
		"Administrator",
		0,
		stage,
		status,
		severity,
		weighted(rng, PRIORITIES),
		sla_status,
		category,
		product,
		store,
		SUBJECTS[i % len(SUBJECTS)],
		f"<p>{SUBJECTS[i % len(SUBJECTS)]}. Generated complaint {i + 1} for the million benchmark.</p>",
		acknowledged,
		first_response,
		investigated,
		informed,
		followed,
		satisfaction,
		closed,
		reviewed,
		rejection,
		None,
	)
	return complaint, nodes


def insert(doctype: str, fields: list[str], rows: list[tuple]) -> None:
	"""Multi-row INSERTs, as frappe.db.bulk_insert writes them, built by pymysql's executemany rather
	than by pypika: building the statement through pypika took three quarters of the time (a million
	complaints with their time nodes would have taken some 25 minutes)."""
	if rows:
		columns = ", ".join(f"`{field}`" for field in fields)
		marks = ", ".join(["%s"] * len(fields))
		frappe.db._cursor.executemany(f"INSERT INTO `tab{doctype}` ({columns}) VALUES ({marks})", rows)


def existing() -> int:
	return frappe.db.sql("SELECT COUNT(*) FROM `tabComplaint` WHERE name LIKE %s", (PREFIX + "%",))[0][0]


def remove() -> int:
	count = existing()
	frappe.db.sql(
		"DELETE FROM `tabComplaint Time Node` WHERE parenttype = 'Complaint' AND parent LIKE %s",
		(PREFIX + "%",),
	)
	frappe.db.sql("DELETE FROM `tabComplaint` WHERE name LIKE %s", (PREFIX + "%",))
	frappe.db.commit()
	return count


def generate(count: int, days: int, chunk: int) -> None:
	today = datetime.combine(datetime.now().date(), datetime.min.time())
	have = existing()
	if have >= count:
		print(f"{have} generated complaints already on the site: nothing to add")
		return
	if have:
		# resume: the history ends where the first run placed it
		first = frappe.db.sql(
			"SELECT MIN(received_on) FROM `tabComplaint` WHERE name LIKE %s", (PREFIX + "%",)
		)[0][0]
		start = datetime.combine(first.date(), datetime.min.time())
		# an interrupted chunk was rolled back whole; drop anything partial all the same
		frappe.db.sql(
			"DELETE FROM `tabComplaint Time Node` WHERE parenttype = 'Complaint' AND parent LIKE %s"
			" AND parent > %s",
			(PREFIX + "%", complaint_name(have - 1)),
		)
		last = frappe.db.get_value("Complaint", complaint_name(have - 1), "received_on")
		if last is None or abs((last - start).total_seconds() - (have - 0.5) * days * 86400 / count) > (
			days * 86400 / count
		):
			print("the generated complaints were made with another --count or --days: --remove them first")
			return
		print(f"resuming after {have} complaints (history from {start:%Y-%m-%d})")
	else:
		start = today - timedelta(days=days)
	slot = days * 86400 / count
	categories = sorted(frappe.get_all("Complaint Category", pluck="name")) or ["Service"]
	started = time.perf_counter()
	for begin in range(have, count, chunk):
		complaints, nodes = [], []
		for i in range(begin, min(begin + chunk, count)):
			complaint, its_nodes = row(i, start, slot, today, categories)
			complaints.append(complaint)
			nodes.extend(its_nodes)
		insert("Complaint", COMPLAINT_FIELDS, complaints)
		insert("Complaint Time Node", NODE_FIELDS, nodes)
		frappe.db.commit()
		done = begin + len(complaints)
		if done % (chunk * 10) == 0 or done == count:
			print(f"  {done} complaints ({time.perf_counter() - started:.0f} s)", flush=True)
	for table in ("tabComplaint", "tabComplaint Time Node"):
		frappe.db.sql(f"ANALYZE TABLE `{table}`")


def main() -> int:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--site", required=True)
	parser.add_argument("--count", type=int, default=1_000_000)
	parser.add_argument("--days", type=int, default=730, help="the history's length, ending today")
	parser.add_argument("--chunk", type=int, default=5000, help="complaints per insert and commit")
	parser.add_argument("--remove", action="store_true", help="delete the generated complaints and exit")
	args = parser.parse_args()

	frappe.init(site=args.site, sites_path=os.getcwd())
	frappe.connect()
	try:
		frappe.set_user("Administrator")
		started = time.perf_counter()
		if args.remove:
			print(f"removed {remove()} generated complaints and their time nodes")
		else:
			generate(args.count, args.days, args.chunk)
			total = frappe.db.sql("SELECT COUNT(*) FROM `tabComplaint`")[0][0]
			nodes = frappe.db.sql("SELECT COUNT(*) FROM `tabComplaint Time Node`")[0][0]
			print(f"site now holds {total} complaints and {nodes} time nodes")
		print(f"{time.perf_counter() - started:.0f} s")
	finally:
		frappe.destroy()
	return 0


if __name__ == "__main__":
	sys.exit(main())
