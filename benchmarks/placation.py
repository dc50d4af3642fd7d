"""The apology to 10,000 affected customers: how long the request takes, and whether two real workers
deliver it with nobody contacted twice when one is killed half-way.

1. A crisis alert with `--customers` affected customers (rows bulk-inserted) and an apology message.
2. The request: "Send Placation" as the desk calls it (`run_doc_method`: load the alert, queue the
   jobs) and the commit that hands the jobs to Redis; timed, against loading the alert alone.
3. `--workers` Frappe workers (`frappe.utils.bench_helper frappe worker`, real processes on the default
   queue) deliver. When half the customers are marked sent, one worker is killed with SIGKILL. Its
   chunk is left half done; the user presses "Send Placation" again (which queues what is still
   pending) and a fresh worker starts.
4. Counted at the end: customers marked sent, e-mails queued per recipient (0 missing, 0 twice).

Mail is queued in the Email Queue through a temporary outgoing account, never sent (no scheduler
runs). Everything is removed at the end. Run it from the bench's sites folder, on a development site:

    cd frappe-bench/sites && ../env/bin/python ../apps/complaint_response/benchmarks/placation.py \\
        --site dev.localhost [--customers 10000] [--workers 2]"""

import argparse
import os
import signal
import subprocess
import sys
import time

import frappe

ACCOUNT = "Complaint Response Bench Outgoing"
TITLE = "BENCH placation"


def make_alert(customers: int) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "Crisis Alert",
			"title": TITLE,
			"crisis_type": frappe.get_all("Crisis Type", pluck="name", limit=1)[0],
			"likelihood": 3,
			"impact": 4,
			"placation_message": "<p>Dear {{ customer.customer_name }}, we apologise for {{ alert.title }}.</p>",
		}
	).insert(ignore_permissions=True)
	now = frappe.utils.now_datetime()
	fields = ["name", "parent", "parenttype", "parentfield", "idx", "customer_name", "contact_email"]
	fields += ["creation", "modified"]
	rows = [
		(
			f"BENCH-PLAC-{i:06d}",
			doc.name,
			"Crisis Alert",
			"affected_customers",
			i + 1,
			f"Customer {i}",
			f"bench.placation.{i}@example.com",
			now,
			now,
		)
		for i in range(customers)
	]
	frappe.db.bulk_insert("Crisis Affected Customer", fields, rows, chunk_size=5000)
	frappe.db.commit()
	return doc.name


def sent(alert: str) -> int:
	frappe.db.rollback()
	return frappe.db.count("Crisis Affected Customer", {"parent": alert, "placation_sent_on": ["is", "set"]})


def start_worker(site: str) -> subprocess.Popen:
	return subprocess.Popen(
		[sys.executable, "-m", "frappe.utils.bench_helper", "frappe", "worker", "--queue", "default"],
		cwd=os.getcwd(),
		stdout=subprocess.DEVNULL,
		stderr=subprocess.DEVNULL,
		start_new_session=True,
	)


def press_send(alert: str) -> float:
	"""What the desk's button does: run_doc_method loads the alert and calls send_placation; then the
	request commits (which hands the jobs to Redis). Returns seconds."""
	start = time.perf_counter()
	doc = frappe.get_doc("Crisis Alert", alert)
	doc.send_placation()
	frappe.db.commit()
	return time.perf_counter() - start


def load_only(alert: str) -> float:
	start = time.perf_counter()
	frappe.get_doc("Crisis Alert", alert)
	return time.perf_counter() - start


def clean_up() -> None:
	frappe.db.rollback()
	for alert in frappe.get_all("Crisis Alert", filters={"title": TITLE}, pluck="name"):
		mails = frappe.get_all(
			"Email Queue",
			filters={"reference_doctype": "Crisis Alert", "reference_name": alert},
			pluck="name",
		)
		for i in range(0, len(mails), 1000):
			frappe.db.delete("Email Queue Recipient", {"parent": ["in", mails[i : i + 1000]]})
			frappe.db.delete("Email Queue", {"name": ["in", mails[i : i + 1000]]})
		frappe.db.delete("Crisis Affected Customer", {"parent": alert})
		for table in ("Comment", "Version"):
			frappe.db.delete(table, {"reference_name" if table == "Comment" else "docname": alert})
		frappe.delete_doc("Crisis Alert", alert, force=True, ignore_permissions=True)
	frappe.db.delete("Email Account", {"email_account_name": ACCOUNT})
	frappe.db.commit()


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
	parser.add_argument("--site", required=True)
	parser.add_argument("--customers", type=int, default=10000)
	parser.add_argument("--workers", type=int, default=2)
	parser.add_argument("--timeout", type=int, default=900)
	args = parser.parse_args()
	os.environ["FRAPPE_SITE"] = args.site
	frappe.init(site=args.site)
	frappe.connect()
	frappe.set_user("Administrator")
	workers: list[subprocess.Popen] = []
	try:
		clean_up()
		account = frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": ACCOUNT,
				"email_id": "bench.placation@example.com",
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"smtp_server": "localhost",
				"no_smtp_authentication": 1,
			}
		)
		account.flags.ignore_validate = True  # no SMTP server is asked: nothing is sent
		account.insert(ignore_permissions=True)
		frappe.db.commit()
		alert = make_alert(args.customers)
		load = min(load_only(alert) for _ in range(3))
		request = press_send(alert)
		print(f"customers: {args.customers}; chunk: 500 per job; workers: {args.workers}")
		print(
			f"request (load the alert, queue the jobs, commit): {request:.2f} s; loading the alert alone: {load:.2f} s"
		)

		start = time.perf_counter()
		workers = [start_worker(args.site) for _ in range(args.workers)]
		killed_at = None
		while time.perf_counter() - start < args.timeout:
			done = sent(alert)
			if killed_at is None and done >= args.customers // 2:
				os.killpg(workers[0].pid, signal.SIGKILL)
				workers[0].wait()
				killed_at = sent(alert)
				print(f"killed worker 1 (SIGKILL) at {killed_at} sent, {time.perf_counter() - start:.1f} s")
				press_send(alert)  # the user presses "Send Placation" again: what is pending is queued
				workers[0] = start_worker(args.site)
			if done >= args.customers:
				break
			time.sleep(0.5)
		elapsed = time.perf_counter() - start
		done = sent(alert)
		per_recipient = frappe.db.sql(
			"""select count(*) from `tabEmail Queue Recipient` r join `tabEmail Queue` q on q.name = r.parent
			where q.reference_doctype = 'Crisis Alert' and q.reference_name = %s group by r.recipient""",
			alert,
			pluck=True,
		)
		print(
			f"delivered: {done}/{args.customers} marked sent in {elapsed:.1f} s ({done / elapsed:.0f} per second)"
		)
		print(
			f"e-mails queued: {sum(per_recipient)} to {len(per_recipient)} recipients; "
			f"missing {args.customers - len(per_recipient)}, contacted twice {sum(1 for c in per_recipient if c > 1)}"
		)
	finally:
		for worker in workers:
			if worker.poll() is None:
				os.killpg(worker.pid, signal.SIGTERM)
				worker.wait(timeout=30)
		clean_up()
		frappe.destroy()


if __name__ == "__main__":
	main()
