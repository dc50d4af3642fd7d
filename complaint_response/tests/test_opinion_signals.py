"""Public-opinion signals (舆情): signed mentions through the real HTTP endpoint, idempotent by id,
refused whole when unsigned or malformed, and a hot negative window that raises one Public Opinion
alert listing its mentions. The requests commit, so this test commits its fixtures and removes them."""

import json
import uuid

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_to_date, now_datetime

from complaint_response.rules.opinion import sign
from complaint_response.tests.utils import http, new_client, server_message

URL = "/api/method/complaint_response.api.submit_mention"
SECRET = "cr-test-shared-secret"


class TestOpinionSignals(FrappeTestCase):
	def setUp(self):
		self.source = f"CR Test Listening {uuid.uuid4().hex[:6]}"
		frappe.get_doc({"doctype": "Opinion Source", "source_name": self.source, "secret": SECRET}).insert(
			ignore_permissions=True
		)
		self.store = f"Store {uuid.uuid4().hex[:6]}"
		frappe.db.commit()
		frappe.cache.delete_keys("rl:")
		self.addCleanup(self.remove_made)

	def remove_made(self):
		alerts = frappe.get_all("Opinion Mention", {"source": self.source}, pluck="crisis_alert")
		frappe.db.delete("Opinion Mention", {"source": self.source})
		for alert in {a for a in alerts if a}:
			frappe.delete_doc("Crisis Alert", alert, force=True, ignore_permissions=True)
		frappe.delete_doc("Opinion Source", self.source, force=True, ignore_permissions=True)
		frappe.db.commit()

	def post(self, payload, secret=SECRET, source=None):
		body = json.dumps(payload).encode()
		headers = {
			"X-Opinion-Source": source or self.source,
			"X-Signature": sign(body, secret),
			"Content-Type": "application/json",
		}
		return http(new_client(), "post", URL, data=body, headers=headers)

	def mention(self, i, **values):
		return {
			"id": f"m-{i}",
			"url": f"https://weibo.example/{i}",
			"published": str(add_to_date(now_datetime(), minutes=-30 - i)),
			"text": "吃了他们的鱼汤全家食物中毒",
			"sentiment": "negative",
			"reach": 2000,
			"store": self.store,
			**values,
		}

	def stored(self) -> int:
		return frappe.db.count("Opinion Mention", {"source": self.source})

	def test_signed_mention_is_stored_once(self):
		first = self.post(self.mention(1))
		again = self.post(self.mention(1))
		self.assertEqual((first.status_code, again.status_code), (200, 200), first.text[:300])
		self.assertEqual((first.json["message"]["created"], again.json["message"]["created"]), (True, False))
		self.assertEqual(first.json["message"]["name"], again.json["message"]["name"])
		self.assertEqual(self.stored(), 1)

	def test_unsigned_or_malformed_mentions_write_nothing(self):
		cases = {
			"wrong secret": (self.mention(1), "guess", None, 401),
			"unknown source": (self.mention(1), SECRET, "No Such Source", 401),
			"bad sentiment": (self.mention(1, sentiment="furious"), SECRET, None, 422),
			"bad reach": (self.mention(1, reach="lots"), SECRET, None, 422),
			"no subject": (self.mention(1, store=""), SECRET, None, 422),
			"not an object": (["x"], SECRET, None, 422),
		}
		for label, (payload, secret, source, status) in cases.items():
			with self.subTest(case=label):
				response = self.post(payload, secret=secret, source=source)
				self.assertEqual(response.status_code, status, response.text[:300])
				self.assertTrue(server_message(response))
		self.assertEqual(self.stored(), 0)

	def test_a_hot_negative_window_raises_one_alert_listing_its_mentions(self):
		for i in range(9):
			self.assertEqual(self.post(self.mention(i)).json["message"]["alerts"], [])
		answer = self.post(self.mention(9)).json[
			"message"
		]  # the 10th: 10 mentions, all negative, reach 20,000
		(alert,) = answer["alerts"]
		doc = frappe.get_doc("Crisis Alert", alert)
		self.assertEqual(
			(doc.source, doc.crisis_type, doc.detection_dimension),
			("Public Opinion", "Public Opinion", "store"),
		)
		self.assertIn("10 mentions", doc.detection_details)
		linked = frappe.get_all(
			"Opinion Mention", {"source": self.source, "crisis_alert": alert}, pluck="name"
		)
		self.assertEqual(len(linked), 10)
		more = self.post(self.mention(10)).json["message"]
		self.assertEqual(more["alerts"], [alert], "the open alert takes the next mention")
		self.assertEqual(
			frappe.db.count("Opinion Mention", {"source": self.source, "crisis_alert": alert}), 11
		)
		self.assertEqual(
			frappe.db.count("Crisis Alert", {"detection_kind": "opinion", "detection_value": self.store}), 1
		)
