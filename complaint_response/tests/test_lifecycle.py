"""The complaint lifecycle, acceptance to review, walked by users who hold only the roles the
shipped workflow names. Every refusal is checked for its message and for leaving nothing changed."""

import frappe
from frappe.desk.form.assign_to import add as assign
from frappe.model.workflow import WorkflowTransitionError, apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import now_datetime

from complaint_response.rules import stages as s
from complaint_response.setup.workflow import WORKFLOW_NAME
from complaint_response.tests.utils import make_user, new_complaint

AGENT = "cr-lc-agent@example.com"
AGENT2 = "cr-lc-agent2@example.com"
MANAGER = "cr-lc-manager@example.com"
APPROVER = "cr-lc-approver@example.com"
QUALITY = "cr-lc-quality@example.com"


class LifecycleCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		# Users first: FrappeTestCase commits on set-up, so they outlive the per-test rollbacks below.
		make_user(AGENT, [s.AGENT])
		make_user(AGENT2, [s.AGENT])
		make_user(MANAGER, [s.MANAGER])
		make_user(APPROVER, [s.APPROVER])
		make_user(QUALITY, [s.QUALITY])
		super().setUpClass()

	def tearDown(self):
		frappe.set_user("Administrator")

	def act(self, name: str, action: str, user: str):
		frappe.set_user(user)
		try:
			return apply_workflow(frappe.get_doc("Complaint", name).as_dict(), action)
		finally:
			frappe.set_user("Administrator")

	def edit(self, name: str, user: str, **values):
		frappe.set_user(user)
		try:
			doc = frappe.get_doc("Complaint", name)
			for key, value in values.items():
				if isinstance(value, list):
					for row in value:
						doc.append(key, row)
				else:
					doc.set(key, value)
			doc.save()
			return doc
		finally:
			frappe.set_user("Administrator")

	def refused(self, name: str, action: str, user: str, exception, text: str | None = None):
		before = frappe.get_doc("Complaint", name)
		with self.assertRaises(exception) as caught:
			self.act(name, action, user)
		if text:
			self.assertIn(text, str(caught.exception))
		after = frappe.get_doc("Complaint", name)
		self.assertEqual(
			(after.stage, after.workflow_state, after.modified),
			(before.stage, before.workflow_state, before.modified),
		)

	def register(self, user=AGENT, **values):
		frappe.set_user(user)
		try:
			return new_complaint(**values).insert()
		finally:
			frappe.set_user("Administrator")


class TestGeneralComplaint(LifecycleCase):
	def test_resolved_at_intake_then_followed_up_closed_and_reviewed(self):
		doc = self.register()
		self.assertEqual((doc.stage, doc.workflow_state, doc.severity), (s.RECEIVED, s.RECEIVED, "General"))

		# resolving at intake needs what was done and a logged contact telling the outcome
		self.refused(doc.name, "Resolve at Intake", AGENT, frappe.ValidationError, "resolution line")
		self.edit(
			doc.name,
			AGENT,
			resolution_lines=[
				{"resolution_type": "Apology", "line_description": "Apologised; fast lane next visit"}
			],
			contact_log=[{"summary": "Called back, apologised, explained the fix", "outcome_told": 1}],
		)
		doc = self.act(doc.name, "Resolve at Intake", AGENT)
		self.assertEqual((doc.stage, doc.status), (s.CUSTOMER_INFORMED, "Resolved"))
		self.assertIsNotNone(doc.follow_up_due)
		self.assertTrue(
			frappe.db.exists(
				"ToDo", {"reference_type": "Complaint", "reference_name": doc.name, "allocated_to": AGENT}
			),
			"a follow-up ToDo for the owner",
		)

		doc = self.act(doc.name, "Start Follow-up", AGENT)
		self.refused(doc.name, "Close", AGENT, frappe.ValidationError, "follow-up")
		self.edit(
			doc.name, AGENT, followed_up_on=now_datetime(), satisfaction=4, follow_up_comment="Fine now"
		)
		doc = self.act(doc.name, "Close", AGENT)
		self.assertEqual((doc.stage, doc.status), (s.CLOSED, "Closed"))
		self.assertIsNotNone(doc.closed_on)

		self.refused(doc.name, "Review", AGENT, WorkflowTransitionError)  # agents do not review
		self.refused(doc.name, "Review", MANAGER, frappe.ValidationError, "root-cause")
		self.edit(
			doc.name, MANAGER, root_cause_category="Process", lessons_learned="Add a second counter at peak"
		)
		doc = self.act(doc.name, "Review", MANAGER)
		self.assertEqual(doc.stage, s.REVIEWED)
		frappe.set_user(MANAGER)
		action = frappe.get_doc("Complaint", doc.name).make_improvement_action()
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Improvement Action", action, "source_complaint"), doc.name)


class TestMajorComplaint(LifecycleCase):
	def test_major_complaint_through_every_stage(self):
		doc = self.register(description="<p>顾客用餐后食物中毒，已送医院。</p>", category="Quality")
		self.assertEqual((doc.severity, doc.priority), ("Major", "High"))
		self.assertTrue(doc.crisis_worthy)
		self.assertIn("食物中毒", doc.grading_reasons)

		# a major complaint cannot skip investigation and approval, nor move by editing its stage
		self.edit(
			doc.name,
			AGENT,
			resolution_lines=[{"resolution_type": "Refund", "amount": 100}],
			contact_log=[{"summary": "Told them it is refunded", "outcome_told": 1}],
		)
		self.refused(doc.name, "Resolve at Intake", AGENT, WorkflowTransitionError)
		with self.assertRaises(frappe.PermissionError):
			self.edit(doc.name, AGENT, stage=s.CUSTOMER_INFORMED)
		self.assertEqual(frappe.db.get_value("Complaint", doc.name, "stage"), s.RECEIVED)

		doc = self.act(doc.name, "Classify", AGENT)
		self.refused(doc.name, "Assign", AGENT, WorkflowTransitionError)  # managers assign
		self.refused(doc.name, "Assign", MANAGER, frappe.ValidationError, "owner")
		frappe.set_user(MANAGER)
		assign({"doctype": "Complaint", "name": doc.name, "assign_to": [AGENT]})
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Complaint", doc.name, "complaint_owner"), AGENT)
		doc = self.act(doc.name, "Assign", MANAGER)

		doc = self.act(doc.name, "Start Investigation", AGENT)
		self.assertEqual(doc.stage, s.INVESTIGATING)
		self.assertIsNotNone(doc.investigation_started_on)
		self.assertEqual(doc.investigator, AGENT)

		self.refused(doc.name, "Propose Resolution", AGENT, frappe.ValidationError, "findings")
		self.edit(
			doc.name,
			AGENT,
			findings="<p>Batch 2211 of the soup base was spoiled.</p>",
			resolution_lines=[{"resolution_type": "Refund", "amount": 2900}],
		)
		doc = self.act(doc.name, "Propose Resolution", AGENT)
		self.assertEqual((doc.total_compensation, doc.approval_role), (3000, s.APPROVER))

		self.refused(doc.name, "Approve", AGENT, WorkflowTransitionError)
		self.refused(doc.name, "Approve", MANAGER, WorkflowTransitionError)  # above the manager's limit
		doc = self.act(doc.name, "Approve", APPROVER)
		self.assertEqual((doc.stage, doc.approved_by), (s.RESOLUTION_APPROVED, APPROVER))

		doc = self.act(doc.name, "Inform Customer", AGENT)
		doc = self.act(doc.name, "Start Follow-up", AGENT)

		# dissatisfied at follow-up: reopened, owner told
		doc = self.edit(doc.name, AGENT, followed_up_on=now_datetime(), satisfaction=2)
		self.assertEqual((doc.stage, doc.workflow_state), (s.REOPENED, s.REOPENED))
		self.assertTrue(
			frappe.db.exists("Notification Log", {"document_name": doc.name, "for_user": AGENT}),
			"owner notified",
		)

		# a new round: the SLA's Resolution node counts again from the reopening, the Follow-up node
		# waits for the new resolution; nodes that stopped earlier (acknowledge) keep the first round
		def node(doc, name):
			return next(row for row in doc.time_nodes if (row.node, row.source) == (name, "SLA"))

		self.assertIsNotNone(doc.reopened_on)
		self.assertGreater(doc.reopened_on, doc.customer_informed_on)
		self.assertEqual(node(doc, "Resolution").clock_status, "Running")
		self.assertGreater(node(doc, "Resolution").due, doc.reopened_on)
		self.assertEqual(node(doc, "Follow-up").clock_status, "Not Started")
		self.assertEqual(node(doc, "Acknowledge").clock_status, "Met")
		self.assertIn(doc.sla_status, ("On Track", "Warning"))
		self.assertIsNotNone(doc.next_check_at)

		doc = self.act(doc.name, "Start Investigation", AGENT)
		doc = self.act(doc.name, "Propose Resolution", AGENT)
		doc = self.act(doc.name, "Approve", APPROVER)
		doc = self.act(doc.name, "Inform Customer", AGENT)
		self.assertFalse(doc.followed_up_on, "a new round needs a new follow-up")
		self.assertEqual(node(doc, "Resolution").clock_status, "Met")
		self.assertEqual(node(doc, "Resolution").met_on, doc.customer_informed_on)
		self.assertEqual(node(doc, "Follow-up").clock_status, "Running")
		doc = self.act(doc.name, "Start Follow-up", AGENT)
		self.edit(doc.name, AGENT, followed_up_on=now_datetime(), satisfaction=5)
		doc = self.act(doc.name, "Close", AGENT)
		self.edit(
			doc.name, QUALITY, root_cause_category="Supplier", lessons_learned="Check soup base batches daily"
		)
		doc = self.act(doc.name, "Review", QUALITY)
		self.assertEqual((doc.stage, doc.status), (s.REVIEWED, "Closed"))

	def test_approval_within_manager_limit(self):
		doc = self.register(description="Injury: a customer slipped on a wet floor")
		self.assertEqual(doc.severity, "Major")
		frappe.set_user(MANAGER)
		assign({"doctype": "Complaint", "name": doc.name, "assign_to": [AGENT]})
		frappe.set_user("Administrator")
		self.act(doc.name, "Classify", AGENT)
		self.act(doc.name, "Assign", MANAGER)
		self.act(doc.name, "Start Investigation", AGENT)
		self.edit(
			doc.name,
			AGENT,
			findings="Floor sign missing",
			resolution_lines=[{"resolution_type": "Refund", "amount": 50}],
		)
		doc = self.act(doc.name, "Propose Resolution", AGENT)
		self.assertEqual(doc.approval_role, s.MANAGER, "major complaints always need a manager's approval")
		doc = self.act(doc.name, "Approve", MANAGER)
		self.assertEqual(doc.stage, s.RESOLUTION_APPROVED)


class TestGradingOverride(LifecycleCase):
	def test_override_needs_reason_and_is_kept(self):
		doc = self.register()
		self.assertEqual(doc.graded_severity, "General")
		with self.assertRaises(frappe.ValidationError) as caught:
			self.edit(doc.name, MANAGER, severity="Major")
		self.assertIn("override reason", str(caught.exception))
		self.assertEqual(frappe.db.get_value("Complaint", doc.name, "severity"), "General")
		doc = self.edit(doc.name, MANAGER, severity="Major", override_reason="VIP customer, press contact")
		self.assertEqual((doc.severity, doc.graded_severity), ("Major", "General"))
		notes = frappe.get_all(
			"Comment",
			filters={"reference_doctype": "Complaint", "reference_name": doc.name, "comment_type": "Info"},
			pluck="content",
		)
		self.assertTrue(any("VIP customer" in note and "Major" in note for note in notes), notes)

	def test_rules_are_data(self):
		rule = frappe.get_doc(
			{
				"doctype": "Complaint Grading Rule",
				"rule_name": "Test Allergen",
				"rule_type": "Keyword",
				"keywords": "allergen\n过敏",
				"severity": "Major",
				"crisis_worthy": 1,
			}
		).insert()
		doc = self.register(description="Customer had an allergen reaction")
		self.assertEqual(doc.severity, "Major")
		self.assertIn(rule.name, doc.grading_reasons)

	def test_bad_rule_refused(self):
		with self.assertRaises(frappe.ValidationError):
			frappe.get_doc(
				{"doctype": "Complaint Grading Rule", "rule_name": "Empty", "rule_type": "Keyword"}
			).insert()

	def test_repeat_complainant(self):
		frappe.db.set_value("Complaint Grading Rule", "Repeat Complainant", "enabled", 1)
		for _ in range(3):
			self.register(contact_phone="+86-139-1111-2222", received_on="2026-01-01 10:00:00")
		doc = self.register(contact_phone="+86-139-1111-2222", received_on="2026-01-05 10:00:00")
		self.assertEqual(doc.priority, "High")
		self.assertIn("3", doc.grading_reasons)


class TestAssignment(LifecycleCase):
	def test_reassignment_keeps_one_owner(self):
		doc = self.register()
		frappe.set_user(MANAGER)
		assign({"doctype": "Complaint", "name": doc.name, "assign_to": [AGENT]})
		assign({"doctype": "Complaint", "name": doc.name, "assign_to": [AGENT2]})
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Complaint", doc.name, "complaint_owner"), AGENT2)
		open_owners = frappe.get_all(
			"ToDo",
			filters={"reference_type": "Complaint", "reference_name": doc.name, "status": "Open"},
			pluck="allocated_to",
		)
		self.assertEqual(open_owners, [AGENT2])

	def test_assignment_rule_round_robin(self):
		rule = frappe.get_doc("Assignment Rule", "Complaint Intake")
		rule.disabled = 0
		rule.set("users", [{"user": AGENT}, {"user": AGENT2}])
		rule.save()
		self.addCleanup(frappe.cache.delete_value, "assignment_rule_map")
		owners = {self.register().name: None for _ in range(4)}
		for name in owners:
			owners[name] = frappe.db.get_value("Complaint", name, "complaint_owner")
		self.assertEqual(sorted(owners.values()), sorted([AGENT, AGENT, AGENT2, AGENT2]))


class TestWorkflowIsTheAdminsToEdit(LifecycleCase):
	def setUp(self):
		self.addCleanup(self.restore)

	def restore(self):
		frappe.db.rollback()
		frappe.clear_cache(doctype="Complaint")
		frappe.clear_document_cache("Workflow", WORKFLOW_NAME)

	def test_admin_edit_survives_migrate(self):
		from complaint_response.setup.install import after_migrate

		workflow = frappe.get_doc("Workflow", WORKFLOW_NAME)
		workflow.transitions = [t for t in workflow.transitions if t.action != "Reject"]
		workflow.save()
		after_migrate()
		after_migrate()
		actions = {t.action for t in frappe.get_doc("Workflow", WORKFLOW_NAME).transitions}
		self.assertNotIn("Reject", actions)
		self.assertEqual(frappe.db.count("Workflow", {"document_type": "Complaint"}), 1)

	def test_renamed_and_added_states_keep_the_stage(self):
		frappe.get_doc({"doctype": "Workflow State", "workflow_state_name": "Under Investigation"}).insert()
		frappe.get_doc({"doctype": "Workflow State", "workflow_state_name": "Awaiting Lab Result"}).insert()
		workflow = frappe.get_doc("Workflow", WORKFLOW_NAME)
		for row in [*workflow.states, *workflow.transitions]:
			for field in ("state", "next_state"):
				if row.get(field) == s.INVESTIGATING:
					row.set(field, "Under Investigation")
		workflow.append("states", {"state": "Awaiting Lab Result", "doc_status": "0", "allow_edit": s.AGENT})
		workflow.append(
			"transitions",
			{
				"state": "Under Investigation",
				"action": "Propose Resolution",
				"next_state": "Awaiting Lab Result",
				"allowed": s.QUALITY,
				"allow_self_approval": 1,
			},
		)
		workflow.append(
			"transitions",
			{
				"state": "Awaiting Lab Result",
				"action": "Start Investigation",
				"next_state": "Under Investigation",
				"allowed": s.QUALITY,
				"allow_self_approval": 1,
			},
		)
		workflow.save()
		frappe.clear_document_cache("Workflow", WORKFLOW_NAME)

		doc = self.register()
		frappe.set_user(MANAGER)
		assign({"doctype": "Complaint", "name": doc.name, "assign_to": [AGENT]})
		frappe.set_user("Administrator")
		self.act(doc.name, "Classify", AGENT)
		self.act(doc.name, "Assign", MANAGER)
		doc = self.act(doc.name, "Start Investigation", QUALITY)
		self.assertEqual((doc.workflow_state, doc.stage), ("Under Investigation", s.INVESTIGATING))
		self.assertIsNotNone(doc.investigation_started_on)
		doc = self.act(doc.name, "Propose Resolution", QUALITY)
		self.assertEqual((doc.workflow_state, doc.stage), ("Awaiting Lab Result", s.INVESTIGATING))

	def test_without_workflow_stage_buttons_enforce_roles_and_rules(self):
		frappe.db.set_value("Workflow", WORKFLOW_NAME, "is_active", 0)
		frappe.clear_cache(doctype="Complaint")
		doc = self.register()
		frappe.set_user(AGENT)
		doc = frappe.get_doc("Complaint", doc.name)
		self.assertEqual(doc.next_stages(), [s.CLASSIFIED, s.CUSTOMER_INFORMED], "agents do not reject")
		doc.set_stage(s.CLASSIFIED)
		self.assertEqual(frappe.db.get_value("Complaint", doc.name, "stage"), s.CLASSIFIED)
		with self.assertRaises(frappe.PermissionError):
			doc.set_stage(s.ASSIGNED)  # managers assign
		frappe.set_user(MANAGER)
		doc = frappe.get_doc("Complaint", doc.name)
		with self.assertRaises(frappe.ValidationError):
			doc.set_stage(s.ASSIGNED)  # no owner yet
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Complaint", doc.name, "stage"), s.CLASSIFIED)
