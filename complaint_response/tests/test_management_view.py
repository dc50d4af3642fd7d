"""The management view (number cards, charts) and the weekly digest (定期报告), on a real site.

The digest is made on Monday 18 June 2018: its week is Monday 11 to Sunday 17 June, the week before
Monday 4 to Sunday 10 June. Six complaints get explicit receipt, first response, resolution and
follow-up moments after insert, so every figure below is computed by hand:

	received      response      informed (node)     follow-up (score)   status
A	Tue 12 09:00  +2 h          Wed 13 (Met)        Fri 15 (5)          Closed
B	Wed 13 10:00  +4 h          Thu 14 (Met Late)   Sat 16 (3)          Closed
C	Thu 14 08:00  +1 h          -                   -                   Open, Breached
D	Tue 5 09:00   +6 h          Fri 8 (Met)         Tue 12 (4)          Closed
E	Sat 9 22:00   Mon 11 08:00  Mon 11 12:00 (Met)  -                   Resolved
F	Fri 1 09:00   -             Tue 5 (Breached)    Thu 7 (2)           Open

This week: received A B C = 3; resolved A B E = 3, on time A E = 66.67%; first responses A 2, B 4,
C 1, E 34 hours: median 3; follow-ups A 5, B 3, D 4: mean 4.00; one crisis alert (and a drill).
The week before: received D E = 2; resolved D F = 2, on time D = 50%; first response D 6 h: median
6; follow-up F 2: mean 2.00; no crisis alert."""

import email
import email.header
from datetime import date, datetime, timedelta

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, now_datetime

from complaint_response import dashboard
from complaint_response.jobs import digest
from complaint_response.rules.digest import digest_weeks
from complaint_response.setup.notifications import create_notifications
from complaint_response.tests.utils import make_user, new_complaint, outgoing_email_account

ON = date(2018, 6, 18)
MANAGER = "digest-manager@example.com"
AGENT = "digest-agent@example.com"
BOARD = "board@example.com"


def at(day: int, hour: float = 9) -> datetime:
	return datetime(2018, 6, day) + timedelta(hours=hour)


COMPLAINTS = {
	"A": dict(received=at(12), response=at(12, 11), informed=at(13), node="Met", followed=at(15), score=5, status="Closed"),
	"B": dict(received=at(13, 10), response=at(13, 14), informed=at(14), node="Met Late", followed=at(16), score=3, status="Closed"),
	"C": dict(received=at(14, 8), response=at(14, 9), status="Open", sla="Breached"),
	"D": dict(received=at(5), response=at(5, 15), informed=at(8), node="Met", followed=at(12), score=4, status="Closed"),
	"E": dict(received=at(9, 22), response=at(11, 8), informed=at(11, 12), node="Met", status="Resolved"),
	"F": dict(received=at(1), informed=at(5), node="Breached", followed=at(7), score=2, status="Open"),
}  # fmt: skip


def open_counts() -> tuple[int, int]:
	return (
		frappe.db.count("Complaint", {"status": "Open"}),
		frappe.db.count("Complaint", {"status": "Open", "sla_status": "Breached"}),
	)


def insert_action(name: str, due: date, status: str) -> None:
	"""An Improvement Action written as it is stored (its DocType's checks are not what is tested)."""
	doc = frappe.new_doc("Improvement Action")
	doc.update({"name": name, "title": f"Digest test {name}", "due_date": due, "status": status})
	doc.db_insert()


class TestManagementView(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.open_before, cls.breached_before = open_counts()
		cls.overdue_before = dashboard.count_overdue_actions()
		since = add_days(now_datetime(), -dashboard.SATISFACTION_DAYS)
		cls.recent_before = frappe.db.sql(
			"""SELECT IFNULL(SUM(satisfaction), 0), COUNT(*) FROM `tabComplaint`
			WHERE followed_up_on >= %s AND satisfaction BETWEEN 1 AND 5""",
			since,
		)[0]
		cls.names = {}
		for key, spec in COMPLAINTS.items():
			doc = new_complaint(received_on=spec["received"]).insert()
			cls.names[key] = doc.name
			frappe.db.set_value(
				"Complaint",
				doc.name,
				{
					"received_on": spec["received"],
					"first_response_on": spec.get("response"),
					"customer_informed_on": spec.get("informed"),
					"followed_up_on": spec.get("followed"),
					"satisfaction": spec.get("score", 0),
					"status": spec["status"],
					"sla_status": spec.get("sla", "Met"),
				},
			)
			frappe.db.set_value(
				"Complaint Time Node",
				{"parent": doc.name, "parenttype": "Complaint", "node": "Resolution"},
				"clock_status",
				spec.get("node", "Running"),
			)
		# Two follow-ups within the last 30 days, for the satisfaction card: 5 and 2.
		for days, score in ((2, 5), (10, 2)):
			doc = new_complaint().insert()
			frappe.db.set_value(
				"Complaint",
				doc.name,
				{
					"followed_up_on": add_days(now_datetime(), -days),
					"satisfaction": score,
					"status": "Closed",
				},
			)
		# Crisis alerts: one in the week, one drill in the week (not counted), one the week before that is
		# a drill too.
		for title, created, drill in (
			("Digest alert", at(13), 0),
			("Digest drill", at(14), 1),
			("Digest old drill", at(6), 1),
		):
			alert = frappe.get_doc(
				{
					"doctype": "Crisis Alert",
					"title": title,
					"crisis_type": "Food Safety",
					"likelihood": 3,
					"impact": 4,
					"is_drill": drill,
				}
			).insert()
			frappe.db.set_value("Crisis Alert", alert.name, "creation", created, update_modified=False)
		# Improvement actions past due: open (two status sets' open words), done, cancelled; one not due.
		yesterday = add_days(date.today(), -1)
		insert_action("IA-DIGEST-1", yesterday, "Open")
		insert_action("IA-DIGEST-2", yesterday, "In Progress")
		insert_action("IA-DIGEST-3", yesterday, "Verified")
		insert_action("IA-DIGEST-4", yesterday, "Effective")
		insert_action("IA-DIGEST-5", yesterday, "Cancelled")
		insert_action("IA-DIGEST-6", add_days(date.today(), 5), "Open")
		make_user(MANAGER, ["Complaint Manager"])
		make_user(AGENT, ["Complaint Agent"])
		frappe.db.set_single_value(
			"Complaint Settings",
			{"digest_enabled": 1, "digest_role": "Complaint Manager", "digest_recipients": BOARD},
		)

	def tearDown(self):
		frappe.set_user("Administrator")

	# --- the digest's figures --------------------------------------------------------------------

	def test_week_totals_equal_the_hand_computed_ones(self):
		this, last = digest.week_totals(digest_weeks(ON))
		self.assertEqual((this.received, this.resolved, this.resolved_on_time), (3, 3, 2))
		self.assertEqual(sorted(this.response_hours), [1.0, 2.0, 4.0, 34.0])
		self.assertEqual((this.follow_ups, this.satisfaction_sum, this.new_crisis_alerts), (3, 12, 1))
		self.assertEqual((last.received, last.resolved, last.resolved_on_time), (2, 2, 1))
		self.assertEqual(last.response_hours, [6.0])
		self.assertEqual((last.follow_ups, last.satisfaction_sum, last.new_crisis_alerts), (1, 2, 0))

	def test_digest_figures(self):
		from complaint_response.rules.digest import figures

		found = {
			f.key: (f.this, f.last)
			for f in figures(*digest.week_totals(digest_weeks(ON)), digest.now_figures())
		}
		self.assertEqual(found["received"], (3, 2))
		self.assertEqual(found["resolved"], (3, 2))
		self.assertEqual(found["median_response_hours"], (3.0, 6.0))
		self.assertEqual(found["on_time_rate"], (66.67, 50.0))
		self.assertEqual(found["mean_satisfaction"], (4.0, 2.0))
		self.assertEqual(found["new_crisis_alerts"], (1, 0))
		self.assertEqual(found["open_now"][0], self.open_before + 2)  # C and F
		self.assertEqual(found["breached_now"][0], self.breached_before + 1)  # C
		self.assertEqual(found["overdue_actions_now"][0], self.overdue_before + 2)  # Open, In Progress

	# --- the email -------------------------------------------------------------------------------

	def queued_to(self, address: str) -> list:
		Queue, Recipient = frappe.qb.DocType("Email Queue"), frappe.qb.DocType("Email Queue Recipient")
		return (
			frappe.qb.from_(Queue)
			.join(Recipient)
			.on(Recipient.parent == Queue.name)
			.select(Queue.name, Queue.message)
			.where(Recipient.recipient == address)
			.run(as_dict=True)
		)

	def test_the_digest_is_mailed_to_the_role_and_the_listed_addresses(self):
		with outgoing_email_account():
			sent = digest.send_digest(ON)
		self.assertIn(MANAGER, sent)
		self.assertIn(BOARD, sent)
		self.assertNotIn(AGENT, sent)
		self.assertNotIn("Administrator", sent)
		queued = self.queued_to(MANAGER)
		self.assertEqual(len(queued), 1)
		self.assertEqual(len(self.queued_to(BOARD)), 1)
		self.assertFalse(self.queued_to(AGENT))
		mail = email.message_from_string(queued[0].message)
		message = "".join(
			part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
			for part in mail.walk()
			if part.get_content_type() == "text/html"
		)
		for text in (
			"66.7%",
			"3 h",
			"6 h",
			"4.00",
			"2.00",
			"query-report/Complaint%20Performance",
			"complaint?status=Open",
		):
			self.assertIn(text, message)

	def test_the_admin_edits_the_digest_layout(self):
		"""The layout is an Email Template created once: an edit shows in the next digest, and a migrate
		leaves it alone."""
		template = frappe.get_doc("Email Template", digest.DIGEST_TEMPLATE)
		self.assertEqual((template.use_html, template.subject), (1, digest.SUBJECT))
		original = (template.subject, template.response_html)
		self.addCleanup(
			frappe.db.set_value,
			"Email Template",
			digest.DIGEST_TEMPLATE,
			{"subject": original[0], "response_html": original[1]},
		)
		template.subject = "Board pack {{ from_date }} to {{ to_date }}"
		template.response_html = "<h1>Board pack</h1>" + template.response_html
		template.save()
		create_notifications()
		self.assertIn(
			"<h1>Board pack</h1>", frappe.db.get_value("Email Template", template.name, "response_html")
		)
		before = set(frappe.get_all("Email Queue", pluck="name"))
		with outgoing_email_account():
			digest.send_digest(ON)
		made = [q for q in self.queued_to(MANAGER) if q.name not in before]
		# the other digest tests count the mails queued: these go again
		new = list(set(frappe.get_all("Email Queue", pluck="name")) - before)
		self.addCleanup(frappe.db.delete, "Email Queue Recipient", {"parent": ["in", new]})
		self.addCleanup(frappe.db.delete, "Email Queue", {"name": ["in", new]})
		self.assertEqual(len(made), 1)
		mail = email.message_from_string(made[0].message)
		subject = str(email.header.make_header(email.header.decode_header(mail["Subject"])))
		self.assertTrue(subject.startswith("Board pack "), subject)
		message = "".join(
			part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
			for part in mail.walk()
			if part.get_content_type() == "text/html"
		)
		self.assertIn("<h1>Board pack</h1>", message)
		self.assertIn("66.7%", message)

	def test_nothing_is_sent_when_switched_off(self):
		frappe.db.set_single_value("Complaint Settings", "digest_enabled", 0)
		try:
			before = frappe.db.count("Email Queue")
			with outgoing_email_account():
				self.assertEqual(digest.send_digest(ON), [])
			self.assertEqual(frappe.db.count("Email Queue"), before)
		finally:
			frappe.db.set_single_value("Complaint Settings", "digest_enabled", 1)

	def test_nobody_to_send_to_sends_nothing(self):
		frappe.db.set_single_value(
			"Complaint Settings", {"digest_role": "Nobody Holds This Role", "digest_recipients": ""}
		)
		try:
			self.assertEqual(digest.send_digest(ON), [])
		finally:
			frappe.db.set_single_value(
				"Complaint Settings", {"digest_role": "Complaint Manager", "digest_recipients": BOARD}
			)

	def test_each_recipient_in_their_language(self):
		frappe.db.set_value("User", MANAGER, "language", "zh")
		try:
			by_language = digest.recipients_by_language("Complaint Manager", BOARD)
			self.assertIn(MANAGER, by_language["zh"])
			self.assertFalse([k for k, v in by_language.items() if MANAGER in v and k != "zh"])
			frappe.local.lang = "zh"
			html = digest.render(digest_weeks(ON), [])
			self.assertIn("在系统中打开", html)
		finally:
			frappe.local.lang = "en"
			frappe.db.set_value("User", MANAGER, "language", None)

	# --- number cards and charts -----------------------------------------------------------------

	def test_overdue_improvement_actions_card(self):
		card = dashboard.overdue_improvement_actions()
		self.assertEqual(card["value"], self.overdue_before + 2)
		self.assertEqual(card["route"], ["List", "Improvement Action"])

	def test_satisfaction_card(self):
		total, count = self.recent_before
		expected = round((int(total) + 7) / (int(count) + 2), 2)
		card = dashboard.satisfaction_30_days()
		self.assertEqual((card["value"], card["fieldtype"], card["precision"]), (expected, "Float", 2))

	def test_received_vs_resolved_per_week(self):
		starts, received, resolved = dashboard.weekly_counts(weeks=3, on=date(2018, 6, 13))
		self.assertEqual(starts, [date(2018, 5, 28), date(2018, 6, 4), date(2018, 6, 11)])
		self.assertEqual(received, [1, 2, 3])  # F; D E; A B C
		self.assertEqual(resolved, [0, 2, 3])  # -; D F; A B E

	def test_the_workspace_shows_shipped_cards_and_charts(self):
		workspace = frappe.get_doc("Workspace", "Complaint Response")
		cards = [row.number_card_name for row in workspace.number_cards]
		charts = [row.chart_name for row in workspace.charts]
		# an agent's own cards first, then a manager's, then a commander's
		self.assertEqual(cards[:2], ["My Open Complaints", "My Complaints Due Soon"])
		self.assertLess(cards.index("SLA Breached"), cards.index("Open Crisis Alerts"))
		self.assertEqual(len(cards), 9)
		for name in cards:
			self.assertTrue(frappe.db.get_value("Number Card", name, "is_standard"), name)
		for name in charts:
			self.assertTrue(frappe.db.get_value("Dashboard Chart", name, "is_standard"), name)
		chart = dashboard.received_vs_resolved_chart()
		self.assertEqual(len(chart["labels"]), dashboard.CHART_WEEKS)

	def test_each_role_sees_every_card_and_chart(self):
		"""The workspace as Frappe builds it for an agent, a manager and a crisis commander: the cards of
		every DocType the user reads (Frappe leaves out the others: an agent sees no crisis cards), their
		own among them, every chart, and each card's figure worked out as that user."""
		from frappe.desk.desktop import get_desktop_page
		from frappe.desk.doctype.number_card.number_card import get_result

		commander = make_user("digest-commander@example.com", ["Crisis Commander"])
		workspace = frappe.get_doc("Workspace", "Complaint Response")
		page = frappe.as_json({"name": workspace.name, "title": workspace.title, "public": 1})
		firsts = {
			AGENT: ["My Open Complaints", "My Complaints Due Soon"],
			MANAGER: ["SLA Breached", "Resolutions Awaiting Approval"],
			commander: ["Open Level I-II Crisis Alerts", "Open Crisis Alerts"],
		}
		for user, wanted in firsts.items():
			frappe.set_user(user)
			frappe.clear_cache(user=user)
			shown = [c.number_card_name for c in get_desktop_page(page)["number_cards"]["items"]]
			readable = [
				row.number_card_name
				for row in workspace.number_cards
				if frappe.has_permission(
					frappe.db.get_value("Number Card", row.number_card_name, "document_type"), "read"
				)
			]
			self.assertEqual(shown, readable, user)
			# the two Custom cards name their DocType, or Frappe would show them to System Managers only
			wanted = [*wanted, "Satisfaction Last 30 Days", "Overdue Improvement Actions"]
			self.assertTrue(set(wanted) <= set(shown), (user, shown))
			self.assertLessEqual(max(shown.index(name) for name in firsts[user]), 7, (user, shown))
			self.assertEqual(len(get_desktop_page(page)["charts"]["items"]), len(workspace.charts), user)
			for row in workspace.number_cards:
				if row.number_card_name not in shown:
					continue
				card = frappe.get_doc("Number Card", row.number_card_name)
				if card.type == "Custom":
					value = frappe.get_attr(card.method)()
				else:
					filters = frappe.parse_json(card.filters_json) + [
						[f[0], f[1], f[2], user if f[3] == "frappe.session.user" else now_datetime()]
						for f in frappe.parse_json(card.dynamic_filters_json or "[]")
					]
					value = get_result(card.as_dict(), frappe.as_json(filters))
				self.assertIsNotNone(value, (user, card.name))

	def test_the_crisis_command_workspace(self):
		"""The commander's own workspace: open alerts first, charts of alerts, for the crisis roles only."""
		from frappe.desk.desktop import get_desktop_page

		commander = make_user("digest-commander@example.com", ["Crisis Commander"])
		workspace = frappe.get_doc("Workspace", "Crisis Command")
		self.assertIn("Crisis Commander", [r.role for r in workspace.roles])
		self.assertNotIn("Complaint Agent", [r.role for r in workspace.roles])
		page = frappe.as_json({"name": workspace.name, "title": workspace.title, "public": 1})
		frappe.set_user(commander)
		frappe.clear_cache(user=commander)
		shown = get_desktop_page(page)
		cards = [c.number_card_name for c in shown["number_cards"]["items"]]
		self.assertEqual(cards[:2], ["Open Level I-II Crisis Alerts", "Open Crisis Alerts"])
		self.assertEqual(
			[c.chart_name for c in shown["charts"]["items"]],
			["Crisis Alerts by Stage", "Crisis Alerts by Level", "Complaints Received vs Resolved"],
		)
		from frappe.desk.doctype.dashboard_chart.dashboard_chart import get

		by_level = get(chart_name="Crisis Alerts by Level", refresh=1)
		self.assertEqual(len(by_level["labels"]), len(by_level["datasets"][0]["values"]))
		# a workspace limited to roles: Frappe's sidebar leaves it out for an agent
		frappe.set_user(AGENT)
		self.assertFalse(
			[
				w
				for w in frappe.desk.desktop.get_workspace_sidebar_items()["pages"]
				if w.name == "Crisis Command"
			]
		)

	def test_document_type_cards_count_what_their_filters_say(self):
		from frappe.desk.doctype.number_card.number_card import get_result

		for name in ("Open Complaints", "SLA Breached"):
			card = frappe.get_doc("Number Card", name)
			self.assertEqual(
				get_result(card.as_dict(), card.filters_json),
				{"Open Complaints": self.open_before + 2, "SLA Breached": self.breached_before + 1}[name],
			)
