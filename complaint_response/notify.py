"""Notifications decided on the request path, rendered and sent after the commit in a background job.

Frappe evaluates a document's Notifications inside the save (`Document.run_notifications`): it checks
the condition, then renders the subject and message (Jinja), inlines the e-mail's CSS (premailer) and
queues the mail or writes the bell notification, all before the user gets an answer. For a complaint
that was most of the cost of an insert. The app's DocTypes call `run_deferred` instead:

- which Notifications fire is still decided here and now, exactly as Frappe decides it (the same
  cached list of enabled Notifications, the same events, the condition against the document as it is
  being saved, "Value Change" against the document before the save), so that a condition that holds
  only for a moment (a stage passed through) is not missed;
- what they send is produced after the commit by `send`, in a job on the short queue, from the
  document as committed (Frappe itself reloads the document before sending, but for "New"), with
  Frappe's own `Notification.send`. The admin-edited Notification stays the one source of text,
  recipients, channel and "set property after alert".

Nothing is queued when the save is rolled back (the job is queued after the commit). A failing
template or recipient is logged by Frappe as its own Notification would be; it never undoes a save.
In tests, as Frappe does for its own notification logs, the job runs at once (`frappe.flags.in_test`),
unless a test asks to see the deferral (`frappe.flags.defer_notifications_in_test`)."""

import frappe
from frappe.email.doctype.notification.notification import get_context
from frappe.model.document import Document
from frappe.utils.data import cast

# Document methods -> Notification events, as in Frappe's Document.run_notifications.
EVENTS = {"on_update": "Save", "after_insert": "New", "on_submit": "Submit", "on_cancel": "Cancel"}
JOB = "complaint_response.notify.send"


def enabled_notifications(doctype: str) -> list[frappe._dict]:
	"""The enabled Notifications of a DocType, from the cache Frappe keeps (and clears when a
	Notification is saved)."""

	def load():
		return frappe.get_all(
			"Notification",
			fields=["name", "event", "method"],
			filters={"enabled": 1, "document_type": doctype},
		)

	return frappe.cache.hget("notifications", doctype, load)


def skip_all() -> bool:
	flags = frappe.flags
	return bool((flags.in_import and flags.mute_emails) or flags.in_patch or flags.in_install)


def run_deferred(doc: Document, method: str) -> None:
	"""Document.run_notifications, but sending after the commit."""
	if skip_all():
		return
	if doc.flags.notifications_executed is None:
		doc.flags.notifications_executed = []
	if doc.flags.notifications is None:
		doc.flags.notifications = enabled_notifications(doc.doctype)
	events = dict(EVENTS)
	if not doc.flags.in_insert and not doc.flags.in_delete:
		events["on_change"] = "Value Change"  # as in Frappe: not on insert
	event = events.get(method)
	due = []
	for alert in doc.flags.notifications or ():
		if alert.name in doc.flags.notifications_executed:
			continue
		if not ((event and alert.event == event) or (alert.event == "Method" and alert.method == method)):
			continue
		doc.flags.notifications_executed.append(alert.name)
		if fires(doc, alert.name, alert.event):
			due.append(alert.name)
	if due:
		queue(doc, due)


def fires(doc: Document, name: str, event: str) -> bool:
	"""Frappe's evaluate_alert up to the point where it would send."""
	alert = frappe.get_cached_doc("Notification", name)
	try:
		if alert.condition and not frappe.safe_eval(alert.condition, None, get_context(doc)):
			return False
	except Exception:
		# Frappe throws here, undoing the user's save for an admin's broken condition; the save stands
		alert.log_error(f"Notification {name}: its condition could not be evaluated")
		return False
	if event == "Value Change" and not doc.is_new():
		field = doc.meta.get_field(alert.value_changed)
		if not field:
			alert.log_error(f"Notification {name}: the field {alert.value_changed} does not exist")
			return False
		before = doc.get_doc_before_save()
		old = before.get(alert.value_changed) if before else None
		if cast(field.fieldtype, doc.get(alert.value_changed)) == cast(field.fieldtype, old):
			return False
	return True


def queue(doc: Document, alerts: list[str]) -> None:
	now = bool(frappe.flags.in_test) and not frappe.flags.defer_notifications_in_test
	frappe.enqueue(
		JOB,
		queue="short",
		enqueue_after_commit=True,
		now=now,
		doctype=doc.doctype,
		name=doc.name,
		alerts=alerts,
	)


def send(doctype: str, name: str, alerts: list[str]) -> None:
	"""The job: each Notification sent by Frappe for the committed document."""
	if not frappe.db.exists(doctype, name):
		return  # deleted before the job ran: nobody to tell about it
	doc = frappe.get_doc(doctype, name)
	for alert_name in alerts:
		if not frappe.db.exists("Notification", alert_name):
			continue
		alert = frappe.get_doc("Notification", alert_name)
		try:
			alert.send(doc)  # logs its own failures to send
		except Exception:
			alert.log_error(f"Notification {alert_name} for {doctype} {name} failed")
