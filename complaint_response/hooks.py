app_name = "complaint_response"
app_title = "Complaint Response"
app_publisher = "Complaint Response Contributors"
app_description = (
	"Customer-complaint emergency response plan: complaint lifecycle, SLAs, crisis alerts and "
	"improvement actions"
)
app_email = "maintainers@complaint-response.org"
app_license = "mit"

# Typed controllers: keep the auto-generated field annotations in each controller up to date,
# and refuse whitelisted methods without type annotations.
export_python_type_annotations = True
require_type_annotated_api_methods = True

# Install steps run once and are idempotent (complaint_response/setup/install.py).
# Roles are created before the DocTypes are synced so their permissions can name them.
before_install = "complaint_response.setup.install.before_install"
after_install = "complaint_response.setup.install.after_install"
after_migrate = "complaint_response.setup.install.after_migrate"
before_uninstall = "complaint_response.setup.install.before_uninstall"

# Another app (ERPNext, Helpdesk) installed or removed after this one: add or drop the links to it.
after_app_install = "complaint_response.integrations.links.after_app_install"
before_app_uninstall = "complaint_response.integrations.links.before_app_uninstall"

doc_events = {
	# Complaint Flag Rules raise complaints from new tickets (only fires where Helpdesk is installed).
	"HD Ticket": {
		"after_insert": "complaint_response.integrations.helpdesk.on_ticket_insert",
	},
	# A complaint raised from a ticket keeps the ticket's view of it current and answers on it.
	"Complaint": {
		# early warning within minutes of a complaint (one queued check at a time)
		"after_insert": "complaint_response.jobs.detection.queue_check",
		"on_update": [
			"complaint_response.integrations.helpdesk.on_complaint_update",
			"complaint_response.integrations.erpnext.on_complaint_update",
		],
	},
	# Complaint Flag Rules raise complaints from new ERPNext issues (only where ERPNext is installed).
	"Issue": {
		"after_insert": "complaint_response.integrations.erpnext.on_issue_insert",
	},
	# Helpdesk teams are assignment pools for complaints (only fires where Helpdesk is installed).
	"HD Team": {
		"on_update": "complaint_response.integrations.helpdesk.on_team_update",
		"on_trash": "complaint_response.integrations.helpdesk.on_team_trash",
	},
	# Emails sent from a complaint go into its contact log and stamp its first response.
	"Communication": {
		"after_insert": [
			"complaint_response.lifecycle.contact.on_communication",
			# A mail that opened a complaint completes it (channels/email.py).
			"complaint_response.channels.email.on_received",
		],
	},
	# A complaint's change log records who changed the complainant's details, not what they held.
	"Version": {
		"before_insert": "complaint_response.lifecycle.personal_data.mask_version",
	},
	# Rules and policies every complaint save reads are cached (cached.py) and cleared when they change.
	**{
		doctype: {
			"on_update": "complaint_response.cached.clear",
			"on_trash": "complaint_response.cached.clear",
			"after_rename": "complaint_response.cached.clear",
		}
		for doctype in ("Complaint Grading Rule", "Complaint SLA Policy", "Regulatory Clock")
	},
	# One accountable owner per complaint, mirrored from Frappe's own assignments.
	"ToDo": {
		"on_update": "complaint_response.lifecycle.assignment.on_todo_change",
	},
}

scheduler_events = {
	# Improvement actions (整改): effects measured when their window ends, overdue actions told.
	"daily": ["complaint_response.jobs.improvement.run_locked"],
	"cron": {
		# SLA warnings and escalations: only complaints whose next check has come are loaded.
		"*/5 * * * *": ["complaint_response.jobs.sla.sweep_locked"],
		# Early warning (预警): crisis alerts from the complaints created since the last run.
		"*/15 * * * *": ["complaint_response.jobs.detection.run_locked"],
	},
	# The weekly management digest (定期报告): the last seven days against the seven before, by email.
	"weekly": ["complaint_response.jobs.digest.send_weekly_digest"],
}

# The desk forms of a Helpdesk ticket and an ERPNext issue: Raise Complaint / open the complaint.
doctype_js = {"HD Ticket": "public/js/raise_complaint.js", "Issue": "public/js/raise_complaint.js"}

# Channels (channels/): the complaint web form's submissions go through the one intake path; other
# web forms reach Frappe's own handler unchanged.
override_whitelisted_methods = {
	"frappe.website.doctype.web_form.web_form.accept": "complaint_response.channels.web_form.accept",
}

# The satisfaction survey link in Notification texts: {{ complaint_survey_url(doc) }}.
jinja = {"methods": ["complaint_response.channels.survey.complaint_survey_url"]}

# Customer portal: /my-complaints/<reference number>.
website_route_rules = [
	{"from_route": "/my-complaints/<name>", "to_route": "my-complaints/complaint"},
]
portal_menu_items = [
	{"title": "My Complaints", "route": "/my-complaints"},
]

# Frappe's Personal Data Download / Deletion Requests of a website user (a complainant with an
# account) find their complaints by email and redact their identity there.
user_data_fields = [
	{
		"doctype": "Complaint",
		"filter_by": "contact_email",
		"redact_fields": ["complainant_name", "contact_phone", "contact_email"],
	},
]
