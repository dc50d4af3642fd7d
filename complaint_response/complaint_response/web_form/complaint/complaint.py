def get_context(context):
	"""Frappe's web form context; the submission is taken by channels.web_form.accept."""
