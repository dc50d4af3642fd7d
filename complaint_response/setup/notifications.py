"""The complaint Notifications and Email Templates: created once, then the admin's to edit.

Fixtures would be re-imported with force on every migrate and wipe an admin's edits, so each record
is created here only when no record of that name exists, and is never updated afterwards. An admin
who wants one silenced disables it (a deleted one comes back on the next migrate).

The texts are English on purpose: translating them at creation time would freeze the language of
whoever ran the migrate. Admins reword or translate them in the desk.

Internal recipients get a "System Notification" (the bell; Frappe does not email these "Alert"
notifications), the customer an Email. An admin who wants staff mailed too switches a Notification to
Email and ticks "Send System Notification": mind that on a site without an outgoing Email Account
Frappe then drops the bell notification along with the mail.

Subjects and messages are Jinja on `doc`; Email Templates are rendered by Frappe with the document's
fields at the top level (`{{ name }}`, not `{{ doc.name }}`)."""

import frappe

from complaint_response.rules import stages as s

DOCTYPE = "Complaint"
MODULE = "Complaint Response"

# Frappe's Notification events fired by the SLA job through `doc.run_method(...)`.
SLA_WARNING_METHOD = "on_sla_warning"
SLA_BREACH_METHOD = "on_sla_breach"

ACKNOWLEDGEMENT_SUBJECT = "We have received your complaint {{ doc.name }}"
ACKNOWLEDGEMENT_MESSAGE = """<p>Dear {{ doc.complainant_name }},</p>
<p>Thank you for telling us about this. We have registered your complaint under the reference number
<strong>{{ doc.name }}</strong>{% if doc.subject %} ({{ doc.subject }}){% endif %}.</p>
<p>The person handling it will get back to you soon. Please quote the reference number whenever you
contact us about it. If you have an account on our website with this email address, you can follow
it under <a href="{{ frappe.utils.get_url('/my-complaints') }}">My Complaints</a>.</p>
<p>Kind regards,<br>Customer Service</p>"""

SURVEY_MESSAGE = """<p>Dear {{ doc.complainant_name }},</p>
<p>We have resolved your complaint <strong>{{ doc.name }}</strong>{% if doc.subject %} ({{ doc.subject }}){% endif %}
and told you the outcome. Would you tell us how satisfied you are with the way we handled it? It takes
one click, no login needed:</p>
<p><a href="{{ complaint_survey_url(doc) }}">Rate how we handled your complaint</a></p>
<p>The link is for you alone and can be used once.</p>
<p>Kind regards,<br>Customer Service</p>"""

EMAIL_TEMPLATES: list[dict] = [
	{
		# For manual replies from the complaint's email composer (a Notification cannot use a template).
		"name": "Complaint Acknowledgement",
		"subject": "We have received your complaint {{ name }}",
		"response": ACKNOWLEDGEMENT_MESSAGE.replace("doc.", ""),
	},
	# Replies on the Helpdesk ticket a complaint was raised from (integrations/helpdesk.py), sent
	# through Helpdesk's own agent reply; rendered with the complaint's fields and `doc`.
	{
		"name": "Complaint Ticket Acknowledgement",
		"subject": "Your complaint {{ name }}",
		"response": """<p>Dear {{ complainant_name }},</p>
<p>We have registered what you told us as a complaint under the reference number <strong>{{ name }}</strong>.
The person handling it will keep you informed here.</p>
<p>Kind regards,<br>Customer Service</p>""",
	},
	{
		"name": "Complaint Ticket Resolution",
		"subject": "The outcome of your complaint {{ name }}",
		"response": """<p>Dear {{ complainant_name }},</p>
<p>We have resolved your complaint <strong>{{ name }}</strong>.{% if resolution_lines %} What we are doing:</p>
<ul>{% for line in resolution_lines %}<li>{{ line.resolution_type }}{% if line.line_description %}: {{ line.line_description }}{% endif %}</li>{% endfor %}</ul>
<p>{% endif %}Would you tell us how satisfied you are with the way we handled it?
<a href="{{ complaint_survey_url(doc) }}">Rate how we handled your complaint</a></p>
<p>Kind regards,<br>Customer Service</p>""",
	},
	{
		"name": "Complaint Ticket Closed",
		"subject": "Your complaint {{ name }} is closed",
		"response": """<p>Dear {{ complainant_name }},</p>
<p>Your complaint <strong>{{ name }}</strong> is now closed. Thank you for telling us; it helps us do better.
If anything is still not right, reply to this message.</p>
<p>Kind regards,<br>Customer Service</p>""",
	},
]

DETAILS = """<ul>
<li>Complainant: {{ doc.complainant_name }}</li>
<li>Subject: {{ doc.subject }}</li>
<li>Severity / priority: {{ doc.severity }} / {{ doc.priority }}</li>
<li>Stage: {{ doc.stage }}</li>
<li>Received on: {{ doc.get_formatted("received_on") }}</li>
</ul>"""


# The SLA job (jobs/sla.py) stores its alert in `sla_alert` (which node, when due, how much time is
# used) before it fires the event.
SLA_ALERT = "{% if doc.sla_alert %}<p>{{ doc.sla_alert }}</p>{% endif %}"


def to_field(fieldname: str, condition: str | None = None) -> dict:
	return {"receiver_by_document_field": fieldname, "condition": condition}


def to_role(role: str, condition: str | None = None) -> dict:
	return {"receiver_by_role": role, "condition": condition}


# The accountable owner, or whoever registered the complaint while it has no owner.
TO_OWNER: list[dict] = [to_field("complaint_owner"), to_field("owner", "not doc.complaint_owner")]


def stage_is(stage: str) -> str:
	return f'doc.stage == "{stage}"'


ACKNOWLEDGEMENT_CONDITION = 'doc.contact_email and not doc.get("hd_ticket")'
SURVEY_CONDITION = f'{stage_is(s.CUSTOMER_INFORMED)} and doc.contact_email and not doc.get("hd_ticket")'
# Conditions shipped earlier, replaced by a patch when the admin has not changed them.
EARLIER_CONDITIONS = {
	"Complaint Acknowledgement": ("doc.contact_email", ACKNOWLEDGEMENT_CONDITION),
	"Complaint Satisfaction Survey": (
		f"{stage_is(s.CUSTOMER_INFORMED)} and doc.contact_email",
		SURVEY_CONDITION,
	),
}


NOTIFICATIONS: list[dict] = [
	{
		"name": "Complaint Acknowledgement",
		"channel": "Email",
		"event": "New",
		# a complaint raised from a Helpdesk ticket is acknowledged on the ticket instead
		"condition": ACKNOWLEDGEMENT_CONDITION,
		"subject": ACKNOWLEDGEMENT_SUBJECT,
		"message": ACKNOWLEDGEMENT_MESSAGE,
		"recipients": [to_field("contact_email")],
	},
	{
		"name": "Complaint Assigned to You",
		"channel": "System Notification",
		"event": "Value Change",
		"value_changed": "complaint_owner",
		"condition": "doc.complaint_owner",
		"subject": "Complaint {{ doc.name }} is assigned to you: {{ doc.subject }}",
		"message": "<p>You are now the accountable owner of complaint {{ doc.name }}.</p>" + DETAILS,
		"recipients": [to_field("complaint_owner")],
	},
	{
		"name": "Complaint Approval Needed",
		"channel": "System Notification",
		"event": "Value Change",
		"value_changed": "stage",
		"condition": stage_is(s.RESOLUTION_PROPOSED),
		"subject": "Approve the resolution of complaint {{ doc.name }}",
		"message": (
			"<p>A resolution is proposed for complaint {{ doc.name }}: total compensation "
			'{{ doc.get_formatted("total_compensation") }}, approval needed from '
			"{{ doc.approval_role or 'Complaint Manager' }}.</p>"
			"<ul>{% for line in doc.resolution_lines %}<li>{{ line.resolution_type }}: "
			'{{ line.line_description or "" }} {{ line.get_formatted("amount", doc) }}</li>'
			"{% endfor %}</ul>" + DETAILS
		),
		"recipients": [
			to_role(s.MANAGER),
			to_role(s.APPROVER, f'doc.approval_role == "{s.APPROVER}"'),
		],
	},
	{
		"name": "Complaint Resolution Approved",
		"channel": "System Notification",
		"event": "Value Change",
		"value_changed": "stage",
		"condition": stage_is(s.RESOLUTION_APPROVED),
		"subject": "Resolution of complaint {{ doc.name }} approved",
		"message": (
			"<p>{{ frappe.get_fullname(doc.approved_by) }} approved the resolution of complaint "
			"{{ doc.name }}. Carry it out and tell the customer the outcome.</p>" + DETAILS
		),
		"recipients": TO_OWNER,
	},
	{
		# The survey link is signed and expires (channels/survey.py); its answer is the follow-up result.
		"name": "Complaint Satisfaction Survey",
		"channel": "Email",
		"event": "Value Change",
		"value_changed": "stage",
		# a complaint raised from a Helpdesk ticket gets the survey link in the resolution reply on it
		"condition": SURVEY_CONDITION,
		"subject": "How did we handle your complaint {{ doc.name }}?",
		"message": SURVEY_MESSAGE,
		"recipients": [to_field("contact_email")],
	},
	{
		"name": "Complaint Follow-up Due",
		"channel": "System Notification",
		"event": "Days Before",
		"date_changed": "follow_up_due",
		"days_in_advance": 1,
		"condition": (f'doc.stage in ("{s.CUSTOMER_INFORMED}", "{s.FOLLOW_UP}") and not doc.followed_up_on'),
		"subject": "Follow-up call for complaint {{ doc.name }} due {{ doc.get_formatted('follow_up_due') }}",
		"message": (
			"<p>Call {{ doc.complainant_name }} about complaint {{ doc.name }} by "
			"{{ doc.get_formatted('follow_up_due') }}, ask how satisfied they are (1 to 5) and record "
			"it on the complaint.</p>" + DETAILS
		),
		"recipients": TO_OWNER,
	},
	{
		"name": "Complaint Dissatisfied Follow-up",
		"channel": "System Notification",
		"event": "Value Change",
		"value_changed": "stage",
		"condition": (
			f"{stage_is(s.REOPENED)} and doc.satisfaction "
			f"and doc.satisfaction <= {s.DISSATISFIED_AT_OR_BELOW}"
		),
		"subject": "Complaint {{ doc.name }} reopened: customer dissatisfied ({{ doc.satisfaction }}/5)",
		"message": (
			"<p>At the follow-up call the customer rated the handling of complaint {{ doc.name }} "
			"{{ doc.satisfaction }}/5, so it is reopened.</p>"
			"{% if doc.follow_up_comment %}<p>Comment: {{ doc.follow_up_comment }}</p>{% endif %}" + DETAILS
		),
		"recipients": [*TO_OWNER, to_role(s.MANAGER)],
	},
	{
		"name": "Complaint SLA Warning",
		"channel": "System Notification",
		"event": "Method",
		"method": SLA_WARNING_METHOD,
		"subject": "Complaint {{ doc.name }} is close to its time limit",
		"message": (
			"<p>Complaint {{ doc.name }} ({{ doc.stage }}) is close to the time limit for its current "
			"step. Act on it now.</p>" + SLA_ALERT + DETAILS
		),
		"recipients": TO_OWNER,
	},
	{
		"name": "Complaint SLA Breached",
		"channel": "System Notification",
		"event": "Method",
		"method": SLA_BREACH_METHOD,
		"subject": "Complaint {{ doc.name }} is past its time limit",
		"message": (
			"<p>Complaint {{ doc.name }} ({{ doc.stage }}) is past the time limit for its current step."
			"{% if doc.complaint_owner %} Accountable owner: {{ frappe.get_fullname(doc.complaint_owner) }}."
			"{% endif %}</p>" + SLA_ALERT + DETAILS
		),
		"recipients": [to_role(s.MANAGER)],
	},
]


def digest_template() -> dict:
	"""The weekly digest's layout (jobs/digest.py renders it with the week's figures)."""
	from complaint_response.jobs import digest

	return {
		"name": digest.DIGEST_TEMPLATE,
		"subject": digest.SUBJECT,
		"use_html": 1,
		"response_html": digest.TEMPLATE.strip(),
	}


def create_notifications() -> None:
	"""Create the Email Templates and Notifications that do not exist yet; never update one."""
	for template in [*EMAIL_TEMPLATES, digest_template()]:
		if not frappe.db.exists("Email Template", template["name"]):
			frappe.get_doc({"doctype": "Email Template", **template}).insert(ignore_permissions=True)
	for notification in NOTIFICATIONS:
		if frappe.db.exists("Notification", notification["name"]):
			continue
		frappe.get_doc(
			{
				"doctype": "Notification",
				"document_type": DOCTYPE,
				"enabled": 1,
				"is_standard": 0,
				# not standard (no files exported), but uninstalling the app deletes them with its module
				"module": MODULE,
				**notification,
			}
		).insert(ignore_permissions=True)
