"""Notifications are decided on the save and sent after the commit, in a job (complaint_response/notify.py).

These tests commit for real: the job is queued on the site's Redis only when the transaction commits.
They then run the queued job in this process, as a worker would, and remove what they made."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils.background_jobs import get_queue

from complaint_response import notify
from complaint_response.rules import stages as s
from complaint_response.tests.utils import (
	make_user,
	new_complaint,
	outgoing_email_account,
	queued_jobs,
	run_jobs,
)

CUSTOMER = "deferred.customer@example.com"
MANAGER = "deferred.manager@example.com"
OWNER = "deferred.owner@example.com"
BROKEN = "Complaint Response Test: Broken Condition"


class TestNotificationsAfterCommit(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(MANAGER, [s.MANAGER])
		make_user(OWNER, [s.AGENT])
		frappe.db.commit()

	def setUp(self):
		frappe.set_user("Administrator")
		frappe.flags.defer_notifications_in_test = True
		self.names: list[str] = []
		for job in get_queue("short").get_jobs():  # left by earlier runs for reused names
			if job.kwargs.get("site") == frappe.local.site and job.kwargs.get("method") == notify.JOB:
				job.delete()

	def tearDown(self):
		frappe.flags.defer_notifications_in_test = False
		frappe.db.rollback()
		for name in self.names:
			for job in queued_jobs(name):
				job.delete()
			for doctype, field in (
				("Email Queue", "reference_name"),
				("Communication", "reference_name"),
				("Notification Log", "document_name"),
				("ToDo", "reference_name"),
				("Comment", "reference_name"),
				("Version", "docname"),
			):
				frappe.db.delete(doctype, {field: name})
			frappe.db.delete("Complaint", {"name": name})
		frappe.db.delete("Email Account", {"email_account_name": "Complaint Response Test Outgoing"})
		frappe.db.commit()

	def insert(self, **values):
		doc = new_complaint(**values).insert()
		self.names.append(doc.name)
		return doc

	def mails(self, name: str) -> list[str]:
		return frappe.get_all("Email Queue", filters={"reference_name": name}, pluck="name")

	def alerts(self, name: str, user: str) -> list[str]:
		return frappe.get_all(
			"Notification Log", filters={"document_name": name, "for_user": user}, pluck="subject"
		)

	def test_the_acknowledgement_is_sent_after_the_commit(self):
		with outgoing_email_account():
			doc = self.insert(contact_email=CUSTOMER)
			self.assertEqual(self.mails(doc.name), [], "nothing rendered or queued on the request path")
			self.assertEqual(queued_jobs(doc.name), [], "no job before the commit")
			frappe.db.commit()
			jobs = queued_jobs(doc.name)
			self.assertEqual(
				[job.kwargs["kwargs"]["alerts"] for job in jobs], [["Complaint Acknowledgement"]]
			)
			self.assertEqual(jobs[0].origin, frappe.utils.background_jobs.generate_qname("short"))
			run_jobs(doc.name)
			mails = self.mails(doc.name)
			self.assertEqual(len(mails), 1)
			recipients = frappe.get_all(
				"Email Queue Recipient", filters={"parent": mails[0]}, pluck="recipient"
			)
			self.assertEqual(recipients, [CUSTOMER])

	def test_a_rolled_back_save_sends_nothing(self):
		doc = self.insert(contact_email=CUSTOMER)
		frappe.db.rollback()
		frappe.db.commit()
		self.assertEqual(queued_jobs(doc.name), [])
		self.assertFalse(frappe.db.exists("Complaint", doc.name))

	def test_the_condition_is_judged_at_the_save(self):
		"""The approval request is due when the stage becomes Resolution Proposed, even if the
		complaint has moved on by the time the job runs."""
		doc = self.insert()
		frappe.db.commit()
		run_jobs(doc.name)
		doc.db_set({"approval_role": s.MANAGER, "stage": s.RESOLUTION_PROPOSED})
		doc = frappe.get_doc("Complaint", doc.name)  # the next request
		doc.db_set({"complaint_owner": OWNER, "approved_by": MANAGER, "stage": s.RESOLUTION_APPROVED})
		self.assertEqual(self.alerts(doc.name, MANAGER), [])
		frappe.db.commit()
		ran = sorted(alert for alerts in run_jobs(doc.name) for alert in alerts)
		self.assertEqual(
			ran,
			["Complaint Approval Needed", "Complaint Assigned to You", "Complaint Resolution Approved"],
		)
		self.assertTrue(any("Approve the resolution" in t for t in self.alerts(doc.name, MANAGER)))
		self.assertTrue(any("approved" in t for t in self.alerts(doc.name, OWNER)))

	def test_a_deleted_complaint_is_skipped(self):
		doc = self.insert(contact_email=CUSTOMER)
		frappe.db.commit()
		frappe.db.delete("Complaint", {"name": doc.name})
		frappe.db.commit()
		self.assertEqual(run_jobs(doc.name), [["Complaint Acknowledgement"]])
		self.assertEqual(self.mails(doc.name), [])


class TestBrokenNotification(FrappeTestCase):
	"""An admin's condition that fails on a real complaint is logged; the save stands (Frappe would
	throw and undo the user's save)."""

	def setUp(self):
		frappe.set_user("Administrator")
		frappe.get_doc(
			{
				"doctype": "Notification",
				"name": BROKEN,
				"subject": BROKEN,
				"document_type": "Complaint",
				"event": "New",
				"channel": "System Notification",
				# true on the empty document Frappe checks it against, a division by zero on a real one
				"condition": "not doc.subject or 1 / 0",
				"message": "x",
				"recipients": [{"receiver_by_role": s.MANAGER}],
			}
		).insert(ignore_permissions=True)

	def test_the_save_stands_and_the_error_is_logged(self):
		errors = frappe.db.count("Error Log")
		doc = new_complaint(subject="A subject").insert()
		self.assertTrue(frappe.db.exists("Complaint", doc.name))
		self.assertEqual(frappe.db.count("Error Log"), errors + 1)
		self.assertFalse(frappe.db.exists("Notification Log", {"document_name": doc.name, "subject": BROKEN}))
