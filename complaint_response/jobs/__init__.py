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
