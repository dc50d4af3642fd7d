"""Do the scheduled jobs cost the same on a big complaint table as on an empty one?

Measures complaint_response.jobs.sla.sweep and complaint_response.jobs.detection.run on a fixed small
workload (20 open complaints due for an SLA check, 20 complaints new since the last early-warning run)
while the table holds more and more "background" complaints, and prints each figure as a ratio to the
run with no background, measured in the same run. Two kinds of background, one after the other: closed
complaints (a tenth of them linked to past crisis alerts), and open complaints that are not due. Ratios
near 1 mean the job does not read the table; a ratio growing with the background means a scan. Besides
time it counts the SQL statements each job issues and MariaDB's Handler_read_* counters (rows the server
read), which are far less noisy, and it EXPLAINs each SELECT to flag plans that read a whole table.

Run it on a development site of its own, with the bench's Python, from the bench's sites folder:

    cd frappe-bench/sites && ../env/bin/python ../apps/complaint_response/benchmarks/scale.py \\
        --site dev.localhost [--sizes 0,5000,20000] [--reps 9] [--background closed,open] [--plans]

Everything it creates is deleted at the end (background rows are named BENCH-...; the complaints
of the workload carry the complainant name "BENCH scale"), then committed. Each repetition runs with
commit=False and is rolled back, so every repetition starts from the same committed state."""

import argparse
import os
import statistics
import sys
import time
from datetime import datetime, timedelta

import frappe

# A fixed, past moment (a Tuesday, 11:00): the workload is placed around it, the jobs run "at" it.
NOW = datetime(2026, 3, 3, 11, 0)
MARKER = "BENCH scale"  # complainant_name of the workload complaints
PREFIX = "BENCH-"  # name prefix of the background rows
CATEGORIES = ("Service", "Product", "Attitude", "Quality", "Delivery", "Price", "Contract", "Other")
CHANNELS = ("Phone", "Email", "Web Form", "WeChat", "Walk-in / Store")
BACKGROUND_PRODUCTS = 400
BACKGROUND_STORES = 60
# Background complaints were received (and closed) between 3 years and 30 days before NOW: older than
# the early-warning window + baseline (24 h + 28 days), so the work in that window is the same at every
# size and only the table grows, as it does with history.
HISTORY = (timedelta(days=3 * 365), timedelta(days=30))
HANDLER = "Handler_read%"
LINK_EVERY = 10  # a closed background complaint in LINK_EVERY is linked to a (past) crisis alert
BACKGROUND_TABLES = ("tabComplaint", "tabCrisis Alert Complaint")


# -- measuring ----------------------------------------------------------------------------------------


class QueryCounter:
	"""Wraps frappe.db.sql: counts statements and, when asked, keeps them for EXPLAIN."""

	def __init__(self):
		self.count = 0
		self.keep: list[tuple[str, object]] | None = None
		self.original = frappe.db.sql
		frappe.db.sql = self

	def __call__(self, query, *args, **kwargs):
		self.count += 1
		if self.keep is not None and isinstance(query, str):
			self.keep.append((query, args[0] if args else kwargs.get("values", ())))
		return self.original(query, *args, **kwargs)

	def restore(self):
		frappe.db.sql = self.original


def handler_reads(counter: QueryCounter) -> dict[str, int]:
	rows = counter.original(f"SHOW SESSION STATUS LIKE '{HANDLER}'")
	return {name: int(value) for name, value in rows}


def status_overhead(counter: QueryCounter) -> dict[str, int]:
	"""What reading the counters adds to them (SHOW STATUS reads a temporary table)."""
	first = handler_reads(counter)
	second = handler_reads(counter)
	return {key: second[key] - first[key] for key in first}


def measure(name: str, counter: QueryCounter, overhead: dict[str, int]) -> dict:
	"""One repetition: time, statements and server reads of job `name`, then roll it all back."""
	before = handler_reads(counter)
	counter.count = 0
	start = time.perf_counter()
	result = JOBS[name]()
	elapsed = time.perf_counter() - start
	queries = counter.count
	after = handler_reads(counter)
	check = CHECKS[name]() if name in CHECKS else None
	frappe.db.rollback()
	reads = {key: after[key] - before[key] - overhead[key] for key in before}
	return {"ms": elapsed * 1000, "queries": queries, "reads": reads, "result": result, "check": check}


def repeat(name: str, reps: int, counter: QueryCounter, overhead: dict[str, int]) -> dict:
	measure(name, counter, overhead)  # warm the caches
	runs = [measure(name, counter, overhead) for _ in range(reps)]
	return {
		"ms": statistics.median(run["ms"] for run in runs),
		"queries": statistics.median(run["queries"] for run in runs),
		"rnd_next": statistics.median(run["reads"]["Handler_read_rnd_next"] for run in runs),
		"next": statistics.median(run["reads"]["Handler_read_next"] for run in runs),
		"result": runs[-1]["result"],
		"check": runs[-1]["check"],
	}


# -- the jobs -------------------------------------------------------------------------------------


WORKLOAD: dict[str, list[str]] = {"due": [], "new": []}
DUE_AT = NOW - timedelta(minutes=1)  # the workload's next check, before the sweep brings it forward


def sweep():
	from complaint_response.jobs.sla import sweep as run_sweep

	return run_sweep(now=NOW, commit=False)


def due_done() -> int:
	"""How many of the workload's due complaints the sweep just processed (their next check moved)."""
	return len(WORKLOAD["due"]) - frappe.db.count(
		"Complaint", {"name": ["in", WORKLOAD["due"]], "next_check_at": DUE_AT}
	)


def detection():
	from complaint_response.jobs.detection import run

	return len(run(now=NOW, commit=False))


JOBS = {"sweep": sweep, "detection": detection}
CHECKS = {"sweep": due_done}  # run after the measured job, before its rollback


# -- data -----------------------------------------------------------------------------------------


def complaint(**values):
	doc = {
		"doctype": "Complaint",
		"complainant_name": MARKER,
		"channel": "Phone",
		"description": "<p>Waited 40 minutes at the counter and was told to come back tomorrow.</p>",
	}
	doc.update(values)
	return frappe.get_doc(doc).insert(ignore_permissions=True)


def make_workload(size_open: int, size_new: int) -> dict[str, list[str]]:
	"""`size_open` open complaints received the day before NOW, due for an SLA check at NOW; and
	`size_new` complaints created in the hour before NOW, after the last early-warning run. Inserted
	the normal way, so their grading and clocks are real."""
	received = NOW - timedelta(hours=26)  # Monday 09:00: its first nodes are due or breached by NOW
	due = []
	for i in range(size_open):
		doc = complaint(
			received_on=received,
			category=CATEGORIES[i % len(CATEGORIES)],
			product=f"BENCH-OPEN-{i:03d}",
			store_branch=f"BENCH-OPEN-STORE-{i % 5}",
		)
		frappe.db.set_value(
			"Complaint",
			doc.name,
			{"creation": received, "next_check_at": DUE_AT},
			update_modified=False,
		)
		due.append(doc.name)
	new = []
	for i in range(size_new):
		at = NOW - timedelta(minutes=50) + timedelta(minutes=2 * i)
		# the first 8 are about one product, a spike (its history is older than the baseline); the
		# rest are about a product each
		spike = i < 8
		doc = complaint(
			received_on=at,
			category="Product" if spike else CATEGORIES[i % len(CATEGORIES)],
			product="BENCH-P-0001" if spike else f"BENCH-P-{i + 1:04d}",
			store_branch=f"BENCH-S-{i % BACKGROUND_STORES:03d}",
		)
		frappe.db.set_value(
			"Complaint",
			doc.name,
			# not due for the sweep at NOW: the sweep's workload stays the `size_open` complaints
			{"creation": at, "next_check_at": NOW + timedelta(days=1)},
			update_modified=False,
		)
		new.append(doc.name)
	frappe.db.commit()
	return {"due": due, "new": new}


BACKGROUND_FIELDS = [
	"name",
	"complainant_name",
	"channel",
	"received_on",
	"closed_on",
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
	"next_check_at",
]


def background_rows(kind: str, start: int, stop: int):
	"""Complaints BENCH-<start+1>..BENCH-<stop>, received evenly over the history (deterministic).

	closed: closed or reviewed, no next check (what most of a complaint table is); one in LINK_EVERY
	is linked to a past crisis alert (alert_links).
	open: still open, in the clocked stages, not due: half with their next check later than NOW, half
	with none (every clock met, paused while waiting on the customer, or fully escalated)."""
	from complaint_response.lifecycle.sla import CLOCKED_STAGES

	oldest, newest = NOW - HISTORY[0], NOW - HISTORY[1]
	span = int((newest - oldest).total_seconds())
	clocked = sorted(CLOCKED_STAGES)
	for i in range(start, stop):
		received = oldest + timedelta(seconds=(i * 7919) % span)
		if kind == "closed":
			stage, status, sla_status = ("Reviewed" if i % 3 else "Closed"), "Closed", "Met"
			closed, next_check = received + timedelta(days=3), None
		else:
			stage, status, sla_status = clocked[i % len(clocked)], "Open", "On Track"
			closed, next_check = None, (NOW + timedelta(hours=1 + i % 500) if i % 2 else None)
		yield (
			f"{PREFIX}{i + 1:06d}",
			"Background Customer",
			CHANNELS[i % len(CHANNELS)],
			received,
			closed,
			received,
			closed or received,
			"Administrator",
			"Administrator",
			0,
			stage,
			status,
			"General",
			"Medium",
			sla_status,
			CATEGORIES[i % len(CATEGORIES)],
			f"BENCH-P-{i % BACKGROUND_PRODUCTS + 1:04d}",
			f"BENCH-S-{i % BACKGROUND_STORES:03d}",
			"Background complaint",
			f"<p>Background complaint, {kind}.</p>",
			next_check,
		)


def alert_links(start: int, stop: int):
	"""One crisis-alert link per LINK_EVERY closed background complaints: past alerts' complaints."""
	for i in range(start, stop):
		if i % LINK_EVERY == 0:
			yield (
				f"{PREFIX}L{i + 1:06d}",
				f"{PREFIX}ALERT-{i // (20 * LINK_EVERY):05d}",
				"complaints",
				"Crisis Alert",
				i // LINK_EVERY % 20 + 1,
				f"{PREFIX}{i + 1:06d}",
			)


def grow_background(kind: str, current: int, target: int) -> None:
	if target > current:
		frappe.db.bulk_insert("Complaint", BACKGROUND_FIELDS, background_rows(kind, current, target))
		if kind == "closed":
			frappe.db.bulk_insert(
				"Crisis Alert Complaint",
				["name", "parent", "parentfield", "parenttype", "idx", "complaint"],
				alert_links(current, target),
			)
		frappe.db.commit()
		analyze()


def analyze() -> None:
	"""Fresh index statistics, as on a settled table."""
	for table in BACKGROUND_TABLES:
		frappe.db.sql(f"ANALYZE TABLE `{table}`")


def delete_background() -> int:
	"""Delete the background rows; returns how many complaints there were."""
	count = frappe.db.sql("SELECT COUNT(*) FROM `tabComplaint` WHERE name LIKE %s", (PREFIX + "%",))[0][0]
	for table in BACKGROUND_TABLES:
		frappe.db.sql(f"DELETE FROM `{table}` WHERE name LIKE %s", (PREFIX + "%",))
	frappe.db.commit()
	return count


# -- finding scans ----------------------------------------------------------------------------------


def explain(job, counter: QueryCounter) -> list[tuple[str, list[dict]]]:
	"""Each distinct SELECT of one run of `job`, with its EXPLAIN."""
	counter.keep = []
	try:
		job()
	finally:
		kept, counter.keep = counter.keep, None
		frappe.db.rollback()
	plans, seen = [], set()
	for query, values in kept:
		text = " ".join(query.split())
		if not text.lower().startswith("select") or text in seen:
			continue
		seen.add(text)
		plans.append((text, counter.original("EXPLAIN " + query, values, as_dict=True)))
	return plans


def scans(plan: list[dict], min_rows: int) -> bool:
	"""The plan reads a whole table or index (type ALL / index) of at least `min_rows` estimated rows."""
	return any(row.type in ("ALL", "index") and int(row.rows or 0) >= min_rows for row in plan)


def print_plan(job: str, query: str, plan: list[dict]) -> None:
	print(f"  [{job}] {query[:300]}")
	for row in plan:
		print(f"      table={row.table} type={row.type} key={row.key} rows={row.rows} extra={row.Extra}")


# -- setup and clean-up -----------------------------------------------------------------------------

SETTINGS = ("detection_enabled", "last_detection_run", "group_same_cause")
REFERENCES = (  # (doctype, field naming the complaint) of what inserting a complaint may leave behind
	("Comment", "reference_name"),
	("Version", "docname"),
	("ToDo", "reference_name"),
	("Activity Log", "reference_name"),
	("Communication", "reference_name"),
	("Email Queue", "reference_name"),
	("Notification Log", "document_name"),
	("Deleted Document", "deleted_name"),
)


def table_counts() -> dict[str, int]:
	tables = frappe.db.sql(
		"SELECT table_name FROM information_schema.tables"
		" WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'",
		pluck=True,
	)
	return {table: frappe.db.sql(f"SELECT COUNT(*) FROM `{table}`")[0][0] for table in tables}


def clean_up() -> int:
	"""Delete everything a (possibly interrupted) run created; returns how many complaints it found.
	Plain deletes, not frappe.delete_doc, which would leave a "Deleted" feed comment per complaint."""
	names = frappe.get_all("Complaint", filters={"complainant_name": MARKER}, pluck="name")
	if names:
		for df in frappe.get_meta("Complaint").get_table_fields():
			frappe.db.delete(df.options, {"parenttype": "Complaint", "parent": ["in", names]})
		actions = frappe.get_all(
			"Workflow Action",
			filters={"reference_doctype": "Complaint", "reference_name": ["in", names]},
			pluck="name",
		)
		if actions:
			frappe.db.delete("Workflow Action Permitted Role", {"parent": ["in", actions]})
			frappe.db.delete("Workflow Action", {"name": ["in", actions]})
		for doctype, field in REFERENCES:
			frappe.db.delete(doctype, {field: ["in", names]})
		frappe.db.delete("Complaint", {"name": ["in", names]})
	return len(names) + delete_background()


# -- report ---------------------------------------------------------------------------------------


def ratio(value: float, base: float) -> str:
	return f"{value / base:.2f}" if base else "-"


def report(kind: str, results: dict[int, dict[str, dict]]) -> None:
	print()
	print(f"background: {kind} complaints")
	header = (
		f"{'background':>10} | {'sweep ms':>8} {'ratio':>5} {'queries':>7} {'rnd_next':>8} {'idx_next':>8}"
		f" {'due done':>8} | {'detect ms':>9} {'ratio':>5} {'queries':>7} {'rnd_next':>8} {'idx_next':>8}"
	)
	print(header)
	print("-" * len(header))
	base = results[min(results)]
	for size, row in results.items():
		s, d = row["sweep"], row["detection"]
		done = f"{s['check']}/{len(WORKLOAD['due'])}"
		print(
			f"{size:>10} | {s['ms']:8.1f} {ratio(s['ms'], base['sweep']['ms']):>5} {s['queries']:7.0f}"
			f" {s['rnd_next']:8.0f} {s['next']:8.0f} {done:>8}"
			f" | {d['ms']:9.1f} {ratio(d['ms'], base['detection']['ms']):>5} {d['queries']:7.0f}"
			f" {d['rnd_next']:8.0f} {d['next']:8.0f}"
		)


def show_plans(counter: QueryCounter, min_rows: int, all_plans: bool) -> None:
	print(f"plans reading >= {min_rows} rows of a table or index:")
	found = 0
	for name, job in JOBS.items():
		for query, plan in explain(job, counter):
			if scans(plan, min_rows):
				found += 1
				print_plan(name, query, plan)
			elif all_plans and any(row.table == "tabComplaint" for row in plan):
				print_plan(name, query, plan)
	if not found:
		print("  none")


def main() -> int:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--site", required=True)
	parser.add_argument("--sizes", default="0,5000,20000", help="background sizes, comma-separated")
	parser.add_argument(
		"--background", default="closed,open", help="kinds of background complaints: closed, open"
	)
	parser.add_argument("--reps", type=int, default=9, help="measured repetitions per job and size")
	parser.add_argument("--open", type=int, default=20, help="open complaints due for the sweep")
	parser.add_argument("--new", type=int, default=20, help="new complaints for detection")
	parser.add_argument("--explain-rows", type=int, default=1000, help="flag plans scanning this many rows")
	parser.add_argument("--plans", action="store_true", help="also print every plan reading tabComplaint")
	args = parser.parse_args()
	sizes = sorted({int(part) for part in args.sizes.split(",")})
	kinds = [kind.strip() for kind in args.background.split(",") if kind.strip()]
	if not set(kinds) <= {"closed", "open"}:
		parser.error("--background takes closed and/or open")

	frappe.init(site=args.site, sites_path=os.getcwd())
	frappe.connect()
	frappe.set_user("Administrator")
	if frappe.conf.db_type not in (None, "mariadb"):
		print("Handler_read counters are MariaDB's: this benchmark runs on MariaDB only.")
		return 2
	# Jobs the workload would queue (system notifications) are counted, not sent to Redis: a
	# development site's workers must not see them after the rows are gone.
	queued: list[str] = []
	frappe.enqueue = lambda method, *a, **kw: queued.append(getattr(method, "__name__", str(method)))

	leftovers = clean_up()
	if leftovers:
		print(f"removed {leftovers} complaints left by an earlier, interrupted run")
	counts_before = table_counts()
	series_before = dict(frappe.db.sql("SELECT name, current FROM `tabSeries`"))
	saved = {field: frappe.db.get_single_value("Crisis Settings", field) for field in SETTINGS}
	counter = None
	started = time.perf_counter()
	try:
		frappe.db.set_single_value(
			"Crisis Settings",
			{"detection_enabled": 1, "group_same_cause": 3, "last_detection_run": NOW - timedelta(hours=1)},
			update_modified=False,
		)
		workload = make_workload(args.open, args.new)
		WORKLOAD.update(workload)
		counter = QueryCounter()
		overhead = status_overhead(counter)
		print(
			f"workload: {len(workload['due'])} open complaints due for the sweep, {len(workload['new'])} new"
			f" complaints for detection; {args.reps} repetitions (medians) after a warm-up run",
			flush=True,
		)
		for kind in kinds:
			results, current = {}, 0
			for size in sizes:
				grow_background(kind, current, size)
				current = max(current, size)
				results[size] = {name: repeat(name, args.reps, counter, overhead) for name in JOBS}
				s, d = results[size]["sweep"], results[size]["detection"]
				print(
					f"  {kind} {size}: the sweep processed {s['result']} complaints ({s['check']} of the"
					f" {len(workload['due'])} due), detection changed"
					f" {d['result']} alerts ({time.perf_counter() - started:.0f} s)",
					flush=True,
				)
			report(kind, results)
			print()
			print(f"({kind} background of {current})", end=" ")
			show_plans(counter, args.explain_rows, args.plans)
			delete_background()
			analyze()
		print()
		print(
			"rnd_next: Handler_read_rnd_next (rows read by full scans, temporary tables included);"
			" idx_next: Handler_read_next (rows read along an index range)."
		)
	finally:
		if counter:
			counter.restore()
		frappe.db.rollback()
		clean_up()
		frappe.db.set_single_value("Crisis Settings", saved, update_modified=False)
		series_now = dict(frappe.db.sql("SELECT name, current FROM `tabSeries`"))
		for key, value in series_now.items():
			if key not in series_before:
				frappe.db.sql("DELETE FROM `tabSeries` WHERE name = %s", (key,))
			elif value != series_before[key]:
				frappe.db.sql(
					"UPDATE `tabSeries` SET current = %s WHERE name = %s", (series_before[key], key)
				)
		frappe.db.commit()
		changed = {
			table: (counts_before.get(table, 0), count)
			for table, count in table_counts().items()
			if count != counts_before.get(table, 0)
		}
		print(f"clean-up: {'site left as found' if not changed else f'row counts changed: {changed}'}")
		if queued:
			jobs = ", ".join(sorted(set(queued)))
			print(f"({len(queued)} background jobs were counted instead of queued: {jobs})")
		frappe.destroy()
	total = time.perf_counter() - started
	print(f"total {total:.0f} s")
	return 0


if __name__ == "__main__":
	sys.exit(main())
