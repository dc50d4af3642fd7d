"""Channels (issue: one door for every channel): REST intake, web form, email, portal, survey.

The REST, web form, portal and survey tests go through Frappe's WSGI application as a client would
(tests.utils.http), so status codes, permissions and rate limits are the real ones; those requests
commit, so these tests commit their own fixtures and delete what they made afterwards."""

import base64
import json
import time
import uuid

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_to_date, now_datetime

from complaint_response.channels import survey, web_form
from complaint_response.channels.intake import intake
from complaint_response.lifecycle.flow import workflow_state_for
from complaint_response.rules import intake as rules
from complaint_response.rules import signed_links
from complaint_response.rules import stages as s
from complaint_response.tests.utils import (
	error_of,
	http,
	make_user,
	new_client,
	resolve_at_intake,
	run_jobs,
	server_message,
	utc_now,
	website_user,
)

API = "/api/method/complaint_response.api."
ACCEPT = "/api/method/frappe.website.doctype.web_form.web_form.accept"
FORM_DATA = "/api/method/frappe.website.doctype.web_form.web_form.get_form_data"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def marker() -> str:
	return f"t{uuid.uuid4().hex[:10]}"


def complaints_named(name: str) -> list[str]:
	return frappe.get_all("Complaint", filters={"complainant_name": ("like", f"%{name}%")}, pluck="name")


def clear_rate_limits() -> None:
	frappe.cache.delete_keys("rl:")


class ChannelCase(FrappeTestCase):
	"""Deletes, after each test, the complaints (and their files) whose complainant carries the test's
	marker, and commits: the requests under test commit, so rollback alone would leave them."""

	def setUp(self):
		self.mark = marker()
		clear_rate_limits()
		self.addCleanup(self.remove_made)

	def assertOnPage(self, text, response):
		self.assertTrue(text in response.text, f"{text!r} not in the answer ({response.status_code})")

	def assertNotOnPage(self, text, response):
		self.assertFalse(text in response.text, f"{text!r} in the answer ({response.status_code})")

	def remove_made(self):
		frappe.set_user("Administrator")
		for name in complaints_named(self.mark):
			for file in frappe.get_all(
				"File", {"attached_to_doctype": "Complaint", "attached_to_name": name}, pluck="name"
			):
				frappe.delete_doc("File", file, force=True, ignore_permissions=True)
			frappe.db.delete("Communication", {"reference_doctype": "Complaint", "reference_name": name})
			frappe.db.delete("Email Queue", {"reference_doctype": "Complaint", "reference_name": name})
			frappe.delete_doc("Complaint", name, force=True, ignore_permissions=True)
		frappe.db.commit()


# --- REST intake -------------------------------------------------------------------------------


class TestRestIntake(ChannelCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.user = make_user("cr-api-client@example.com", ["Complaint Agent"])
		user = frappe.get_doc("User", cls.user)
		cls.api_key = user.api_key or frappe.generate_hash(length=15)
		cls.api_secret = frappe.generate_hash(length=15)
		user.api_key, user.api_secret = cls.api_key, cls.api_secret
		user.save(ignore_permissions=True)
		make_user("cr-api-nobody@example.com", ["Crisis Team Member"])
		frappe.db.commit()

	def post(self, payload, token=None):
		headers = {
			"Authorization": token or f"token {self.api_key}:{self.api_secret}",
			"Accept": "application/json",
		}
		return http(new_client(), "post", API + "submit_complaint", json=payload, headers=headers)

	def payload(self, **values):
		return {
			"complainant_name": f"Caller {self.mark}",
			"description": "The delivery came two days late and the box was crushed.",
			"contact_phone": "+86 138 0000 0001",
			"channel": "Phone",
			**values,
		}

	def test_creates_a_graded_complaint(self):
		response = self.post(self.payload(store_branch="Pudong", amount_at_stake="120.5"))
		self.assertEqual(response.status_code, 200, response.text[:500])
		answer = response.json["message"]
		self.assertTrue(answer["created"])
		doc = frappe.get_doc("Complaint", answer["name"])
		self.assertEqual((doc.channel, doc.store_branch, doc.amount_at_stake), ("Phone", "Pudong", 120.5))
		self.assertEqual(doc.stage, s.RECEIVED)
		self.assertTrue(doc.graded_severity, "the intake must leave the complaint graded")
		self.assertEqual(doc.owner, self.user)

	def test_repeated_idempotency_key_returns_the_first_complaint(self):
		first = self.post(self.payload(idempotency_key=f"call-{self.mark}"))
		again = self.post(self.payload(idempotency_key=f"call-{self.mark}", description="A retry."))
		self.assertEqual((first.status_code, again.status_code), (200, 200), again.text[:500])
		self.assertEqual(first.json["message"]["name"], again.json["message"]["name"])
		self.assertEqual((first.json["message"]["created"], again.json["message"]["created"]), (True, False))
		self.assertEqual(len(complaints_named(self.mark)), 1)
		other = self.post(self.payload(idempotency_key=f"call-{self.mark}-2"))
		self.assertNotEqual(other.json["message"]["name"], first.json["message"]["name"])

	def test_wrong_types_get_a_4xx_naming_the_field_and_write_nothing(self):
		cases = {
			"amount_at_stake": ("lots", "Amount at Stake"),
			"affected_customers": ("many", "Affected Customers"),
			"contact_email": ("not an email", "Email"),
			"channel": ("Web Form", "Channel"),
			"received_on": ("2999-01-01 00:00:00", "Received On"),
			"category": ("No Such Category", "Category"),
			"idempotency_key": ("x" * 500, "Idempotency Key"),
			"description": ("", "What Happened"),
			"complainant_name": (["a", "list"], "Complainant"),
		}
		for field, (value, label) in cases.items():
			with self.subTest(field=field):
				clear_rate_limits()
				response = self.post(self.payload(**{field: value}))
				self.assertTrue(
					400 <= response.status_code < 500,
					f"{field}: {response.status_code} {response.text[:500]}",
				)
				message = server_message(response)
				self.assertTrue(label in message or field in message, message)
		self.assertEqual(complaints_named(self.mark), [])

	def test_hostile_input_never_answers_5xx(self):
		hostile = [
			{"complainant_name": {"$gt": ""}},
			{"description": ["<script>alert(1)</script>"]},
			{"amount_at_stake": "1e999"},
			{"amount_at_stake": float("1e308") * 10 if False else "NaN"},
			{"affected_customers": -5},
			{"received_on": "not a date"},
			{"received_on": 12345},
			{"idempotency_key": {"a": 1}},
			{"contact_phone": "' OR 1=1 --"},
			{"stage": "Closed", "severity": "General", "complaint_owner": "Administrator"},
		]
		for extra in hostile:
			with self.subTest(extra=extra):
				clear_rate_limits()
				response = self.post(self.payload(**extra))
				self.assertLess(response.status_code, 500, response.text[:500])
		# the one that was taken ignored the internal fields it tried to set
		for name in complaints_named(self.mark):
			doc = frappe.get_doc("Complaint", name)
			self.assertEqual(doc.stage, s.RECEIVED)
			self.assertFalse(doc.complaint_owner)

	def test_script_tags_are_not_stored(self):
		response = self.post(
			self.payload(
				description="<script>alert(1)</script><b>Cold</b> soup",
				store_branch="<img src=x onerror=alert(1)>Xuhui",
			)
		)
		self.assertEqual(response.status_code, 200, response.text[:500])
		doc = frappe.get_doc("Complaint", response.json["message"]["name"])
		self.assertNotIn("<script", doc.description)
		self.assertIn("Cold", doc.description)
		self.assertEqual(doc.store_branch, "Xuhui")

	def test_callers_need_create_permission(self):
		guest = http(new_client(), "post", API + "submit_complaint", json=self.payload())
		self.assertEqual(guest.status_code, 403)
		nobody = frappe.get_doc("User", "cr-api-nobody@example.com")
		nobody.api_key, nobody.api_secret = nobody.api_key or frappe.generate_hash(length=15), "s3cret-nobody"
		nobody.save(ignore_permissions=True)
		frappe.db.commit()
		response = self.post(self.payload(), token=f"token {nobody.api_key}:s3cret-nobody")
		self.assertEqual(response.status_code, 403)
		self.assertEqual(complaints_named(self.mark), [])


# --- Web form ----------------------------------------------------------------------------------


def data_url(filename: str, content: bytes, mime="image/png") -> str:
	return f"{filename},data:{mime};base64,{base64.b64encode(content).decode()}"


class TestWebForm(ChannelCase):
	def submit(self, client=None, **values):
		data = {
			"doctype": "Complaint",
			"web_form_name": "complaint",
			"complainant_name": f"Web {self.mark}",
			"contact_email": f"{self.mark}@example.com",
			"description": "<p>The waiter was rude and the bill was wrong.</p>",
			"store_branch": "Jing'an",
			"privacy_consent": 1,
			**values,
		}
		return http(
			client or new_client(), "post", ACCEPT, data={"web_form": "complaint", "data": json.dumps(data)}
		)

	def test_the_web_form_is_published_for_guests(self):
		client = new_client()
		page = http(client, "get", "/complaint/new")
		self.assertEqual(page.status_code, 200, error_of(page))
		self.assertOnPage("File a Complaint", page)
		form = http(client, "get", FORM_DATA + "?doctype=Complaint&web_form_name=complaint")
		self.assertEqual(form.status_code, 200, error_of(form))
		fields = {
			f["fieldname"] for f in form.json["message"]["web_form"]["web_form_fields"] if f["fieldname"]
		}
		self.assertIn("privacy_consent", fields)
		allowed = {f.name for f in rules.CUSTOMER_FIELDS} | {"privacy_consent", *web_form.FILE_FIELDS}
		self.assertLessEqual(fields, allowed)

	def test_guest_submission_registers_and_acknowledges(self):
		since = utc_now()
		response = self.submit(
			stage="Closed",
			severity="General",
			complaint_owner="Administrator",
			graded_severity="General",
			status="Closed",
			channel="API",
		)
		self.assertEqual(response.status_code, 200, response.text[:500])
		name = response.json["message"]["name"]
		self.assertTrue(name.startswith("CMP-"))
		doc = frappe.get_doc("Complaint", name)
		self.assertEqual((doc.channel, doc.stage, doc.status), ("Web Form", s.RECEIVED, "Open"))
		self.assertFalse(doc.complaint_owner)
		self.assertEqual((doc.privacy_consent, bool(doc.consented_on)), (1, True))
		self.assertEqual(doc.owner, "Guest")
		self.assertFalse(
			frappe.db.exists("Email Queue", {"reference_doctype": "Complaint", "reference_name": name}),
			"the request only queued a job (complaint_response/notify.py)",
		)
		self.assertEqual(run_jobs(name, since), [["Complaint Acknowledgement"]])
		self.assertTrue(
			frappe.db.exists("Email Queue", {"reference_doctype": "Complaint", "reference_name": name}),
			"the acknowledgement with the reference number is queued for the customer",
		)

	def test_files_are_checked_and_kept_as_private_evidence(self):
		response = self.submit(attachment_1=data_url("receipt.png", PNG))
		self.assertEqual(response.status_code, 200, response.text[:500])
		doc = frappe.get_doc("Complaint", response.json["message"]["name"])
		self.assertEqual([row.evidence_type for row in doc.evidence], ["Photo"])
		file = frappe.get_doc("File", {"file_url": doc.evidence[0].attachment})
		self.assertEqual((file.is_private, file.attached_to_name), (1, doc.name))

	def test_bad_and_hostile_submissions_write_nothing(self):
		files_before = frappe.db.count("File")
		cases = {
			"no consent": {"privacy_consent": 0},
			"no contact": {"contact_email": ""},
			"no name": {"complainant_name": ""},
			"wrong type": {"description": {"html": "x"}},
			"oversized": {"description": "x" * 20_001},
			"bad email": {"contact_email": "x@@example"},
			"fake png": {"attachment_1": data_url("photo.png", b"<script>alert(1)</script>")},
			"executable": {
				"attachment_1": data_url("setup.exe", b"MZ\x90\x00" * 10, "application/octet-stream")
			},
			"too large": {"attachment_1": data_url("big.png", PNG + b"\x00" * (11 * 1_048_576))},
			"good file then bad": {
				"attachment_1": data_url("ok.png", PNG),
				"attachment_2": data_url("bad.png", b"GIF89a"),
			},
			"not base64": {"attachment_1": "x.png,data:image/png;base64,@@@"},
			"someone's file": {"attachment_1": "/private/files/secret.pdf"},
			"edit": {"name": "CMP-2026-00001"},
		}
		for label, values in cases.items():
			with self.subTest(case=label):
				clear_rate_limits()
				response = self.submit(**values)
				self.assertTrue(
					400 <= response.status_code < 500,
					f"{label}: {response.status_code} {response.text[:300]}",
				)
				self.assertTrue(server_message(response), label)
		self.assertEqual(complaints_named(self.mark), [])
		self.assertEqual(frappe.db.count("File"), files_before)

	def test_script_tags_are_sanitised(self):
		response = self.submit(
			complainant_name=f"<script>alert(1)</script>Web {self.mark}",
			description="<p>Bad</p><script>steal()</script><img src=x onerror=alert(1)>",
		)
		self.assertEqual(response.status_code, 200, response.text[:500])
		doc = frappe.get_doc("Complaint", response.json["message"]["name"])
		self.assertNotIn("<script", doc.complainant_name + doc.description)
		self.assertNotIn("onerror", doc.description)

	def test_a_guests_complaint_never_becomes_the_guests(self):
		name = self.submit().json["message"]["name"]
		resolve_at_intake(name, "Apologised.", {"resolution_type": "Apology", "line_description": "Apology"})
		self.assertEqual(frappe.db.get_value("Complaint", name, "stage"), s.CUSTOMER_INFORMED)
		self.assertNotEqual(frappe.db.get_value("Complaint", name, "complaint_owner"), "Guest")
		follow_ups = frappe.get_all(
			"ToDo", {"reference_type": "Complaint", "reference_name": name}, pluck="allocated_to"
		)
		self.assertEqual(follow_ups, ["Administrator"])

	def test_rate_limited(self):
		client = new_client()
		codes = [self.submit(client, contact_email="").status_code for _ in range(11)]
		self.assertEqual(codes[-1], 429, codes)


# --- Email -------------------------------------------------------------------------------------


def raw_mail(sender: str, subject: str, body: str, message_id: str, in_reply_to: str | None = None) -> bytes:
	headers = [
		f"From: Wang Fang <{sender}>",
		"To: complaints@cr-test.example.com",
		f"Subject: {subject}",
		f"Message-ID: <{message_id}>",
		"Date: Mon, 30 Nov 2026 09:15:00 +0800",
		"MIME-Version: 1.0",
		"Content-Type: text/plain; charset=utf-8",
	]
	if in_reply_to:
		headers.append(f"In-Reply-To: <{in_reply_to}>")
	return ("\r\n".join(headers) + "\r\n\r\n" + body).encode()


class TestEmailIntake(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		name = "CR Test Complaints Inbox"
		if not frappe.db.exists("Email Account", name):
			frappe.get_doc(
				{
					"doctype": "Email Account",
					"email_account_name": name,
					"email_id": "complaints@cr-test.example.com",
					"append_to": "Complaint",
					"enable_incoming": 0,
					"enable_outgoing": 0,
					"use_imap": 0,
					"awaiting_password": 1,
				}
			).insert(ignore_permissions=True)
		cls.account = frappe.get_doc("Email Account", name)

	def receive(self, content: bytes):
		from frappe.email.receive import InboundMail

		return InboundMail(content, self.account, uid=1, seen_status=0).process()

	def test_a_new_mail_makes_a_complaint_and_the_same_message_id_never_two(self):
		mark = marker()
		sender = f"{mark}@example.com"
		mail = raw_mail(
			sender,
			"Food poisoning after dinner",
			"Three of us got sick after the fish.\nPlease call me.",
			f"{mark}@mail.example.com",
		)
		comm = self.receive(mail)
		self.assertEqual(comm.reference_doctype, "Complaint")
		doc = frappe.get_doc("Complaint", comm.reference_name)
		self.assertEqual(
			(doc.channel, doc.contact_email, doc.complainant_name), ("Email", sender, "Wang Fang")
		)
		self.assertIn("Three of us got sick", doc.description)
		self.assertEqual(doc.subject, "Food poisoning after dinner")
		self.assertEqual(doc.intake_key, rules.intake_key("Email", f"{mark}@mail.example.com"))
		self.assertEqual([row.direction for row in doc.contact_log], ["Inbound"])
		again = self.receive(mail)
		self.assertEqual(again.name, comm.name)
		self.assertEqual(frappe.db.count("Complaint", {"contact_email": sender}), 1)

	def test_a_reply_threads_into_its_complaint(self):
		mark = marker()
		sender = f"{mark}@example.com"
		first = self.receive(raw_mail(sender, "Broken kettle", "It leaks.", f"{mark}-1@mail.example.com"))
		reply = self.receive(
			raw_mail(
				sender,
				"Re: Broken kettle",
				"Here is the order number: 42.",
				f"{mark}-2@mail.example.com",
				in_reply_to=f"{mark}-1@mail.example.com",
			)
		)
		self.assertEqual((reply.reference_doctype, reply.reference_name), ("Complaint", first.reference_name))
		self.assertEqual(frappe.db.count("Complaint", {"contact_email": sender}), 1)
		doc = frappe.get_doc("Complaint", first.reference_name)
		self.assertEqual(len(doc.contact_log), 2)
		self.assertIn("It leaks.", doc.description, "a reply does not overwrite the complaint's text")


# --- Portal ------------------------------------------------------------------------------------


def logged_in(email: str):
	client = new_client()
	response = http(client, "post", "/api/method/login", data={"usr": email, "pwd": "Cr-Test-Pass-2026!"})
	assert response.status_code == 200, response.text
	return client


class TestPortal(ChannelCase):
	def setUp(self):
		super().setUp()
		self.a, self.b, self.c = (website_user(f"cr-portal-{x}@example.com") for x in "abc")
		self.mine = intake(
			{"complainant_name": f"A {self.mark}", "description": "Mine.", "contact_email": self.a},
			channel="Phone",
		).name
		self.theirs = intake(
			{"complainant_name": f"B {self.mark}", "description": "Theirs: secret.", "contact_email": self.b},
			channel="Phone",
		).name
		frappe.db.commit()

	def test_customer_sees_only_their_own_complaints(self):
		client = logged_in(self.a)
		page = http(client, "get", "/my-complaints")
		self.assertEqual(page.status_code, 200)
		self.assertOnPage(self.mine, page)
		self.assertNotOnPage(self.theirs, page)
		mine = http(client, "get", f"/my-complaints/{self.mine}")
		self.assertEqual(mine.status_code, 200)
		self.assertOnPage("Received", mine)
		theirs = http(client, "get", f"/my-complaints/{self.theirs}")
		self.assertEqual(theirs.status_code, 404)
		self.assertNotOnPage("secret", theirs)

	def test_no_other_door_opens_a_strangers_complaint(self):
		# even a complaint the customer filed while logged in (so its owner) shows no internal field
		frappe.db.set_value("Complaint", self.mine, {"owner": self.a, "findings": "secret findings"})
		client = logged_in(self.a)
		doors = {
			"web form data": (
				"get",
				f"{FORM_DATA}?doctype=Complaint&web_form_name=complaint&docname={self.theirs}",
				{},
			),
			"web form data, own": (
				"get",
				f"{FORM_DATA}?doctype=Complaint&web_form_name=complaint&docname={self.mine}",
				{},
			),
			"document": ("get", f"/api/resource/Complaint/{self.theirs}", {}),
			"list": ("get", "/api/resource/Complaint", {}),
			"report view": (
				"post",
				"/api/method/frappe.desk.reportview.get",
				{"data": {"doctype": "Complaint", "fields": json.dumps(["name"])}},
			),
			"report": (
				"post",
				"/api/method/frappe.desk.query_report.run",
				{"data": {"report_name": "Complaint Category Pareto", "filters": "{}"}},
			),
			"print": (
				"get",
				f"/printview?doctype=Complaint&name={self.theirs}&format=Complaint%20Record%20Form",
				{},
			),
			"pdf": (
				"get",
				f"/api/method/frappe.utils.print_format.download_pdf?doctype=Complaint&name={self.theirs}",
				{},
			),
			"get_value": (
				"post",
				"/api/method/frappe.client.get_value",
				{
					"data": {
						"doctype": "Complaint",
						"filters": json.dumps({"name": self.theirs}),
						"fieldname": "description",
					}
				},
			),
			"add information": (
				"post",
				API + "add_information",
				{"data": {"complaint": self.theirs, "message": "hi"}},
			),
		}
		for label, (method, path, kwargs) in doors.items():
			with self.subTest(door=label):
				response = http(client, method, path, **kwargs)
				self.assertIn(response.status_code, (403, 404), f"{label}: {response.status_code}")
				self.assertNotOnPage("secret", response)

	def test_a_user_without_complaints_sees_none(self):
		page = http(logged_in(self.c), "get", "/my-complaints")
		self.assertEqual(page.status_code, 200)
		self.assertNotOnPage(self.mine, page)
		self.assertNotOnPage(self.theirs, page)
		self.assertOnPage("You have no complaints with us.", page)

	def test_guests_are_sent_to_log_in_and_back(self):
		response = http(new_client(), "get", "/my-complaints")
		self.assertIn(response.status_code, (301, 302, 303))
		self.assertIn("/login", response.headers["Location"])
		response = http(new_client(), "get", f"/my-complaints/{self.mine}")
		self.assertIn(f"redirect-to=%2Fmy-complaints%2F{self.mine}", response.headers["Location"])

	def test_a_strangers_complaint_is_the_websites_plain_404_page(self):
		page = http(logged_in(self.a), "get", f"/my-complaints/{self.theirs}")
		self.assertEqual(page.status_code, 404)
		self.assertNotOnPage("Traceback", page)
		self.assertNotOnPage("Uncaught Server Exception", page)

	def test_the_emails_we_sent_them_are_among_their_messages(self):
		from complaint_response.channels import portal
		from complaint_response.tests.utils import outgoing_email_account

		with outgoing_email_account():
			name = intake(
				{"complainant_name": f"A {self.mark}", "description": "Ack me.", "contact_email": self.a},
				channel="Phone",
			).name
		subjects = [m.subject for m in portal.messages_for(frappe.get_doc("Complaint", name), self.a)]
		self.assertTrue(any(name in (subject or "") for subject in subjects), subjects)
		self.assertEqual(portal.messages_for(frappe.get_doc("Complaint", name), self.b), [])

	def test_customer_adds_information_and_a_file_to_an_open_complaint(self):
		client = logged_in(self.a)
		response = http(
			client,
			"post",
			API + "add_information",
			data={
				"complaint": self.mine,
				"message": "The receipt is attached.",
				"file": (__import__("io").BytesIO(PNG), "receipt.png"),
			},
			content_type="multipart/form-data",
		)
		self.assertEqual(response.status_code, 200, response.text[:500])
		doc = frappe.get_doc("Complaint", self.mine)
		self.assertEqual([(r.contact_channel, r.direction) for r in doc.contact_log], [("Portal", "Inbound")])
		self.assertEqual([r.evidence_type for r in doc.evidence], ["Photo"])
		page = http(client, "get", f"/my-complaints/{self.mine}")
		self.assertOnPage("The receipt is attached.", page)
		empty_file_box = http(
			client,
			"post",
			API + "add_information",
			data={
				"complaint": self.mine,
				"message": "Only words this time.",
				"file": (__import__("io").BytesIO(b""), ""),
			},
			content_type="multipart/form-data",
		)
		self.assertEqual(empty_file_box.status_code, 200, error_of(empty_file_box))
		self.assertEqual(len(frappe.get_doc("Complaint", self.mine).contact_log), 2)
		bad = http(
			client,
			"post",
			API + "add_information",
			data={"complaint": self.mine, "message": "x", "file": (__import__("io").BytesIO(b"MZ"), "a.exe")},
			content_type="multipart/form-data",
		)
		self.assertEqual(bad.status_code, 422)
		self.assertEqual(len(frappe.get_doc("Complaint", self.mine).contact_log), 2)


# --- Satisfaction survey -----------------------------------------------------------------------


class TestSurvey(ChannelCase):
	def informed(self) -> "frappe.model.document.Document":
		name = intake(
			{
				"complainant_name": f"S {self.mark}",
				"description": "Late.",
				"contact_email": f"{self.mark}@example.com",
			},
			channel="Phone",
		).name
		frappe.db.set_value(
			"Complaint",
			name,
			{
				"stage": s.CUSTOMER_INFORMED,
				"workflow_state": workflow_state_for(s.CUSTOMER_INFORMED),
				"status": "Resolved",
				"customer_informed_on": now_datetime(),
			},
		)
		frappe.db.commit()
		return frappe.get_doc("Complaint", name)

	def answer(self, token, score, comment=""):
		return http(
			new_client(),
			"post",
			API + "submit_survey",
			data={"token": token, "satisfaction": score, "comment": comment},
		)

	def token_of(self, doc) -> str:
		return survey.complaint_survey_url(doc).split("?t=", 1)[1].split("&", 1)[0]

	def test_answer_becomes_the_follow_up_and_the_link_is_then_used_up(self):
		doc = self.informed()
		token = self.token_of(doc)
		page = http(new_client(), "get", f"/complaint-survey?t={token}")
		self.assertEqual(page.status_code, 200, error_of(page))
		self.assertOnPage('name="satisfaction"', page)
		response = self.answer(token, 4, "Quick and kind.")
		self.assertEqual(response.status_code, 200, response.text[:500])
		doc.reload()
		self.assertEqual(
			(doc.stage, doc.satisfaction, doc.follow_up_comment), (s.FOLLOW_UP, 4, "Quick and kind.")
		)
		self.assertTrue(doc.followed_up_on)
		reused = self.answer(token, 5)
		self.assertEqual(reused.status_code, 403)
		self.assertIn("already been answered", server_message(reused))
		doc.reload()
		self.assertEqual(doc.satisfaction, 4)

	def test_dissatisfied_answer_reopens(self):
		doc = self.informed()
		response = self.answer(self.token_of(doc), 2, "Nobody called me.")
		self.assertEqual(response.status_code, 200, response.text[:500])
		self.assertTrue(response.json["message"]["reopened"])
		self.assertEqual(frappe.db.get_value("Complaint", doc.name, "stage"), s.REOPENED)

	def test_tampered_expired_and_outdated_links_are_refused(self):
		doc = self.informed()
		token = self.token_of(doc)
		body, mac = token.split(".")
		forged = signed_links.sign(
			{"c": doc.name, "r": survey.round_of(doc)}, b"guessed key", time.time() + 999
		).split(".")[0]
		expired = signed_links.sign({"c": doc.name, "r": survey.round_of(doc)}, survey.key(), time.time() - 1)
		for label, bad in {
			"tampered": forged + "." + mac,
			"mac changed": body + "." + mac[::-1],
			"expired": expired,
			"garbage": "abc",
		}.items():
			with self.subTest(link=label):
				clear_rate_limits()
				response = self.answer(bad, 5)
				self.assertEqual(response.status_code, 403, response.text[:500])
				page = http(new_client(), "get", f"/complaint-survey?t={bad}")
				self.assertNotOnPage('name="satisfaction"', page)
		frappe.db.set_value(
			"Complaint", doc.name, "customer_informed_on", add_to_date(now_datetime(), minutes=5)
		)
		frappe.db.commit()
		outdated = self.answer(token, 5)
		self.assertEqual(outdated.status_code, 403)
		self.assertIn("no longer valid", server_message(outdated))
		self.assertFalse(frappe.db.get_value("Complaint", doc.name, "followed_up_on"))

	def test_bad_scores_are_refused(self):
		doc = self.informed()
		for score in (0, 6, "five", -1):
			with self.subTest(score=score):
				clear_rate_limits()
				response = self.answer(self.token_of(doc), score)
				self.assertEqual(response.status_code, 422, response.text[:500])
		self.assertFalse(frappe.db.get_value("Complaint", doc.name, "followed_up_on"))

	def test_the_outcome_email_carries_the_survey_link(self):
		notification = frappe.get_doc("Notification", "Complaint Satisfaction Survey")
		doc = self.informed()
		message = frappe.render_template(notification.message, {"doc": doc})
		self.assertIn("/complaint-survey?t=", message)
		token = message.split("/complaint-survey?t=", 1)[1].split('"', 1)[0].split("&", 1)[0]
		self.assertEqual(survey.open_link(token).name, doc.name)
