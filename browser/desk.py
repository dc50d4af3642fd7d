"""What the browser tests share: the served site's address, the test users, a logged-in Session
(its own browser context, CSRF token and REST calls), and helpers for Frappe's desk forms that wait
on Frappe's own hooks (`cur_frm`, `.frappe-control[data-fieldname=...]`, the Actions menu)."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

BASE_URL = (os.environ.get("CR_BROWSER_URL") or "").rstrip("/")
ADMIN_PASSWORD = os.environ.get("CR_BROWSER_ADMIN_PASSWORD", "admin")
CHROMIUM = os.environ.get("CR_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("CR_BROWSER_ARTIFACTS") or Path(__file__).resolve().parent / "artifacts")
LAUNCH_ARGS = [
	"--headless",
	"--no-sandbox",
	"--disable-gpu",
	"--disable-quic",
	"--no-first-run",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
]
PASSWORD = "Cr-Browser-Test-2026!"
# One run's records are told apart from earlier runs' (the site is kept between runs).
RUN = time.strftime("%H%M%S")

# The desk users the flows need, each holding only the roles its part of the plan gives it.
AGENT = "cr-br-agent@example.com"
MANAGER = "cr-br-manager@example.com"
QUALITY = "cr-br-quality@example.com"
COMMANDER = "cr-br-commander@example.com"
MEMBER = "cr-br-member@example.com"
DESK_USERS = {
	AGENT: ["Complaint Agent"],
	MANAGER: ["Complaint Manager"],
	QUALITY: ["Quality Officer"],
	COMMANDER: ["Crisis Commander"],
	MEMBER: ["Crisis Team Member"],
}
# Two customers (website users, no role) for the portal.
CUSTOMER = "cr-br-customer@example.com"
OTHER_CUSTOMER = "cr-br-other@example.com"


# -- sessions ------------------------------------------------------------------------------------


class FrappeError(AssertionError):
	pass


class Session:
	"""One logged-in user: a browser context of their own (cookies), their CSRF token for POSTs, and
	the pages the test opened in it (screenshotted when the test fails)."""

	def __init__(self, browser, user: str, password: str, opened: list):
		self.user = user
		self.context = browser.new_context(
			base_url=BASE_URL,
			locale="en-US",
			timezone_id="Asia/Shanghai",
			viewport={"width": 1400, "height": 1000},
		)
		self.context.set_default_timeout(30_000)
		self.opened = opened
		self.csrf = ""
		if user != "Guest":
			answer = self.context.request.post("/api/method/login", form={"usr": user, "pwd": password})
			assert answer.ok, f"login as {user}: {answer.status} {answer.text()[:300]}"
			# the session's CSRF token is made when a page is first rendered; POSTs must carry it
			html = self.context.request.get(
				"/app" if user in (*DESK_USERS, "Administrator") else "/me"
			).text()
			match = re.search(r'csrf_token\s*=\s*"([^"]+)"', html) or re.search(
				r'name="csrf_token" content="([^"]+)"', html
			)
			self.csrf = match.group(1) if match else ""

	def page(self, path: str | None = None):
		page = self.context.new_page()
		page.console_errors = []
		# (no socket.io under `bench serve`: its reconnect errors are noise)
		page.on(
			"console",
			lambda m: m.type == "error" and "socket.io" not in m.text and page.console_errors.append(m.text),
		)
		page.on("pageerror", lambda e: page.console_errors.append(f"uncaught: {e}"))
		self.opened.append((self.user, page))
		if path:
			page.goto(path)
		return page

	def call(self, method: str, **kwargs):
		"""A whitelisted method, POSTed as this user; its `message`."""
		answer = self.context.request.post(
			f"/api/method/{method}",
			data=json.dumps(kwargs),
			headers={"Content-Type": "application/json", "X-Frappe-CSRF-Token": self.csrf},
		)
		body = answer.json() if "json" in (answer.headers.get("content-type") or "") else {}
		if not answer.ok:
			raise FrappeError(
				f"{method} as {self.user}: {answer.status} {server_messages(body) or answer.text()[:500]}"
			)
		return body.get("message")

	def insert(self, doc: dict) -> dict:
		return self.call("frappe.client.insert", doc=doc)

	def get(self, doctype: str, name: str) -> dict:
		return self.call("frappe.client.get", doctype=doctype, name=name)


def server_messages(body: dict) -> str:
	try:
		return "; ".join(
			json.loads(m).get("message", "") for m in json.loads(body.get("_server_messages") or "[]")
		)
	except (TypeError, ValueError):
		return body.get("exception", "")


# -- the desk ----------------------------------------------------------------------------------------


def open_form(page, doctype_route: str, name: str) -> None:
	"""Open a desk form and wait until Frappe has drawn it (cur_frm is that document)."""
	page.goto(f"/app/{doctype_route}/{name}")
	page.wait_for_function(
		"(name) => window.cur_frm && cur_frm.doc && cur_frm.doc.name === name && cur_frm.layout", arg=name
	)
	wait_idle(page)


def wait_idle(page) -> None:
	"""Until no request of the desk is running and the screen is not frozen."""
	page.wait_for_load_state("networkidle")
	page.wait_for_function(
		"() => !window.frappe || ((frappe.request.ajax_count || 0) === 0 && !document.querySelector('.freeze'))"
	)


def field(page, fieldname: str):
	"""A field's control on the page; on a desk form its section is opened first if collapsed."""
	page.evaluate(
		"""(f) => {
			if (window.cur_frm && !(window.frappe && frappe.web_form) && cur_frm.fields_dict[f]) {
				cur_frm.scroll_to_field(f);
			}
		}""",
		fieldname,
	)
	return page.locator(f'.frappe-control[data-fieldname="{fieldname}"]:visible').first


def fill(page, fieldname: str, value: str) -> None:
	field(page, fieldname).locator("input, textarea").first.fill(value)


def fill_editor(page, fieldname: str, text: str) -> None:
	"""Type into a Text Editor (Quill) and wait until the form has taken the value (Frappe reads the
	editor after a short debounce)."""
	editor = field(page, fieldname).locator('.ql-editor[contenteditable="true"]')
	editor.click()
	page.keyboard.type(text)
	page.wait_for_function(
		"""([f, text]) => {
			const form = window.frappe && (frappe.web_form || window.cur_frm);
			const value = form && form.doc && form.doc[f];
			return !!value && value.includes(text);
		}""",
		arg=[fieldname, text[-20:]],
	)


def fill_link(page, fieldname: str, value: str) -> None:
	box = field(page, fieldname).locator("input").first
	box.fill(value)
	# pick the exact match from Frappe's drop-down, as a user would
	option = field(page, fieldname).locator('.awesomplete [role="option"]', has_text=value).first
	option.wait_for()
	option.click()


def save(page) -> None:
	"""Ctrl+S on a desk form, as a user saves; fails with the desk's message if the save is refused."""
	with page.expect_response(lambda r: "frappe.desk.form.save.savedocs" in r.url) as answer:
		page.keyboard.press("Control+s")
	wait_idle(page)
	assert answer.value.ok, f"save refused: {shown_errors(page) or answer.value.text()[:500]}"


def doc_value(page, fieldname: str):
	return page.evaluate("(f) => cur_frm.doc[f]", fieldname)


def workflow_actions(page) -> list[str]:
	"""The labels in the form's Actions menu (the workflow moves this user may make now)."""
	wait_idle(page)
	return page.evaluate(
		"() => [...document.querySelectorAll('.page-actions .actions-btn-group .dropdown-menu"
		" .dropdown-item .menu-item-label')].map((e) => e.textContent.trim())"
	)


def act(page, action: str, stage_field: str = "stage", stage: str | None = None) -> None:
	"""Take a workflow action from the form's Actions menu and wait until the form shows its result."""
	wait_idle(page)
	button = page.locator(".page-actions .actions-btn-group > button:visible").first
	button.click()
	item = page.locator(
		".page-actions .actions-btn-group .dropdown-menu .dropdown-item",
		has_text=re.compile(f"^\\s*{re.escape(action)}\\s*$"),
	).first
	item.click()
	wait_idle(page)
	if stage:
		page.wait_for_function("([f, s]) => cur_frm.doc[f] === s", arg=[stage_field, stage], timeout=15_000)


def shown_errors(page) -> str:
	"""The text of any message dialog the desk shows (a refused save or move says why there)."""
	return " | ".join(page.locator(".modal.show .modal-body, .msgprint").all_inner_texts())
