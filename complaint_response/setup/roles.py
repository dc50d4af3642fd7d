"""The roles the complaint and crisis plans name, with the one-line duty each carries."""

# Role name -> duty. The duty is shown in the README and the install log; roles themselves carry
# no description field in Frappe.
ROLES: dict[str, str] = {
	"Complaint Agent": "Receives, registers and works the complaints assigned to them (客服专员).",
	"Complaint Manager": "Grades and assigns complaints, approves resolutions within limits, watches SLAs (客服经理).",
	"Quality Officer": "Investigates product and quality causes and owns improvement actions (质量与合规).",
	"Legal Counsel": "Advises on legal risk and approves external statements (法务).",
	"Crisis Commander": "Leads the crisis team, publishes level I–II alerts and takes the decisions (危机管理领导小组组长).",
	"Crisis Team Member": "Carries out the duties given to them in a crisis response (危机小组成员).",
	"Communications Officer": "Drafts and releases the unified external statement, watches public opinion (对外沟通).",
	"Compensation Approver": "Finance approver for compensation above the managers' limits (财务补偿审批).",
}
