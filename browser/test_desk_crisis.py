"""A crisis alert in the desk: the Crisis Commander raises it on the form (its level comes from the
risk matrix), assesses and publishes it by the Actions menu (level II: only the commander may), which
forms the team from the roster and the checklist from the crisis type's emergency plan; then the
team answers: the quality officer ticks their step, a crisis team member posts an update."""

from desk import (
	COMMANDER,
	MEMBER,
	QUALITY,
	RUN,
	act,
	doc_value,
	field,
	fill,
	fill_link,
	open_form,
	save,
	wait_idle,
	workflow_actions,
)


def test_commander_raises_and_publishes_the_team_answers(login):
	commander = login(COMMANDER)
	page = commander.page("/app/crisis-alert/new")
	field(page, "title").wait_for()
	wait_idle(page)
	fill(page, "title", f"Soup base contamination at three stores ({RUN})")
	fill_link(page, "crisis_type", "Food Safety")
	fill(page, "likelihood", "3")
	fill(page, "impact", "4")
	save(page)
	page.wait_for_url("**/app/crisis-alert/CRA-*")
	name = doc_value(page, "name")
	assert (doc_value(page, "stage"), doc_value(page, "level")) == ("Raised", "II")

	act(page, "Assess", stage="Assessed")
	act(page, "Publish", stage="Published")
	team = page.evaluate("() => cur_frm.doc.team.map((r) => [r.duty, r.user])")
	assert ["Commander", COMMANDER] in team and ["Quality / Production", QUALITY] in team, team
	steps = page.evaluate("() => cur_frm.doc.checklist.map((r) => r.step)")
	assert any(step.startswith("Stop selling the suspect batch") for step in steps), steps
	assert "Start Response" in workflow_actions(page)

	# the quality officer, on the team, ticks their step on the checklist
	quality = login(QUALITY)
	officer = quality.page()
	open_form(officer, "crisis-alert", name)
	grid = field(officer, "checklist")
	row = grid.locator(".grid-row", has_text="Stop selling the suspect batch").first
	row.locator('.grid-static-col[data-fieldname="done"]').click()
	row.locator('input[data-fieldname="done"][type="checkbox"]').check()
	save(officer)
	done = officer.evaluate("() => cur_frm.doc.checklist.find((r) => r.step.startsWith('Stop selling'))")
	assert (done["done"], done["done_by"]) == (1, QUALITY), done
	assert done["done_on"]

	# a crisis team member posts an update to the alert's timeline
	member = login(MEMBER)
	mpage = member.page()
	open_form(mpage, "crisis-alert", name)
	mpage.evaluate(
		"""() => {
			cur_frm.add_child("updates", {update_on: frappe.datetime.now_datetime(),
				update_text: "Batch 2211 withdrawn from all Shanghai stores", update_by: frappe.session.user});
			cur_frm.refresh_field("updates");
		}"""
	)
	save(mpage)
	assert not mpage.evaluate("() => cur_frm.is_dirty()")

	# the commander sees both answers on the alert
	saved = commander.get("Crisis Alert", name)
	texts = [row["update_text"] for row in saved["updates"]]
	assert any(text.startswith("Done: Stop selling the suspect batch") for text in texts), texts
	assert "Batch 2211 withdrawn from all Shanghai stores" in texts
	assert saved["stage"] == "Published"
