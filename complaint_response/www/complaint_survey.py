"""/complaint-survey?t=<signed token>: the one-page satisfaction survey (channels.survey)."""

import frappe
from frappe import _

from complaint_response.channels import survey

no_cache = 1


def get_context(context):
	context.title = _("How did we do?")
	context.token = frappe.form_dict.t or ""
	try:
		doc = survey.open_link(context.token)
	except survey.SurveyLinkError as error:
		context.refusal = str(error)
		return context
	context.complaint_name = doc.name
	context.subject = doc.subject
	return context
