"""Hostile input, generated (hypothesis): every whitelisted method of the app and the REST create and
update of each of its DocTypes answer 2xx or a clear 4xx, never a server error, and a refused request
writes nothing.

The requests go through Frappe's WSGI application as an API client with a token: a user holding the
app's desk roles (not System Manager). The examples are derandomised, so a run is repeatable; a failure
names the request."""

import inspect
import json

import frappe
from frappe.tests.utils import FrappeTestCase

from complaint_response.tests.utils import error_of, http, make_user, new_client, new_complaint

try:
	from hypothesis import HealthCheck, given, settings
	from hypothesis import strategies as st
except ImportError:  # the runner installs it; a bench without it skips (and says so)
	given = None

USER = "cr-fuzz@example.com"
ROLES = [
	"Complaint Agent",
	"Complaint Manager",
	"Crisis Commander",
	"Quality Officer",
	"Compensation Approver",
]
MODULE = "Complaint Response"
HOSTILE = [
	"<script>alert(1)</script>",
	"' OR 1=1 -- ",
	"{{ frappe.db.sql('select 1') }}",
	"{% for x in range(10**9) %}{% endfor %}",
	"x" * 5000,
	"CMP-2026-00001",
	"Administrator",
	"../../../etc/passwd",
	"1e309",
	"-1",
	"[]",
	"{}",
	"null",
	"2026-02-30 25:61:00",
	"𝔘𝔫𝔦𝔠𝔬𝔡𝔢 中文 投诉",
	"\u202e\u200b",
]
# Tables whose row counts a refused request must leave unchanged.
WATCHED = (
	"Complaint",
	"Crisis Alert",
	"Improvement Action",
	"Opinion Mention",
	"File",
	"Communication",
	"ToDo",
	"Complaint Time Node",
	"Crisis Alert Complaint",
)
EXAMPLES = 20

if given:
	scalar = st.one_of(
		st.none(),
		st.booleans(),
		st.integers(min_value=-(2**70), max_value=2**70),
		st.floats(allow_nan=False, allow_infinity=False),
		st.text(max_size=200),
		st.sampled_from(HOSTILE),
	)
	junk = st.one_of(
		scalar,
		st.lists(scalar, max_size=3),
		st.dictionaries(st.text(max_size=12), scalar, max_size=3),
	)
	fuzz = settings(
		max_examples=EXAMPLES,
		deadline=None,
		derandomize=True,
		database=None,
		suppress_health_check=list(HealthCheck),
	)


def counts() -> dict[str, int]:
	return {doctype: frappe.db.count(doctype) for doctype in WATCHED}


class FuzzCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		if not given:
			return
		make_user(USER, ROLES)
		user = frappe.get_doc("User", USER)
		cls.token = (
			f"token {user.api_key or frappe.generate_hash(length=15)}:{frappe.generate_hash(length=15)}"
		)
		user.api_key, user.api_secret = cls.token[6:].split(":")
		user.save(ignore_permissions=True)
		frappe.set_user("Administrator")
		cls.started = frappe.utils.now_datetime()
		cls.complaint = new_complaint(complainant_name="Fuzz Target").insert().name
		cls.alert = (
			frappe.get_doc(
				{
					"doctype": "Crisis Alert",
					"title": "Fuzz target alert",
					"crisis_type": "Food Safety",
					"likelihood": 3,
					"impact": 4,
					"is_drill": 1,
				}
			)
			.insert()
			.name
		)
		frappe.db.commit()
		cls.before_all = counts()

	@classmethod
	def tearDownClass(cls):
		if given:
			frappe.db.rollback()
			cls.clean_up()
		super().tearDownClass()

	@classmethod
	def clean_up(cls):
		"""What accepted requests created: complaints (and what hangs off them), alerts, actions; each
		removed on its own, so that one that cannot be deleted the usual way does not keep the rest."""
		for doctype in ("Complaint", "Crisis Alert", "Improvement Action", "Opinion Mention"):
			names = frappe.get_all(doctype, filters={"creation": [">=", cls.started]}, pluck="name")
			for name in [*names, cls.complaint, cls.alert]:
				if not frappe.db.exists(doctype, name):
					continue
				try:
					frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
				except Exception:
					frappe.db.rollback()
					frappe.db.delete(doctype, {"name": name})
				frappe.db.commit()

	def setUp(self):
		if not given:
			self.skipTest("hypothesis is not installed on this bench")

	def request(self, method: str, path: str, body: dict):
		before = counts()
		response = http(
			new_client(),
			method,
			path,
			data=json.dumps(body, default=str),
			headers={
				"Authorization": self.token,
				"Accept": "application/json",
				"Content-Type": "application/json",
			},
		)
		where = f"{method.upper()} {path} {json.dumps(body, default=str)[:400]}"
		self.assertLess(response.status_code, 500, f"{where}\n{error_of(response)}")
		if response.status_code >= 400:
			self.assertEqual(counts(), before, f"a refused request wrote something: {where}")
		return response


def whitelisted_functions() -> dict[str, list[str]]:
	"""The app's whitelisted module functions: dotted path -> parameter names."""
	out = {}
	for fn in frappe.whitelisted:
		module = getattr(fn, "__module__", "") or ""
		if module.startswith("complaint_response.") and "." not in fn.__qualname__:
			params = [
				name
				for name, p in inspect.signature(fn).parameters.items()
				if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
			]
			out[f"{module}.{fn.__qualname__}"] = params
	return out


def app_doctypes() -> list[str]:
	return frappe.get_all(
		"DocType", filters={"module": MODULE, "istable": 0, "issingle": 0}, pluck="name", order_by="name"
	)


class TestWhitelistedMethods(FuzzCase):
	def test_the_app_whitelists_what_this_test_covers(self):
		methods = whitelisted_functions()
		self.assertIn("complaint_response.api.submit_complaint", methods)
		self.assertGreaterEqual(len(methods), 8, methods)

	def test_every_method_with_junk(self):
		# import every module that whitelists something, so that frappe.whitelisted holds them all
		for module in ("api", "channels.web_form", "integrations.helpdesk", "integrations.erpnext"):
			frappe.get_module(f"complaint_response.{module}")
		methods = whitelisted_functions()
		for path, params in sorted(methods.items()):
			with self.subTest(method=path):
				self.fuzz_method(path, params)

	def fuzz_method(self, path: str, params: list[str]):
		@fuzz
		@given(st.fixed_dictionaries({}, optional={name: junk for name in params}))
		def run(body):
			self.request("post", f"/api/method/{path}", body)

		run()

	def test_document_methods_with_junk(self):
		from complaint_response.complaint_response.doctype.complaint.complaint import Complaint
		from complaint_response.complaint_response.doctype.crisis_alert.crisis_alert import CrisisAlert

		for doctype, cls, name in (
			("Complaint", Complaint, self.complaint),
			("Crisis Alert", CrisisAlert, self.alert),
		):
			methods = {
				method: [p for p in inspect.signature(fn).parameters if p != "self"]
				for method, fn in vars(cls).items()
				if fn in frappe.whitelisted
			}
			self.assertIn("set_stage", methods)
			with self.subTest(doctype=doctype):
				self.fuzz_document(doctype, name, methods)

	def fuzz_document(self, doctype: str, name: str, methods: dict[str, list[str]]):
		"""Junk for each method's own parameters: Frappe's run_doc_method passes every argument on, and
		an unknown one is a TypeError (a server error) for any app's document method."""

		@fuzz
		@given(
			st.sampled_from(sorted(methods)).flatmap(
				lambda method: st.tuples(
					st.just(method), st.fixed_dictionaries({}, optional=dict.fromkeys(methods[method], junk))
				)
			)
		)
		def run(call):
			method, args = call
			self.request(
				"post",
				"/api/method/run_doc_method",
				{"dt": doctype, "dn": name, "method": method, "args": json.dumps(args, default=str)},
			)

		run()


class TestRestCreateAndUpdate(FuzzCase):
	def fields_of(self, doctype: str) -> list[str]:
		meta = frappe.get_meta(doctype)
		return [df.fieldname for df in meta.fields if df.fieldtype not in frappe.model.no_value_fields]

	def test_create_each_doctype_with_junk(self):
		for doctype in app_doctypes():
			fields = self.fields_of(doctype)
			if not fields:
				continue
			with self.subTest(doctype=doctype):

				@fuzz
				@given(st.dictionaries(st.sampled_from(fields), junk, max_size=6))
				def run(body):
					self.request("post", f"/api/resource/{doctype}", body)

				run()

	def test_update_a_complaint_with_junk(self):
		fields = self.fields_of("Complaint")

		@fuzz
		@given(st.dictionaries(st.sampled_from(fields), junk, min_size=1, max_size=6))
		def run(body):
			before = frappe.db.get_value("Complaint", self.complaint, "*", as_dict=True)
			response = self.request("put", f"/api/resource/Complaint/{self.complaint}", body)
			if response.status_code >= 400:
				after = frappe.db.get_value("Complaint", self.complaint, "*", as_dict=True)
				self.assertEqual(after, before, f"a refused update changed the complaint: {body}")

		run()


class TestWrongTypesAreNamed(FuzzCase):
	def test_each_wrong_type_gets_a_422_naming_its_field(self):
		from complaint_response.tests.utils import server_message

		for body, label in (
			({"amount_at_stake": "lots"}, "Amount at Stake"),
			({"affected_customers": "many"}, "Affected Customers"),
			({"received_on": "yesterday"}, "Received On"),
			({"contact_phone": ["13800000000"]}, "Phone"),
			({"resolution_lines": [None]}, "Resolution"),
		):
			with self.subTest(body=body):
				before = frappe.db.get_value("Complaint", self.complaint, "modified")
				response = self.request("put", f"/api/resource/Complaint/{self.complaint}", body)
				self.assertEqual(response.status_code, 422, response.get_data(as_text=True)[:300])
				self.assertIn(label, server_message(response))
				self.assertEqual(frappe.db.get_value("Complaint", self.complaint, "modified"), before)
