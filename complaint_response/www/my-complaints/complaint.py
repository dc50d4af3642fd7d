"""/my-complaints/<name>: one of the customer's own complaints (channels.portal); anyone else's is a
404, exactly like a missing one."""

from urllib.parse import quote, urlencode

import frappe
from frappe import _

from complaint_response.channels import portal

no_cache = 1


def get_context(context):
	email = portal.customer_email()
	name = frappe.form_dict.name
	if not email:
		path = "/my-complaints/" + quote(str(name or ""))
		frappe.local.flags.redirect_location = "/login?" + urlencode({"redirect-to": path})
		raise frappe.Redirect
	context.complaint = portal.view(portal.my_complaint(name, email), email)
	context.title = _("Complaint {0}").format(context.complaint["name"])
	context.parents = [{"route": "my-complaints", "title": _("My Complaints")}]
	return context
