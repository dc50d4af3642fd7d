"""Helpers shared by the integration tests (they run on a real site)."""

from contextlib import contextmanager

import frappe


def make_user(email: str, roles: list[str]) -> str:
	"""A system user holding exactly `roles` (created once, roles reset on every call)."""
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": email.split("@")[0],
				"send_welcome_email": 0,
				"user_type": "System User",
			}
		).insert(ignore_permissions=True)
	user = frappe.get_doc("User", email)
	user.set("roles", [])
	user.add_roles(*roles)
	return email


def complaint_count() -> int:
	return frappe.db.count("Complaint")


def new_complaint(**values) -> "frappe.model.document.Document":
	doc = {
		"doctype": "Complaint",
		"complainant_name": "Li Wei",
		"contact_phone": "+86-138-0000-0000",
		"channel": "Phone",
		"category": "Service",
		"description": "<p>Waited 40 minutes at the counter and was told to come back tomorrow.</p>",
		"store_branch": "Shanghai Xuhui",
	}
	doc.update(values)
	return frappe.get_doc(doc)


def http(client, method: str, path: str, **kwargs):
	"""One request through Frappe's WSGI application, as a browser or an API client would make it.

	It runs in a thread of its own (its own frappe.local and database connection), so it sees only
	what the test committed, and what it writes is committed by the request itself."""
	from threading import Thread
	from unittest.mock import patch

	site, answer = frappe.local.site, {}
	frappe.db.commit()  # the request reads what the test wrote

	def run():
		with patch("frappe.app.get_site_name", return_value=site):
			answer["response"] = getattr(client, method)(path, **kwargs)

	thread = Thread(target=run)
	thread.start()
	thread.join()
	frappe.db.commit()  # end the test's read snapshot, so that it sees what the request wrote
	return answer["response"]


def error_of(response) -> str:
	"""Where a server error page or answer says what went wrong (for assertion messages)."""
	text = response.get_data(as_text=True)
	at = text.find("Traceback")
	if at < 0:
		return f"{response.status_code}: {text[:300]}"
	end = text.find("</pre>", at)
	return f"{response.status_code}: " + text[at : end if end > 0 else at + 3000][-1200:]


def new_client():
	from frappe.utils import get_test_client

	return get_test_client(use_cookies=True)


def server_message(response) -> str:
	"""The text of the first message Frappe sent with a response (errors come this way)."""
	import json

	body = response.json or {}
	messages = json.loads(body.get("_server_messages") or "[]")
	return json.loads(messages[0]).get("message", "") if messages else body.get("exception", "")


@contextmanager
def outgoing_email_account():
	"""Frappe queues a mail only through an outgoing Email Account, and a test site has none. In tests
	Frappe neither checks its SMTP server nor sends a Notification's mail: it stays in the Email Queue.
	Only for the duration: with an account, Frappe mails an assignment to the assignee at once and
	commits the Email Queue's status in the middle of the test."""
	account = frappe.get_doc(
		{
			"doctype": "Email Account",
			"email_account_name": "Complaint Response Test Outgoing",
			"email_id": "complaints@example.com",
			"enable_outgoing": 1,
			"default_outgoing": 1,
			"smtp_server": "localhost",
		}
	).insert(ignore_permissions=True)
	frappe.local.outgoing_email_account = {}  # Frappe's per-process cache of the account it found
	try:
		yield
	finally:
		frappe.db.delete("Email Account", {"name": account.name})
		frappe.local.outgoing_email_account = {}


def resolve_at_intake(name: str, told: str, line: dict) -> None:
	"""Take a general complaint straight to Customer Informed through the workflow's Resolve at Intake:
	a category, one resolution line, and a contact-log entry that told the customer the outcome."""
	from frappe.model.workflow import apply_workflow
	from frappe.utils import now_datetime

	doc = frappe.get_doc("Complaint", name)
	doc.category = "Service"
	doc.append(
		"contact_log",
		{
			"contact_on": now_datetime(),
			"contact_channel": "Phone",
			"direction": "Outbound",
			"summary": told,
			"outcome_told": 1,
		},
	)
	doc.append("resolution_lines", line)
	doc.save()
	apply_workflow(doc, "Resolve at Intake")


def website_user(email: str) -> str:
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": email.split("@")[0],
				"user_type": "Website User",
				"send_welcome_email": 0,
			}
		).insert(ignore_permissions=True)
	from frappe.utils.password import update_password

	update_password(email, "Cr-Test-Pass-2026!")
	return email


def queued_jobs(name: str, since=None) -> list:
	"""The notification jobs (complaint_response/notify.py) queued for document `name` on this site
	(since `since`, a UTC datetime: names are reused between runs): a request queues them after its
	commit."""
	from frappe.utils.background_jobs import get_queue

	from complaint_response import notify

	return [
		job
		for job in get_queue("short").get_jobs()
		if job.kwargs.get("site") == frappe.local.site
		and job.kwargs.get("method") == notify.JOB
		and job.kwargs.get("kwargs", {}).get("name") == name
		and (since is None or (job.enqueued_at and job.enqueued_at >= since))
	]


def run_jobs(name: str, since=None) -> list[list[str]]:
	"""Run the queued notification jobs of document `name` here, as the worker would; their alerts."""
	from complaint_response import notify

	ran = []
	for job in queued_jobs(name, since):
		kwargs = job.kwargs["kwargs"]
		frappe.call(notify.JOB, **kwargs)
		ran.append(kwargs["alerts"])
		job.delete()
	return ran


def utc_now():
	"""Now in UTC, naive, as RQ stamps a job's enqueued_at."""
	from datetime import datetime, timezone

	return datetime.now(timezone.utc).replace(tzinfo=None)
