# Copyright (c) 2026, Complaint Response Contributors
# For license information, please see license.txt

import frappe

from complaint_response.case_library import search


# Reads only: a site with a read replica (site_config read_from_replica) runs the report there.
@frappe.read_only()
def execute(filters=None):
	return search(filters)
