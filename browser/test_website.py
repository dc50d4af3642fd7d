"""The customer's side: the web form /complaint/new for a guest (the reference number shows at once)
and for a logged-in customer, whose complaint then shows on /my-complaints, where another customer's
does not, and where they add information to it."""

import re

from desk import CUSTOMER, OTHER_CUSTOMER, PASSWORD, RUN, field, fill, fill_editor

REFERENCE = re.compile(r"Your reference number is (CMP-\d{4}-\d{5})\.")


def submit_web_form(page, name: str, story: str, email: str | None = None) -> str:
	"""Fill /complaint/new as a customer would and return the reference number it shows."""
	page.goto("/complaint/new")
	field(page, "complainant_name").wait_for()
	page.wait_for_load_state("networkidle")
	fill(page, "complainant_name", name)
	if email is not None:
		fill(page, "contact_email", email)
	fill(page, "contact_phone", "+86-137-0000-0003")
	fill(page, "store_branch", "Shanghai Jing'an")
	fill_editor(page, "description", story)
	field(page, "privacy_consent").locator('input[data-fieldname="privacy_consent"]').check()
	page.locator(".web-form-actions .submit-btn:visible, .submit-btn:visible").first.click()
	reference = page.locator(".complaint-reference")
	reference.wait_for()
	match = REFERENCE.search(reference.inner_text())
	assert match, reference.inner_text()
	return match.group(1)


def test_guest_files_a_complaint_on_the_web_form(login, site):
	guest = login("Guest")
	page = guest.page()
	story = f"The waiter was rude to my mother and refused to call the manager ({RUN})."
	name = submit_web_form(page, "Chen Jing", story, email="chen.jing@example.com")
	assert page.locator(".success-message:visible").count() == 1

	saved = site.get("Complaint", name)
	assert (saved["channel"], saved["complainant_name"], saved["contact_email"]) == (
		"Web Form",
		"Chen Jing",
		"chen.jing@example.com",
	)
	assert saved["privacy_consent"] == 1 and RUN in saved["description"]
	assert saved["stage"] == "Received"


def test_portal_shows_the_customer_their_own_complaints_only(login, site):
	# another customer's complaint, registered by phone
	theirs = site.insert(
		{
			"doctype": "Complaint",
			"complainant_name": "Other Customer",
			"contact_email": OTHER_CUSTOMER,
			"channel": "Phone",
			"description": f"<p>Parcel arrived broken ({RUN}).</p>",
		}
	)["name"]

	customer = login("Guest")  # logs in on the website's own login page
	page = customer.page("/login")
	page.locator("#login_email").fill(CUSTOMER)
	page.locator("#login_password").fill(PASSWORD)
	page.locator(".form-login .btn-login").click()
	page.wait_for_url(re.compile(r"/(me|app|)$|/me\b"))

	# the web form knows them: their email is filled in, and the reference links to the portal
	mine = submit_web_form(page, "Portal Customer", f"The blender I bought stopped working ({RUN}).")
	assert page.locator(".complaint-reference a[href='/my-complaints']").count() == 1

	page.goto("/my-complaints")
	table = page.locator("table.my-complaints")
	table.wait_for()
	listed = table.locator("tbody td:first-child").all_inner_texts()
	assert mine in listed, listed
	assert theirs not in listed, "another customer's complaint is listed"
	row = table.locator("tbody tr", has_text=mine)
	assert "Received" in row.inner_text()

	# another's complaint answers 404, like a missing one
	answer = page.goto(f"/my-complaints/{theirs}")
	assert answer.status == 404

	# their own: open it and add information
	page.goto(f"/my-complaints/{mine}")
	assert page.locator(".customer-stage").inner_text().strip() == "Received"
	page.locator("#add-information textarea[name='message']").fill(f"Receipt number 8841 ({RUN}).")
	with page.expect_navigation():
		page.locator("#add-information button[type='submit']").click()
	assert f"Receipt number 8841 ({RUN})." in page.locator(".complaint-message.from-you").last.inner_text()

	# and the desk stays closed to them
	answer = customer.context.request.get(f"/api/resource/Complaint/{mine}")
	assert answer.status == 403, answer.status
