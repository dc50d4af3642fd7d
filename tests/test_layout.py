"""Rules the layout promises: rules/ stays free of Frappe, and the README keeps naming every role."""

import ast
from pathlib import Path

from complaint_response.setup.roles import ROLES

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "complaint_response" / "rules"


def imported_modules(path: Path) -> set[str]:
	names = set()
	for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
		if isinstance(node, ast.Import):
			names.update(alias.name.split(".")[0] for alias in node.names)
		elif isinstance(node, ast.ImportFrom) and node.module:
			names.add(node.module.split(".")[0])
	return names


def test_rules_do_not_import_frappe():
	files = sorted(RULES.glob("*.py"))
	assert len(files) >= 4
	for path in files:
		assert "frappe" not in imported_modules(path), path.name


def test_unit_tests_do_not_import_frappe():
	for path in sorted((ROOT / "tests").glob("*.py")):
		assert "frappe" not in imported_modules(path), path.name


def test_readme_names_every_role():
	readme = (ROOT / "README.md").read_text(encoding="utf-8")
	for role in ROLES:
		assert f"**{role}**" in readme, role


def test_translations_are_three_columns():
	import csv

	rows = list(csv.reader((ROOT / "complaint_response" / "translations" / "zh.csv").open(encoding="utf-8")))
	assert rows
	for row in rows:
		assert len(row) == 3, row
		assert row[0].strip() and row[1].strip(), row
