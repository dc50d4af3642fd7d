# Copyright (c) 2026, Complaint Response Contributors
# For license information, please see license.txt

from complaint_response.analytics import pareto


def execute(filters=None):
	return pareto(filters)
