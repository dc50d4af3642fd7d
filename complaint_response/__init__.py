__version__ = "0.1.0"


def _apply_frappe_fixes() -> None:
	try:
		from complaint_response import frappe_fixes
	except ImportError:  # outside a bench (the plain unit tests): nothing to fix
		return
	frappe_fixes.apply()


_apply_frappe_fixes()
