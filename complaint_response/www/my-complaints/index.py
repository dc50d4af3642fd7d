"""/my-complaints: the logged-in customer's own complaints (channels.portal)."""

import frappe
from frappe import _

from complaint_response.channels import portal

no_cache = 1


def get_context(context):
	email = portal.customer_email()
	if not email:
		frappe.local.flags.redirect_location = "/login?redirect-to=/my-complaints"
		raise frappe.Redirect
	context.title = _("My Complaints")
	context.complaints = portal.my_complaints(email)
	context.show_sidebar = True
	return context
