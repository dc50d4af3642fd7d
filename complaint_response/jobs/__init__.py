"""Scheduled jobs. Each item a job handles is committed on its own: one failure is logged and
rolled back without undoing the others (in tests, with commit=False, it is raised instead)."""

from collections.abc import Callable, Iterable
from typing import TypeVar

import frappe

T = TypeVar("T")
R = TypeVar("R")


def each_committed(
	items: Iterable[T], work: Callable[[T], R], commit: bool, error_title: Callable[[T], str]
) -> tuple[list[R], bool]:
	"""Run `work` on each item, committing after each; returns the results and whether any failed."""
	results, failed = [], False
	for item in items:
		try:
			results.append(work(item))
			if commit:
				frappe.db.commit()
		except Exception:
			if not commit:
				raise
			frappe.db.rollback()
			frappe.log_error(title=error_title(item))
			failed = True
	return results, failed


def alert_users(doc, users: list[str], subject: str) -> None:
	"""A desk notification (the bell, Notification Log) about `doc` to `users`, queued by Frappe."""
	from frappe.desk.doctype.notification_log.notification_log import enqueue_create_notification

	if users:
		enqueue_create_notification(
			users,
			{
				"type": "Alert",
				"document_type": doc.doctype,
				"document_name": doc.name,
				"subject": subject,
				"from_user": "Administrator",
			},
		)
