"""Every user-facing English string of the app has a Simplified Chinese row in translations/zh.csv.

The strings are gathered the way Frappe finds them: ``_("...")`` in Python, ``__("...")`` in JavaScript,
DocType names, field labels, descriptions and Select options, ``_("...")`` in Print Format templates and
the role names. A string counts as translated when zh.csv has a row for it with any context.
"""

import ast
import csv
import json
import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "complaint_response"
MODULE = APP / "complaint_response"
ZH_CSV = APP / "translations" / "zh.csv"
ROLES_PY = APP / "setup" / "roles.py"

# A string literal's body: anything but the quote or a backslash, or a backslash and the next character.
_DQ = r'"((?:[^"\\\n]|\\.)*)"'
_SQ = r"'((?:[^'\\\n]|\\.)*)'"
JS_CALL = re.compile(r"(?<![\w$.])__\(\s*(?:" + _DQ + "|" + _SQ + r")\s*[,)]")
JINJA_CALL = re.compile(r"(?<![\w.])_\(\s*(?:" + _DQ + "|" + _SQ + r")")
# str.format fields ({0}, {count}) and Jinja expressions ({{ name }}) a translation must keep as they are.
PLACEHOLDER = re.compile(r"\{\{.*?\}\}|\{[^{}]*\}")


def unescape(text):
	"""Undo the simple backslash escapes a quoted literal may hold (\\" \\' \\\\)."""
	return re.sub(r"\\(.)", r"\1", text)


def is_app_source(path):
	"""Files of the app proper: not its test package, not test_*.py modules."""
	rel = path.relative_to(APP)
	return rel.parts[0] != "tests" and not path.name.startswith("test_")


def app_files(pattern, base=APP):
	return sorted(p for p in base.glob(pattern) if p.is_file() and is_app_source(p))


def literal_matches(pattern, text):
	"""The body of each matched literal, whichever quote it used."""
	return [unescape(m[1] if m[1] is not None else m[2]) for m in pattern.finditer(text)]


# --- Python ------------------------------------------------------------------------------------


TRANSLATE_FUNCTIONS = {"_", "_lt"}
# Rules' problems are translated when shown (rules.stages.Problem.text): their templates and the
# field names they carry are user-facing strings too.
PROBLEM_FUNCTIONS = {"problem"}


def called_name(node):
	func = node.func
	if isinstance(func, ast.Name):
		return func.id
	if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
		return func.attr
	return None


def is_translate_call(node):
	func = node.func
	if isinstance(func, ast.Name):
		return func.id in TRANSLATE_FUNCTIONS
	return (
		isinstance(func, ast.Attribute)
		and func.attr in TRANSLATE_FUNCTIONS
		and isinstance(func.value, ast.Name)
		and func.value.id == "frappe"
	)


def is_literal(node):
	return isinstance(node, ast.Constant) and isinstance(node.value, str)


def python_strings_in(source):
	"""First arguments of ``_(...)`` / ``frappe._(...)`` / ``_lt(...)`` that are plain string literals,
	and the templates and ``field=`` names of ``problem(...)`` calls."""
	found = []
	for node in ast.walk(ast.parse(source)):
		if not isinstance(node, ast.Call):
			continue
		if is_translate_call(node) and node.args and is_literal(node.args[0]):
			found.append(node.args[0].value)
		elif called_name(node) in PROBLEM_FUNCTIONS:
			if node.args and is_literal(node.args[0]):
				found.append(node.args[0].value)
			found += [kw.value.value for kw in node.keywords if kw.arg == "field" and is_literal(kw.value)]
	return found


def dict_values_named(source, name):
	"""String values of the module-level dict literal `name` (e.g. the customer's stage words)."""
	for node in ast.parse(source).body:
		targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
		if any(isinstance(t, ast.Name) and t.id == name for t in targets):
			return [v.value for v in node.value.values if is_literal(v)]
	return []


def python_sources():
	found = {s for path in app_files("**/*.py") for s in python_strings_in(path.read_text(encoding="utf-8"))}
	customer_view = (APP / "rules" / "customer_view.py").read_text(encoding="utf-8")
	return found | set(dict_values_named(customer_view, "CUSTOMER_STAGE"))


# --- JavaScript --------------------------------------------------------------------------------


def js_strings_in(source):
	return literal_matches(JS_CALL, source)


def js_sources():
	return {s for path in app_files("**/*.js") for s in js_strings_in(path.read_text(encoding="utf-8"))}


# --- DocTypes ----------------------------------------------------------------------------------


def select_options(field):
	if field.get("fieldtype") != "Select":
		return []
	return [line.strip() for line in (field.get("options") or "").split("\n") if line.strip()]


def doctype_strings_in(meta):
	"""The DocType's name, its fields' labels and descriptions, and its Select options."""
	if meta.get("doctype") != "DocType":
		return []
	found = [meta["name"]]
	for field in meta.get("fields", []):
		found += [field[key].strip() for key in ("label", "description") if (field.get(key) or "").strip()]
		found += select_options(field)
	return found


def doctype_sources():
	found = set()
	for path in app_files("doctype/*/*.json", MODULE):
		found.update(doctype_strings_in(json.loads(path.read_text(encoding="utf-8"))))
	return found


# --- Print Formats -----------------------------------------------------------------------------


def print_format_strings_in(meta):
	"""The print format's name and the ``_("...")`` literals of its Jinja template."""
	if meta.get("doctype") != "Print Format":
		return []
	return [meta["name"], *literal_matches(JINJA_CALL, meta.get("html") or "")]


def print_format_sources():
	found = set()
	for path in app_files("print_format/*/*.json", MODULE):
		found.update(print_format_strings_in(json.loads(path.read_text(encoding="utf-8"))))
	return found


# --- Web pages and web forms ------------------------------------------------------------------


def web_page_sources():
	"""``_("...")`` in the portal and survey pages' Jinja templates."""
	return {
		s
		for path in app_files("www/**/*.html")
		for s in literal_matches(JINJA_CALL, path.read_text(encoding="utf-8"))
	}


def web_form_strings_in(meta):
	"""What Frappe shows of a Web Form through its translations: title, success texts, field labels
	and descriptions, and ``__("...")`` in its client script."""
	found = [meta.get(key, "").strip() for key in ("title", "success_title", "success_message")]
	for field in meta.get("web_form_fields", []):
		found += [field[key].strip() for key in ("label", "description") if (field.get(key) or "").strip()]
	found += js_strings_in(meta.get("client_script") or "")
	return [s for s in found if s]


def web_form_sources():
	found = set()
	for path in app_files("web_form/*/*.json", MODULE):
		found.update(web_form_strings_in(json.loads(path.read_text(encoding="utf-8"))))
	return found


# --- Workspace, number cards and charts ----------------------------------------------------------


def workspace_strings_in(meta):
	"""What the desk shows of a Workspace through its translations: headers (their text without the
	markup), card and link labels, shortcut, number card and chart labels."""
	found = [meta.get("label") or meta.get("name") or ""]
	for block in json.loads(meta.get("content") or "[]"):
		if block.get("type") == "header":
			found.append(re.sub(r"<[^>]+>", "", block["data"]["text"]))
	for table in ("links", "shortcuts", "number_cards", "charts"):
		found += [row.get("label") or "" for row in meta.get(table, [])]
	return [s.strip() for s in found if s and s.strip()]


def workspace_sources():
	found = set()
	for path in app_files("workspace/*/*.json", MODULE):
		found.update(workspace_strings_in(json.loads(path.read_text(encoding="utf-8"))))
	for kind in ("number_card", "dashboard_chart"):
		for path in app_files(f"{kind}/*/*.json", MODULE):
			meta = json.loads(path.read_text(encoding="utf-8"))
			found.add(meta.get("label") or meta.get("chart_name") or meta["name"])
	return found


# --- Roles -------------------------------------------------------------------------------------


def role_names_in(source):
	"""Keys of the module-level ``ROLES`` dict literal."""
	for node in ast.parse(source).body:
		targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
		if any(isinstance(t, ast.Name) and t.id == "ROLES" for t in targets):
			return [ast.literal_eval(key) for key in node.value.keys]
	raise AssertionError(f"no ROLES dict in {ROLES_PY}")


def role_sources():
	return set(role_names_in(ROLES_PY.read_text(encoding="utf-8")))


# --- zh.csv ------------------------------------------------------------------------------------


def read_rows():
	with ZH_CSV.open(encoding="utf-8", newline="") as f:
		return list(csv.reader(f))


def all_sources():
	return {
		"python": python_sources(),
		"javascript": js_sources(),
		"doctype": doctype_sources(),
		"print format": print_format_sources(),
		"role": role_sources(),
		"web page": web_page_sources(),
		"web form": web_form_sources(),
		"workspace": workspace_sources(),
	}


# --- the extractors themselves -----------------------------------------------------------------


def test_extractors_find_what_frappe_translates():
	py = 'from frappe import _\nimport frappe\n_("A")\nfrappe._("B, {0}").format(1)\n_(x)\n_(f"C{x}")\nfoo._("D")\n'
	assert sorted(python_strings_in(py)) == ["A", "B, {0}"]
	py = '_lt("E")\nproblem("{field} is bad.", field="F", n=1)\nrules.problem("G")\nproblem(x, field=y)\n'
	assert sorted(python_strings_in(py)) == ["E", "F", "G", "{field} is bad."]
	assert dict_values_named('X = {"a": "One", "b": "Two"}\nY = {"c": "No"}', "X") == ["One", "Two"]
	form = {"title": "T", "success_message": "S", "web_form_fields": [{"label": "L", "description": "D"}]}
	assert web_form_strings_in({**form, "client_script": '__("Ref {0}", [n])'}) == [
		"T",
		"S",
		"L",
		"D",
		"Ref {0}",
	]
	js = '__("Move To") + __(\'It\\\'s\') + __("Graded {0}", [a]) + __(stage) + x__("no")'
	assert js_strings_in(js) == ["Move To", "It's", "Graded {0}"]
	html = "{{ _(\"Not recorded\") }} {{ _( 'Timeline' ) }} {{ _(doc.status) }}"
	assert print_format_strings_in({"doctype": "Print Format", "name": "P", "html": html}) == [
		"P",
		"Not recorded",
		"Timeline",
	]
	meta = {
		"doctype": "DocType",
		"name": "D",
		"fields": [
			{"fieldtype": "Section Break", "label": ""},
			{"fieldtype": "Select", "label": "S", "options": "\nA\n\nB", "description": "Pick one."},
			{"fieldtype": "Link", "label": "L", "options": "User"},
		],
	}
	assert doctype_strings_in(meta) == ["D", "S", "Pick one.", "A", "B", "L"]
	assert role_names_in('ROLES: dict[str, str] = {"R1": "x", "R2": "y"}') == ["R1", "R2"]


def test_every_source_found_in_the_app():
	sources = all_sources()
	for kind, found in sources.items():
		assert found, f"no {kind} strings found: the extractor is broken"
	assert "Complaint" in sources["doctype"]
	assert "Complaint Agent" in sources["role"]


# --- the translation itself --------------------------------------------------------------------


def test_every_source_has_a_chinese_translation():
	translated = {row[0] for row in read_rows() if len(row) >= 2 and row[1].strip()}
	missing = {
		kind: sorted(found - translated) for kind, found in all_sources().items() if found - translated
	}
	count = sum(len(strings) for strings in missing.values())
	report = "\n".join(f"[{kind}] {s!r}" for kind, strings in missing.items() for s in strings)
	assert not missing, f"{count} source strings have no row in {ZH_CSV.name}:\n{report}"


def test_zh_csv_rows_are_well_formed_and_consistent():
	problems = []
	seen = defaultdict(set)
	for line, row in enumerate(read_rows(), start=1):
		if len(row) != 3:
			problems.append(f"line {line}: {len(row)} columns, expected 3: {row!r}")
			continue
		source, translation, context = row
		if not source.strip() or not translation.strip():
			problems.append(f"line {line}: empty source or translation: {row!r}")
		seen[(source, context)].add(translation)
	problems += [
		f"{source!r} (context {context!r}) has different translations: {sorted(translations)}"
		for (source, context), translations in seen.items()
		if len(translations) > 1
	]
	assert not problems, "\n".join(problems)


def test_translations_keep_the_placeholders():
	changed = [
		f"{row[0]!r} -> {row[1]!r}"
		for row in read_rows()
		if len(row) >= 2 and sorted(PLACEHOLDER.findall(row[0])) != sorted(PLACEHOLDER.findall(row[1]))
	]
	assert not changed, "placeholders differ between source and translation:\n" + "\n".join(changed)
