"""Every piece of JavaScript the app ships parses: the form and report scripts, the web form's client
script and the Helpdesk agent UI's form script (a string in integrations/helpdesk.py). A syntax error
there breaks a page that no Python test opens."""

import ast
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "complaint_response"
NODE = shutil.which("node")

# Frappe's include directive (render_include), which it replaces
# with the named file when it serves a form or report script.
INCLUDE = re.compile(r"""{% include\s['"](.*)['"]\s%}""")

pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")


def rendered(source: str) -> str:
	"""The script as Frappe serves it: each include replaced by the file (app/path) it names."""
	for _level in range(5):
		for path in INCLUDE.findall(source):
			app, app_path = path.split("/", 1)
			included = (ROOT / app / app_path).read_text(encoding="utf-8")
			source = source.replace(f'{{% include "{path}" %}}', included)
	return source


def js_files():
	return sorted(APP.rglob("*.js"))


def embedded_scripts():
	for path in sorted((APP / "complaint_response" / "web_form").glob("*/*.json")):
		yield path.name, json.loads(path.read_text(encoding="utf-8")).get("client_script") or ""
	helpdesk = APP / "integrations" / "helpdesk.py"
	for node in ast.parse(helpdesk.read_text(encoding="utf-8")).body:
		if isinstance(node, ast.Assign) and any(
			getattr(t, "id", "") == "FORM_SCRIPT_JS" for t in node.targets
		):
			# the agent UI wraps the script this way (helpdesk desk/src/composables/formCustomisation.ts)
			yield "FORM_SCRIPT_JS", node.value.value + "\nreturn setupForm"


def check(source: str, tmp_path: Path, name: str) -> subprocess.CompletedProcess:
	path = tmp_path / f"{name}.js"
	path.write_text(f"(function () {{\n{source}\n}});\n", encoding="utf-8")
	return subprocess.run([NODE, "--check", str(path)], capture_output=True, text=True)


def test_there_is_javascript_to_check():
	assert len(js_files()) >= 4
	assert {name for name, _source in embedded_scripts()} >= {"complaint.json", "FORM_SCRIPT_JS"}


@pytest.mark.parametrize("path", js_files(), ids=lambda p: str(p.relative_to(APP)))
def test_file_parses(path, tmp_path):
	result = check(rendered(path.read_text(encoding="utf-8")), tmp_path, path.stem)
	assert result.returncode == 0, result.stderr


def test_reports_share_their_filters():
	"""Every report that asks for dates takes them from the shared file, which Frappe can find."""
	for path in sorted((APP / "complaint_response" / "report").glob("*/*.js")):
		source = path.read_text(encoding="utf-8")
		if "from_date" in source or "date_range" in source:
			assert "complaint_response.reports.date_range()" in source, path.name
			assert INCLUDE.findall(source) == ["complaint_response/public/js/report_filters.js"], path.name
			assert "{%" not in rendered(source), path.name


@pytest.mark.parametrize(
	"name, source", list(embedded_scripts()), ids=lambda x: x if isinstance(x, str) and len(x) < 40 else ""
)
def test_embedded_script_parses(name, source, tmp_path):
	result = check(source, tmp_path, "embedded")
	assert result.returncode == 0, result.stderr


def test_a_broken_script_is_caught(tmp_path):
	assert check("frappe.ui.form.on('X', { refresh(frm) { ", tmp_path, "broken").returncode != 0
