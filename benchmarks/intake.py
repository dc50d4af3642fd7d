"""How fast does a complaint come in, next to the cheapest document (ToDo) and to Helpdesk's ticket?

Two parts, both in one run on one site, so that every figure is a ratio to a baseline measured
alongside it:

1. Insert, in this process, a commit per insert (as a request does): ToDo, Complaint, and HD Ticket
   when Helpdesk is installed, interleaved (one of each, then again) so that all see the same machine.
   Median and 90th percentile of `--inserts` each, after a warm-up, and the SQL statements per insert.
   A second Complaint row measures Frappe's own path, where its Notifications are rendered and queued
   inside the save (what notify.py moves into a job after the commit); the deferred work is then run
   here as a worker would run it and reported per complaint, so nothing is hidden.
   Each complaint has a customer e-mail address, so its acknowledgement is due (a temporary outgoing
   Email Account queues the mail; nothing is sent).
2. REST, over loopback: `gunicorn -w 2` (started here) and `--clients` threads with keep-alive
   connections, token-authenticated as a benchmark user; ToDo through `/api/resource/ToDo` against the
   complaint intake `complaint_response.api.submit_complaint` (each request with its own idempotency
   key). Requests per second of each, their ratio, and the rows counted afterwards: lost (answered 200,
   no row) and doubled (more rows than keys).

Run it on a development site of its own, from the bench's sites folder, with the bench's Python:

    cd frappe-bench/sites && ../env/bin/python ../apps/complaint_response/benchmarks/intake.py \\
        --site dev.localhost [--inserts 200] [--requests 800] [--clients 16] [--workers 2] [--no-rest]

Everything it creates carries the marker "BENCH intake" and is deleted at the end, with the jobs it
queued, the benchmark user and the Email Account."""

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid

import frappe
from frappe.model.document import Document

MARKER = "BENCH intake"
USER = "bench.intake@example.com"
ACCOUNT = "Complaint Response Bench Outgoing"
CUSTOMER = "bench.intake.customer@example.com"


class QueryCounter:
	"""Counts the statements sent through frappe.db.sql."""

	def __init__(self):
		self.count = 0
		self.original = frappe.db.sql
		frappe.db.sql = self

	def __call__(self, *args, **kwargs):
		self.count += 1
		return self.original(*args, **kwargs)

	def restore(self):
		frappe.db.sql = self.original


# -- the documents -------------------------------------------------------------------------------


def todo(i: int) -> Document:
	return frappe.get_doc({"doctype": "ToDo", "description": f"{MARKER} {i}"}).insert()


def complaint(i: int) -> Document:
	return frappe.get_doc(
		{
			"doctype": "Complaint",
			"complainant_name": MARKER,
			"contact_email": CUSTOMER,
			"contact_phone": "13800000000",
			"channel": "Phone",
			"received_on": frappe.utils.now_datetime(),
			"description": f"The delivery {i} arrived two days late and the box was damaged.",
			"amount_at_stake": 120,
		}
	).insert()


def hd_ticket(i: int) -> Document:
	return frappe.get_doc(
		{
			"doctype": "HD Ticket",
			"subject": f"{MARKER} {i}",
			"description": f"The delivery {i} arrived two days late and the box was damaged.",
			"raised_by": CUSTOMER,
		}
	).insert()


class InlineNotifications:
	"""Frappe's own path: Notifications rendered and queued inside the save."""

	def __enter__(self):
		from complaint_response.complaint_response.doctype.complaint.complaint import Complaint

		self.cls = Complaint
		self.deferred = Complaint.run_notifications
		Complaint.run_notifications = Document.run_notifications

	def __exit__(self, *exc):
		self.cls.run_notifications = self.deferred


def complaint_inline(i: int) -> Document:
	with InlineNotifications():
		return complaint(i)


# -- part 1: inserts ---------------------------------------------------------------------------------


class workflow_off:
	"""The active Complaint workflow switched off (and back on, whatever happens)."""

	def __enter__(self):
		self.names = frappe.get_all(
			"Workflow", filters={"document_type": "Complaint", "is_active": 1}, pluck="name"
		)
		self.set(0)

	def __exit__(self, *exc):
		self.set(1)

	def set(self, active: int):
		for name in self.names:
			frappe.db.set_value("Workflow", name, "is_active", active)
		frappe.db.commit()
		frappe.cache.hdel("workflow", "Complaint")
		frappe.clear_cache(doctype="Complaint")


def time_inserts(kinds: dict, n: int, counter: QueryCounter) -> dict[str, dict]:
	times: dict[str, list[float]] = {kind: [] for kind in kinds}
	queries: dict[str, list[int]] = {kind: [] for kind in kinds}
	for warm in range(10):
		for make in kinds.values():
			make(-warm)
			frappe.db.commit()
	for i in range(n):
		for kind, make in kinds.items():
			counter.count = 0
			start = time.perf_counter()
			make(i)
			frappe.db.commit()
			times[kind].append((time.perf_counter() - start) * 1000)
			queries[kind].append(counter.count)
	return {
		kind: {
			"median": statistics.median(times[kind]),
			"p90": statistics.quantiles(times[kind], n=10)[-1],
			"queries": statistics.median(queries[kind]),
		}
		for kind in kinds
	}


def run_deferred_jobs() -> tuple[int, float]:
	"""Run the notification jobs the inserts queued, here, as a worker would: (jobs, ms per job)."""
	from frappe.utils.background_jobs import get_queue

	from complaint_response import notify

	jobs = [
		job
		for job in get_queue("short").get_jobs()
		if job.kwargs.get("site") == frappe.local.site and job.kwargs.get("method") == notify.JOB
	]
	start = time.perf_counter()
	for job in jobs:
		frappe.call(notify.JOB, **job.kwargs["kwargs"])
		frappe.db.commit()
		job.delete()
	elapsed = (time.perf_counter() - start) * 1000
	return len(jobs), elapsed / len(jobs) if jobs else 0.0


# -- part 2: REST ------------------------------------------------------------------------------------


def free_port() -> int:
	with socket.socket() as sock:
		sock.bind(("127.0.0.1", 0))
		return sock.getsockname()[1]


def start_gunicorn(site: str, workers: int) -> tuple[subprocess.Popen, int]:
	port = free_port()
	bench_python = sys.executable
	process = subprocess.Popen(
		[
			os.path.join(os.path.dirname(bench_python), "gunicorn"),
			"-b",
			f"127.0.0.1:{port}",
			"-w",
			str(workers),
			"-t",
			"120",
			"--preload",
			"frappe.app:application",
		],
		cwd=os.getcwd(),
		env={**os.environ, "FRAPPE_SITE": site},
		stdout=subprocess.DEVNULL,
		stderr=subprocess.PIPE,
	)
	for _ in range(100):
		try:
			with socket.create_connection(("127.0.0.1", port), timeout=0.2):
				return process, port
		except OSError:
			time.sleep(0.2)
	process.kill()
	raise SystemExit("gunicorn did not start: " + process.stderr.read().decode()[-2000:])


def blast(port: int, site: str, token: str, path: str, bodies: list[dict], clients: int) -> dict:
	"""POST every body once, from `clients` threads with one keep-alive connection each."""
	lock = threading.Lock()
	state = {"next": 0, "status": {}}
	headers = {
		"Authorization": f"token {token}",
		"Content-Type": "application/json",
		"Accept": "application/json",
		"Host": site,
	}

	def client():
		conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
		while True:
			with lock:
				i = state["next"]
				state["next"] += 1
			if i >= len(bodies):
				break
			conn.request("POST", path, body=json.dumps(bodies[i]), headers=headers)
			response = conn.getresponse()
			response.read()
			with lock:
				state["status"][response.status] = state["status"].get(response.status, 0) + 1
		conn.close()

	threads = [threading.Thread(target=client) for _ in range(clients)]
	start = time.perf_counter()
	for thread in threads:
		thread.start()
	for thread in threads:
		thread.join()
	elapsed = time.perf_counter() - start
	return {"seconds": elapsed, "status": state["status"], "rps": len(bodies) / elapsed}


def bench_user() -> str:
	"""A desk user who may create ToDos and complaints, with an API key; returns the token."""
	if not frappe.db.exists("User", USER):
		frappe.get_doc(
			{"doctype": "User", "email": USER, "first_name": "Bench", "send_welcome_email": 0}
		).insert(ignore_permissions=True)
	user = frappe.get_doc("User", USER)
	user.add_roles("Complaint Agent")
	secret = frappe.generate_hash(length=15)
	user.api_key = user.api_key or frappe.generate_hash(length=15)
	user.api_secret = secret
	user.save(ignore_permissions=True)
	frappe.db.commit()
	return f"{user.api_key}:{secret}"


def rest(site: str, requests: int, clients: int, workers: int) -> dict:
	token = bench_user()
	run = uuid.uuid4().hex[:8]
	# allocated to the user: ToDo lets its own user create it (Frappe's has_permission on ToDo)
	todo_bodies = [{"description": f"{MARKER} rest {run} {i}", "allocated_to": USER} for i in range(requests)]
	complaint_bodies = [
		{
			"complainant_name": MARKER,
			"contact_email": CUSTOMER,
			"channel": "Phone",
			"description": f"REST {run} {i}: the delivery arrived two days late.",
			"idempotency_key": f"bench-{run}-{i}",
		}
		for i in range(requests)
	]
	process, port = start_gunicorn(site, workers)
	try:
		warm = min(50, requests)
		blast(port, site, token, "/api/resource/ToDo", todo_bodies[:warm], clients)
		blast(port, site, token, "/api/method/complaint_response.api.submit_complaint",
			complaint_bodies[:warm], clients)  # fmt: skip
		results = {}
		for kind, path, bodies in (
			("ToDo", "/api/resource/ToDo", todo_bodies[warm:]),
			("Complaint", "/api/method/complaint_response.api.submit_complaint", complaint_bodies[warm:]),
		):
			results[kind] = blast(port, site, token, path, bodies, clients)
	finally:
		process.terminate()
		process.wait(timeout=30)
	frappe.db.commit()  # a fresh snapshot of what the server wrote
	todos = frappe.get_all(
		"ToDo", filters={"description": ["like", f"{MARKER} rest {run} %"]}, pluck="description"
	)
	complaints = frappe.get_all(
		"Complaint", filters={"description": ["like", f"%REST {run} %"]}, pluck="description"
	)
	for kind, rows in (("ToDo", todos), ("Complaint", complaints)):
		ok = sum(results[kind]["status"].get(code, 0) for code in (200, 201))
		results[kind]["ok"] = ok
		results[kind]["distinct"] = len(set(rows)) - warm  # the warm-up rows carry the same run id
		results[kind]["lost"] = max(0, ok - results[kind]["distinct"])
		results[kind]["doubled"] = len(rows) - len(set(rows))
	return results


# -- clean-up ----------------------------------------------------------------------------------------


def clean_up() -> None:
	from frappe.utils.background_jobs import get_queue

	frappe.db.rollback()
	names = frappe.get_all("Complaint", filters={"complainant_name": MARKER}, pluck="name")
	tickets = (
		frappe.get_all("HD Ticket", filters={"subject": ["like", f"{MARKER}%"]}, pluck="name")
		if frappe.db.exists("DocType", "HD Ticket")
		else []
	)
	referenced = [("Complaint", names), ("HD Ticket", [str(t) for t in tickets])]
	for doctype, docs in referenced:
		for chunk in range(0, len(docs), 500):
			part = docs[chunk : chunk + 500]
			for table, field, type_field in (
				("Email Queue", "reference_name", "reference_doctype"),
				("Communication", "reference_name", "reference_doctype"),
				("Notification Log", "document_name", "document_type"),
				("ToDo", "reference_name", "reference_type"),
				("Comment", "reference_name", "reference_doctype"),
				("Version", "docname", "ref_doctype"),
			):
				frappe.db.delete(table, {field: ["in", part], type_field: doctype})
			for child in frappe.get_meta(doctype).get_table_fields():
				frappe.db.delete(child.options, {"parent": ["in", part], "parenttype": doctype})
			frappe.db.delete(doctype, {"name": ["in", part]})
	frappe.db.delete("ToDo", {"description": ["like", f"{MARKER}%"]})
	frappe.db.delete("Email Account", {"email_account_name": ACCOUNT})
	if frappe.db.exists("User", USER):
		frappe.delete_doc("User", USER, force=True, ignore_permissions=True)
	for queue in ("short", "default", "long"):
		for job in get_queue(queue).get_jobs():
			if job.kwargs.get("site") == frappe.local.site:
				job.delete()
	frappe.db.commit()


def outgoing_account() -> None:
	if not frappe.db.exists("Email Account", {"email_account_name": ACCOUNT}):
		account = frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": ACCOUNT,
				"email_id": "bench.complaints@example.com",
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"smtp_server": "localhost",
				"no_smtp_authentication": 1,
			}
		)
		account.flags.ignore_validate = True  # no SMTP server is asked: nothing is sent
		account.insert(ignore_permissions=True)
		frappe.db.commit()
	frappe.local.outgoing_email_account = {}


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
	parser.add_argument("--site", required=True)
	parser.add_argument("--inserts", type=int, default=200)
	parser.add_argument("--requests", type=int, default=800)
	parser.add_argument("--clients", type=int, default=16)
	parser.add_argument("--workers", type=int, default=2)
	parser.add_argument("--no-rest", action="store_true")
	args = parser.parse_args()

	frappe.init(site=args.site)
	frappe.connect()
	frappe.set_user("Administrator")
	frappe.flags.mute_emails = True  # the Email Queue fills, nothing leaves the machine
	try:
		clean_up()
		outgoing_account()
		kinds = {"ToDo": todo, "Complaint": complaint, "Complaint (inline)": complaint_inline}
		if frappe.db.exists("DocType", "HD Ticket") and "helpdesk" in frappe.get_installed_apps():
			kinds["HD Ticket"] = hd_ticket
		counter = QueryCounter()
		try:
			figures = time_inserts(kinds, args.inserts, counter)
		finally:
			counter.restore()
		# the same, with the Complaint workflow switched off for a while: what Frappe's workflow
		# bookkeeping (Workflow Action records for the next roles) adds to each insert
		with workflow_off():
			counter = QueryCounter()
			try:
				plain = time_inserts({"ToDo": todo, "Complaint": complaint}, args.inserts // 2, counter)
			finally:
				counter.restore()
		figures["Complaint (no Workflow)"] = {
			**plain["Complaint"],
			"median": plain["Complaint"]["median"] * figures["ToDo"]["median"] / plain["ToDo"]["median"],
			"p90": plain["Complaint"]["p90"] * figures["ToDo"]["median"] / plain["ToDo"]["median"],
		}
		jobs, per_job = run_deferred_jobs()
		base = figures["ToDo"]["median"]
		print(f"inserts: {args.inserts} of each, interleaved, a commit each (after 10 warm-up rounds)")
		print(
			f"{'document':<22} {'median ms':>10} {'p90 ms':>8} {'x ToDo':>7} {'x HD Ticket':>12} {'SQL':>5}"
		)
		for kind, row in figures.items():
			vs_ticket = (
				f"{row['median'] / figures['HD Ticket']['median']:.2f}" if "HD Ticket" in figures else "-"
			)
			print(
				f"{kind:<22} {row['median']:>10.1f} {row['p90']:>8.1f} {row['median'] / base:>7.1f}"
				f" {vs_ticket:>12} {row['queries']:>5.0f}"
			)
		print(
			"(Complaint (no Workflow): measured in a second pass against ToDo, its median scaled to the"
			" first pass's ToDo)"
		)
		print(f"deferred notification jobs run afterwards: {jobs}, {per_job:.1f} ms each (on a worker)")
		if not args.no_rest:
			results = rest(args.site, args.requests, args.clients, args.workers)
			print(
				f"\nREST: {args.requests - min(50, args.requests)} POSTs each after 50 warm-up, "
				f"{args.clients} clients, gunicorn -w {args.workers}, loopback"
			)
			print(f"{'endpoint':<10} {'req/s':>8} {'status':<22} {'rows':>5} {'lost':>5} {'doubled':>8}")
			for kind, row in results.items():
				print(
					f"{kind:<10} {row['rps']:>8.1f} {json.dumps(row['status']):<22} {row['distinct']:>5}"
					f" {row['lost']:>5} {row['doubled']:>8}"
				)
			print(f"Complaint / ToDo throughput: {results['Complaint']['rps'] / results['ToDo']['rps']:.2f}")
	finally:
		clean_up()
		frappe.destroy()


if __name__ == "__main__":
	main()
