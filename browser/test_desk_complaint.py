"""A complaint in the desk, as its users see it: the agent registers it on the form, it is graded and
numbered; it moves through the Complaint Lifecycle workflow by the form's Actions menu, each move made
by the role the workflow names; the manager approves the resolution and prints the complaint."""

import re

from desk import (
	AGENT,
	ARTIFACTS,
	MANAGER,
	RUN,
	act,
	doc_value,
	field,
	fill,
	fill_editor,
	fill_link,
	open_form,
	save,
	wait_idle,
	workflow_actions,
)

FOOD_POISONING = "My son had food poisoning after the set lunch at your Xuhui store ({run})."


def test_agent_registers_a_complaint_on_the_desk_form(login):
	agent = login(AGENT)
	page = agent.page("/app/complaint/new")
	field(page, "complainant_name").wait_for()
	wait_idle(page)
	fill(page, "complainant_name", "Wang Fang")
	fill(page, "contact_phone", "+86-139-0000-0001")
	fill_link(page, "category", "Quality")
	fill_editor(page, "description", FOOD_POISONING.format(run=RUN))
	fill(page, "store_branch", "Shanghai Xuhui")
	save(page)

	page.wait_for_url(re.compile(r"/app/complaint/CMP-\d{4}-\d+"))
	name = doc_value(page, "name")
	assert re.fullmatch(r"CMP-\d{4}-\d{5}", name), name
	# graded on save by the shipped Food Safety rule, and the form says why
	assert (doc_value(page, "severity"), doc_value(page, "crisis_worthy")) == ("Major", 1)
	assert "Food Safety" in (doc_value(page, "grading_reasons") or "")
	intro = page.locator(".form-message:visible").first.inner_text()
	assert "Graded Major" in intro and "Food Safety" in intro, intro
	assert (doc_value(page, "stage"), doc_value(page, "workflow_state")) == ("Received", "Received")
	# (values are read from the form's document, never from the "Not Saved" badge: see README)
	assert doc_value(page, "status") == "Open"
	assert "Classify" in workflow_actions(page)
	ARTIFACTS.mkdir(parents=True, exist_ok=True)
	page.screenshot(path=str(ARTIFACTS / "complaint-registered.png"), full_page=True)


def test_workflow_by_roles_to_approval_and_print(login):
	agent, manager = login(AGENT), login(MANAGER)
	name = agent.insert(
		{
			"doctype": "Complaint",
			"complainant_name": "Zhao Lei",
			"contact_phone": "+86-139-0000-0002",
			"channel": "Phone",
			"category": "Quality",
			"description": f"<p>{FOOD_POISONING.format(run=RUN)}</p>",
			"store_branch": "Shanghai Xuhui",
		}
	)["name"]

	# the agent classifies; assigning is the manager's, approving is nobody's yet
	page = agent.page()
	open_form(page, "complaint", name)
	assert "Classify" in workflow_actions(page)
	assert "Reject" not in workflow_actions(page), "managers reject"
	act(page, "Classify", stage="Classified")
	assert workflow_actions(page) == [] or "Assign" not in workflow_actions(page)

	# the manager makes the agent the accountable owner (Assign To), then takes Assign
	boss = manager.page()
	open_form(boss, "complaint", name)
	manager.call("frappe.desk.form.assign_to.add", doctype="Complaint", name=name, assign_to=[AGENT])
	open_form(boss, "complaint", name)
	act(boss, "Assign", stage="Assigned")
	assert doc_value(boss, "complaint_owner") == AGENT

	# the agent investigates, writes the findings and the plan, and proposes it
	open_form(page, "complaint", name)
	act(page, "Start Investigation", stage="Investigating")
	assert doc_value(page, "investigator") == AGENT
	fill_editor(page, "findings", "Batch 2211 of the soup base was spoiled; the store kept samples.")
	page.evaluate(
		"""() => {
			const row = cur_frm.add_child("resolution_lines", {resolution_type: "Refund", amount: 300,
				line_description: "Refund of the meal and the hospital fee"});
			cur_frm.refresh_field("resolution_lines");
			return row.name;
		}"""
	)
	save(page)
	assert not page.evaluate("() => cur_frm.is_dirty()"), "saved"
	act(page, "Propose Resolution", stage="Resolution Proposed")
	# a major complaint's resolution within the manager's limit needs a Complaint Manager
	assert doc_value(page, "approval_role") == "Complaint Manager"
	assert "Approve" not in workflow_actions(page), "the agent cannot approve"

	# the manager approves and prints
	open_form(boss, "complaint", name)
	assert "Approve" in workflow_actions(boss)
	act(boss, "Approve", stage="Resolution Approved")
	assert doc_value(boss, "approved_by") == MANAGER
	for print_format in ("Complaint Record Form", "Complaint Handling Report"):
		answer = manager.context.request.get(
			"/api/method/frappe.utils.print_format.download_pdf",
			params={"doctype": "Complaint", "name": name, "format": print_format},
		)
		assert answer.ok, f"{print_format}: {answer.status} {answer.text()[:500]}"
		assert answer.headers["content-type"].startswith("application/pdf"), answer.headers
		body = answer.body()
		assert body[:5] == b"%PDF-" and len(body) > 2000, (print_format, body[:100])

	# and the print preview shows the complaint as the record form lays it out
	preview = manager.page(f"/printview?doctype=Complaint&name={name}&format=Complaint%20Record%20Form")
	preview.wait_for_load_state("networkidle")
	assert name in preview.locator(".print-format").inner_text()
