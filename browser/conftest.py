"""The browser tier: headless Chromium (Debian's, driven by Playwright's Python client) against a
test site served by `bench serve`. tools/run_tests.py --tier browser prepares the site, starts the
server and runs `pytest browser/` with:

    CR_BROWSER_URL        the served site, e.g. http://127.0.0.1:8731 (required; without it every
                          test is skipped)
    CR_BROWSER_ADMIN_PASSWORD   Administrator's password on that site (default "admin")
    CR_CHROMIUM           the browser (default /usr/bin/chromium; no browser is downloaded)

A failed test leaves a screenshot of each page it opened (and the page's console errors) in
browser/artifacts/ (or $CR_BROWSER_ARTIFACTS), named after the test.
"""

from __future__ import annotations

import pytest
from desk import (
	ADMIN_PASSWORD,
	ARTIFACTS,
	BASE_URL,
	CHROMIUM,
	CUSTOMER,
	DESK_USERS,
	LAUNCH_ARGS,
	OTHER_CUSTOMER,
	PASSWORD,
	Session,
)


def pytest_collection_modifyitems(config, items):
	if BASE_URL:
		return
	skip = pytest.mark.skip(reason="CR_BROWSER_URL is not set: run `tools/run_tests.py --tier browser`")
	for item in items:
		item.add_marker(skip)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
	"""Keep each phase's report on the test, for the screenshot-on-failure teardown below."""
	outcome = yield
	report = outcome.get_result()
	setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def browser():
	from playwright.sync_api import sync_playwright

	with sync_playwright() as playwright:
		browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
		yield browser
		browser.close()


@pytest.fixture(scope="session")
def site(browser):
	"""Administrator's session, after making the test users (created once, roles and password reset
	on every run)."""
	opened: list = []
	admin = Session(browser, "Administrator", ADMIN_PASSWORD, opened)
	for email, roles in DESK_USERS.items():
		ensure_user(admin, email, roles, "System User")
	for email in (CUSTOMER, OTHER_CUSTOMER):
		ensure_user(admin, email, [], "Website User")
	yield admin
	admin.context.close()


def ensure_user(admin: Session, email: str, roles: list[str], user_type: str) -> None:
	doc = {
		"doctype": "User",
		"email": email,
		"first_name": email.split("@")[0].replace("cr-br-", "").title(),
		"send_welcome_email": 0,
		"user_type": user_type,
		"enabled": 1,
		"new_password": PASSWORD,
		"roles": [{"role": role} for role in roles],
	}
	if not admin.call("frappe.client.get_count", doctype="User", filters={"name": email}):
		admin.insert(doc)
		return
	existing = admin.get("User", email)
	existing.update({k: v for k, v in doc.items() if k != "roles"})
	existing["roles"] = doc["roles"]
	admin.call("frappe.client.save", doc=existing)


@pytest.fixture
def login(browser, site, request):
	"""login(user) -> Session; the pages opened are screenshotted if the test fails."""
	opened: list = []
	sessions: list[Session] = []

	def make(user: str) -> Session:
		session = Session(browser, user, PASSWORD, opened)
		sessions.append(session)
		return session

	yield make
	failed = any(
		getattr(request.node, f"report_{when}", None) and getattr(request.node, f"report_{when}").failed
		for when in ("setup", "call")
	)
	if failed:
		save_artifacts(request.node.name, opened)
	for session in sessions:
		session.context.close()


def save_artifacts(test: str, opened: list) -> None:
	ARTIFACTS.mkdir(parents=True, exist_ok=True)
	for n, (user, page) in enumerate(opened, 1):
		stem = f"{test}-{n}-{user.split('@')[0]}"
		try:
			page.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=True)
		except Exception as error:  # a closed page cannot be photographed; say so
			(ARTIFACTS / f"{stem}.png.txt").write_text(f"no screenshot: {error}\n")
		notes = [f"url: {page.url}", *page.console_errors]
		(ARTIFACTS / f"{stem}.txt").write_text("\n".join(notes) + "\n")
