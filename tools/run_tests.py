#!/usr/bin/env python3
"""The project's one test command: `make test` (or `python3 tools/run_tests.py`).

Three tiers, each closing with one line alone on its line:

    unit: N passed, N failed[, N skipped]
    integration: N passed, N failed[, N skipped]
    browser: N passed, N failed[, N skipped]

1. unit: `pytest tests/` - plain modules, no Frappe.
2. integration: `bench run-tests --app complaint_response` on three test sites of a real Frappe v15
   bench (Frappe alone, with Helpdesk, with ERPNext and its setup wizard done; a site whose app the
   bench lacks is SKIPPED), against the code of the checkout this file lives in. The bench is `$CR_BENCH`, else /opt/crbench/frappe-bench. The sites are created when
   missing and migrated otherwise; then the app is uninstalled and installed again on the first site
   and its install tests run once more. The bench is left as it was found: the app folder, the
   Python package and apps.txt are put back.

3. browser: `pytest browser/` drives headless Chromium (Debian's `chromium`, through Playwright's
   Python client; no browser is downloaded) through the desk, the web form and the portal of the site
   crtest-browser.localhost (Frappe alone, its setup wizard done), which `bench --site ... serve`
   serves on a free local port for the length of the tier. Screenshots of failed tests are left in
   browser/artifacts/.

Without a bench the integration and browser tiers are SKIPPED (exit 0), and so is the browser tier
without Chromium or a Python that has `playwright` and `pytest`, unless `--strict` (or CR_STRICT=1)
is given, as CI does: then a tier that cannot run, or any failure, fails the run.

Environment: CR_BENCH, CR_STRICT, CR_DB_ROOT_USER / CR_DB_ROOT_PASSWORD (a MariaDB login that may
create databases, needed only to create a test site), CR_FRESH_SITES=1 (drop and recreate the sites),
CR_CHROMIUM (the browser, default /usr/bin/chromium), CR_BROWSER_PYTHON (the Python that runs the
browser tests; default: this one, else the bench's, whichever has playwright and pytest).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

APP = "complaint_response"
REPO = Path(__file__).resolve().parent.parent
DEFAULT_BENCH = "/opt/crbench/frappe-bench"
ADMIN_PASSWORD = "admin"
# A MariaDB login the runner creates (through root's socket login) when none is given.
RUNNER_DB_USER = "cr_test_admin"
RUNNER_DB_PASSWORD = "cr_test_admin"
# The install tests, run again after an uninstall and reinstall.
INSTALL_TEST_MODULE = "complaint_response.tests.test_install"


@dataclass(frozen=True)
class SiteSpec:
	name: str
	apps: tuple[str, ...]  # apps other than frappe, installed before this one
	setup_wizard: dict | None = None  # arguments of the setup wizard the site must complete first


def erpnext_wizard() -> dict:
	"""A company, currency, chart of accounts and this year's fiscal year: ERPNext needs them before
	Items or invoices can be made."""
	year = time.localtime().tm_year
	return {
		"language": "English",
		"country": "China",
		"timezone": "Asia/Shanghai",
		"currency": "CNY",
		"company_name": "CR Test Co",
		"company_abbr": "CRT",
		"chart_of_accounts": "Standard",
		"fy_start_date": f"{year}-01-01",
		"fy_end_date": f"{year}-12-31",
		"setup_demo": 0,
	}


SITES = (
	SiteSpec("crtest-frappe.localhost", ()),
	SiteSpec("crtest-helpdesk.localhost", ("helpdesk",)),
	SiteSpec("crtest-erpnext.localhost", ("erpnext",), setup_wizard=erpnext_wizard()),
)
# The browser tier's site: Frappe alone, its setup wizard done (the desk opens on the wizard until
# then) with the time zone the browser is given.
BROWSER_SITE = SiteSpec(
	"crtest-browser.localhost",
	(),
	setup_wizard={"language": "English", "country": "China", "timezone": "Asia/Shanghai", "currency": "CNY"},
)
BROWSER_TESTS = "browser"
DEFAULT_CHROMIUM = "/usr/bin/chromium"


@dataclass
class Counts:
	passed: int = 0
	failed: int = 0
	skipped: int = 0
	notes: list[str] = field(default_factory=list)

	def add(self, other: Counts) -> None:
		self.passed += other.passed
		self.failed += other.failed
		self.skipped += other.skipped

	def line(self, tier: str) -> str:
		text = f"{tier}: {self.passed} passed, {self.failed} failed"
		if self.skipped:
			text += f", {self.skipped} skipped"
		return text


# ---------------------------------------------------------------------------------------------
# Parsing the runners' closing lines (plain functions, unit-tested in tests/test_run_tests.py)


def parse_pytest_summary(output: str) -> Counts:
	"""Counts from pytest's last summary line, e.g. '3 failed, 10 passed, 1 skipped in 0.5s'."""
	counts = Counts()
	summary = ""
	for line in output.splitlines():
		if re.search(r"\b(passed|failed|error|errors|skipped|no tests ran)\b", line) and " in " in line:
			summary = line
	for number, word in re.findall(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed)", summary):
		n = int(number)
		if word == "passed" or word == "xfailed":
			counts.passed += n
		elif word == "skipped":
			counts.skipped += n
		else:
			counts.failed += n
	return counts


def parse_unittest_summary(output: str) -> Counts | None:
	"""Counts from unittest's 'Ran N tests' and 'OK (skipped=1)' / 'FAILED (failures=1, errors=2)'.

	None when the output has no 'Ran N tests' line (the runner did not get as far as running)."""
	ran = re.findall(r"^Ran (\d+) tests? in ", output, re.M)
	if not ran:
		return None
	total = int(ran[-1])
	verdicts = re.findall(r"^(OK|FAILED)(?: \((.*)\))?\s*$", output, re.M)
	details: dict[str, int] = {}
	if verdicts:
		for part in (verdicts[-1][1] or "").split(","):
			if "=" in part:
				key, value = part.strip().split("=", 1)
				details[key] = int(value)
	failed = details.get("failures", 0) + details.get("errors", 0) + details.get("unexpected successes", 0)
	skipped = details.get("skipped", 0)
	if verdicts and verdicts[-1][0] == "FAILED" and not failed:
		failed = 1  # FAILED without numbers: count the run as one failure rather than hide it
	return Counts(passed=max(total - failed - skipped, 0), failed=failed, skipped=skipped)


# ---------------------------------------------------------------------------------------------
# Shell helpers


def log(message: str) -> None:
	print(f"[run_tests] {message}", flush=True)


def without_progress_bars(text: str) -> str:
	"""Keep what a terminal would show last on each line: bench redraws progress bars with \\r."""
	return "\n".join(line.rsplit("\r", 1)[-1] for line in text.split("\n"))


def run(cmd: list[str], cwd: Path | None = None, env: dict | None = None, check: bool = True, quiet=False):
	"""Run `cmd`, print its output (unless `quiet`) and return the CompletedProcess, output in .stdout."""
	log("$ " + " ".join(cmd))
	result = subprocess.run(
		cmd,
		cwd=cwd,
		env={**os.environ, **(env or {})},
		text=True,
		stdout=subprocess.PIPE,
		stderr=subprocess.STDOUT,
		stdin=subprocess.DEVNULL,
	)
	result.stdout = without_progress_bars(result.stdout)
	if not quiet or (check and result.returncode != 0):
		print(result.stdout, end="", flush=True)
	if check and result.returncode != 0:
		raise RuntimeError(f"command failed ({result.returncode}): {' '.join(cmd)}")
	return result


def port_open(host: str, port: int) -> bool:
	try:
		with socket.create_connection((host, port), timeout=1):
			return True
	except OSError:
		return False


def wait_for_port(host: str, port: int, seconds: float = 30) -> bool:
	deadline = time.monotonic() + seconds
	while time.monotonic() < deadline:
		if port_open(host, port):
			return True
		time.sleep(0.5)
	return False


# ---------------------------------------------------------------------------------------------
# Unit tier


def unit_tier() -> Counts:
	try:
		import pytest
	except ImportError:
		run([sys.executable, "-m", "pip", "install", "--quiet", "pytest"])
	result = run([sys.executable, "-m", "pytest", "-q", "tests"], cwd=REPO, check=False)
	counts = parse_pytest_summary(result.stdout)
	if result.returncode not in (0, 5) and counts.failed == 0:
		counts.failed = 1  # pytest itself failed (collection or usage error)
	return counts


# ---------------------------------------------------------------------------------------------
# Integration tier


class Bench:
	def __init__(self, path: Path):
		self.path = path
		self.python = path / "env" / "bin" / "python"
		self.apps_txt = path / "sites" / "apps.txt"
		self.app_dir = path / "apps" / APP
		self.saved_dir = path / "apps" / f".{APP}.saved-by-run-tests"

	@staticmethod
	def find() -> Bench | None:
		for candidate in (os.environ.get("CR_BENCH"), DEFAULT_BENCH):
			if candidate and (Path(candidate) / "apps" / "frappe").is_dir():
				return Bench(Path(candidate))
		return None

	def command(self, *args: str) -> tuple[list[str], Path]:
		"""The command line (and its working directory) of `bench ARGS` on this bench."""
		bench_cmd = shutil.which("bench")
		if bench_cmd:
			return [bench_cmd, *args], self.path
		# the bench CLI is not on PATH: run frappe's own command line from the bench env
		return [str(self.python), "-m", "frappe.utils.bench_helper", "frappe", *args], self.path / "sites"

	def bench(self, *args: str, check: bool = True, quiet: bool = False, env: dict | None = None):
		cmd, cwd = self.command(*args)
		return run(cmd, cwd=cwd, check=check, quiet=quiet, env=env)

	def config(self) -> dict:
		path = self.path / "sites" / "common_site_config.json"
		return json.loads(path.read_text()) if path.exists() else {}

	# -- services ---------------------------------------------------------------------------

	def ensure_services(self) -> None:
		config = self.config()
		host = config.get("db_host") or "127.0.0.1"
		port = int(config.get("db_port") or 3306)
		if not port_open(host, port):
			log("MariaDB is down: starting it")
			run(
				["start-stop-daemon", "--start", "--oknodo", "--background", "--exec", "/usr/sbin/mariadbd"],
				check=False,
			)
			if not wait_for_port(host, port):
				raise RuntimeError(f"MariaDB did not come up on {host}:{port}")
		for key in ("redis_cache", "redis_queue"):
			match = re.match(r"redis://([^:/]+):(\d+)", config.get(key, "redis://127.0.0.1:6379"))
			rhost, rport = match.group(1), int(match.group(2))
			if not port_open(rhost, rport):
				log(f"Redis is down on {rhost}:{rport}: starting it")
				run(
					[
						"redis-server",
						"--daemonize",
						"yes",
						"--bind",
						rhost,
						"--port",
						str(rport),
						"--save",
						"",
					],
					check=False,
				)
				if not wait_for_port(rhost, rport):
					raise RuntimeError(f"Redis did not come up on {rhost}:{rport}")

	def db_root_login(self) -> tuple[str, str]:
		user, password = os.environ.get("CR_DB_ROOT_USER"), os.environ.get("CR_DB_ROOT_PASSWORD")
		if user and password:
			return user, password
		# Frappe asks for a root password on a terminal; give it a login of our own instead, made
		# through root's passwordless socket login (the default on a developer's MariaDB).
		grants = (
			f"CREATE USER IF NOT EXISTS '{RUNNER_DB_USER}'@'localhost' IDENTIFIED BY '{RUNNER_DB_PASSWORD}';"
			f"CREATE USER IF NOT EXISTS '{RUNNER_DB_USER}'@'127.0.0.1' IDENTIFIED BY '{RUNNER_DB_PASSWORD}';"
			f"GRANT ALL PRIVILEGES ON *.* TO '{RUNNER_DB_USER}'@'localhost' WITH GRANT OPTION;"
			f"GRANT ALL PRIVILEGES ON *.* TO '{RUNNER_DB_USER}'@'127.0.0.1' WITH GRANT OPTION;"
		)
		run(["mysql", "-uroot", "-e", grants])
		return RUNNER_DB_USER, RUNNER_DB_PASSWORD

	# -- linking the checkout into the bench, and putting it back -------------------------------

	def installed_location(self) -> str | None:
		"""Where the bench env's `complaint_response` distribution was installed from, if any."""
		code = (
			"import importlib.metadata as m, json\n"
			f"try:\n d = m.distribution('{APP}')\nexcept m.PackageNotFoundError:\n print('')\n"
			"else:\n t = d.read_text('direct_url.json')\n print(json.loads(t)['url'] if t else 'site-packages')\n"
		)
		# Not from the checkout: there, its own complaint_response.egg-info (no direct_url.json) would
		# answer instead of what the bench has installed, and the bench would not be put back.
		out = run([str(self.python), "-c", code], cwd=self.path, quiet=True, check=False).stdout.strip()
		return out or None

	def pip_install_editable(self, path: str) -> None:
		"""Install `path` as the bench's editable `complaint_response`, replacing any other one: uv
		keeps an installed editable of the same version (and its path) unless told to reinstall it,
		which left the bench importing the CI clone after the run put it back."""
		uv = shutil.which("uv")
		if uv:
			reinstall = ["--reinstall-package", APP]
			run(
				[
					uv,
					"pip",
					"install",
					"--quiet",
					"--python",
					str(self.python),
					"--no-deps",
					*reinstall,
					"-e",
					path,
				]
			)
		else:
			run(
				[
					str(self.python),
					"-m",
					"pip",
					"install",
					"--quiet",
					"--no-deps",
					"--force-reinstall",
					"-e",
					path,
				]
			)

	def ensure_test_packages(self) -> None:
		"""The integration tests' own needs (pyproject's [tool.bench.dev-dependencies], which bench
		installs only in developer mode): hypothesis for the fuzz tests. From PyPI, once."""
		probe = subprocess.run([str(self.python), "-c", "import hypothesis"], capture_output=True)
		if probe.returncode == 0:
			return
		uv = shutil.which("uv")
		if uv:
			run(
				[uv, "pip", "install", "--quiet", "--python", str(self.python), "hypothesis>=6.100"],
				check=False,
			)
		else:
			run([str(self.python), "-m", "pip", "install", "--quiet", "hypothesis>=6.100"], check=False)

	def pip_uninstall(self) -> None:
		uv = shutil.which("uv")
		if uv:
			run([uv, "pip", "uninstall", "--quiet", "--python", str(self.python), APP], check=False)
		else:
			run([str(self.python), "-m", "pip", "uninstall", "--yes", "--quiet", APP], check=False)

	def link_checkout(self) -> dict:
		state: dict = {"apps_txt": self.apps_txt.read_text() if self.apps_txt.exists() else None}
		state["package"] = self.installed_location()
		if self.app_dir.is_symlink():
			state["app_dir"] = ("symlink", os.readlink(self.app_dir))
			self.app_dir.unlink()
		elif self.app_dir.exists():
			state["app_dir"] = ("dir", None)
			if self.saved_dir.exists():
				raise RuntimeError(
					f"{self.saved_dir} exists: an earlier run did not finish; put it back by hand"
				)
			self.app_dir.rename(self.saved_dir)
		else:
			state["app_dir"] = ("absent", None)
		self.app_dir.symlink_to(REPO, target_is_directory=True)
		self.pip_install_editable(str(REPO))
		self.ensure_test_packages()
		apps = (state["apps_txt"] or "").split()
		if APP not in apps:
			self.apps_txt.write_text("\n".join([*apps, APP]) + "\n")
		self.clear_caches()  # sites cache the bench's app list ("app_modules")
		log(f"linked {REPO} into {self.path}")
		return state

	def restore(self, state: dict) -> None:
		kind, target = state["app_dir"]
		if self.app_dir.is_symlink():
			self.app_dir.unlink()
		if kind == "symlink":
			self.app_dir.symlink_to(target, target_is_directory=True)
		elif kind == "dir":
			self.saved_dir.rename(self.app_dir)
		previous = state["package"]
		if previous is None:
			self.pip_uninstall()
		elif previous.startswith("file://"):
			self.pip_install_editable(previous[len("file://") :])
		if state["apps_txt"] is None:
			self.apps_txt.unlink(missing_ok=True)
		else:
			self.apps_txt.write_text(state["apps_txt"])
		self.clear_caches()
		log("bench put back as it was found")

	def clear_caches(self) -> None:
		sites = [p.name for p in (self.path / "sites").iterdir() if (p / "site_config.json").exists()]
		for site in sites:
			self.bench("--site", site, "clear-cache", check=False, quiet=True)

	# -- sites ---------------------------------------------------------------------------------

	def site_apps(self, site: str) -> list[str]:
		result = self.bench("--site", site, "execute", "frappe.get_installed_apps", quiet=True, check=False)
		match = re.search(r"^\[.*\]$", result.stdout, re.M)
		if result.returncode != 0 or not match:
			return []
		return json.loads(match.group(0))

	def prepare_site(self, spec: SiteSpec, fresh: bool) -> None:
		site_dir = self.path / "sites" / spec.name
		if site_dir.exists() and fresh:
			user, password = self.db_root_login()
			self.bench(
				"drop-site",
				spec.name,
				"--db-root-username",
				user,
				"--db-root-password",
				password,
				"--no-backup",
				"--force",
			)
		if not site_dir.exists():
			user, password = self.db_root_login()
			config = self.config()
			args = [
				"new-site", spec.name,
				"--db-host", config.get("db_host") or "127.0.0.1",
				"--db-root-username", user, "--db-root-password", password,
				"--admin-password", ADMIN_PASSWORD,
				"--mariadb-user-host-login-scope", "%",
			]  # fmt: skip
			for app in spec.apps:
				args += ["--install-app", app]
			self.bench(*args)
		self.bench("--site", spec.name, "set-config", "allow_tests", "1")
		# Helpdesk's ticket code sends mail: give it an outgoing server that the test runner mutes.
		self.bench("--site", spec.name, "set-config", "mail_server", "127.0.0.1")
		self.bench("--site", spec.name, "set-config", "mute_emails", "1")
		installed = self.site_apps(spec.name)
		for app in spec.apps:
			if app not in installed:
				self.bench("--site", spec.name, "install-app", app)
		if spec.setup_wizard:
			self.complete_setup_wizard(spec.name, spec.setup_wizard)
		if APP in installed:
			self.bench("--site", spec.name, "migrate")
		else:
			self.bench("--site", spec.name, "install-app", APP)

	def has_app(self, app: str) -> bool:
		"""The app is on the bench: its folder, and listed in sites/apps.txt (new-site needs both)."""
		listed = self.apps_txt.read_text().split() if self.apps_txt.exists() else []
		return (self.path / "apps" / app).is_dir() and app in listed

	def complete_setup_wizard(self, site: str, args: dict) -> None:
		done = self.bench(
			"--site", site, "execute", "frappe.db.get_single_value", "--args", "['System Settings', 'setup_complete']",
			quiet=True, check=False,
		)  # fmt: skip
		if re.search(r"^1$", done.stdout, re.M):
			return
		self.bench(
			"--site", site, "execute", "frappe.desk.page.setup_wizard.setup_wizard.setup_complete",
			"--kwargs", json.dumps({"args": args}),
		)  # fmt: skip

	def run_tests(self, site: str, *extra: str) -> Counts:
		result = self.bench("--site", site, "run-tests", "--app", APP, *extra, check=False, env={"CI": "1"})
		counts = parse_unittest_summary(result.stdout)
		if counts is None:
			counts = Counts(failed=1)
			counts.notes.append(f"{site}: the test runner did not run (exit {result.returncode})")
		elif result.returncode != 0 and counts.failed == 0:
			counts.failed = 1
			counts.notes.append(f"{site}: the test runner exited {result.returncode}")
		return counts

	def reinstall_cycle(self, site: str) -> Counts:
		self.bench("--site", site, "uninstall-app", APP, "--yes", "--no-backup", "--force")
		if APP in self.site_apps(site):
			counts = Counts(failed=1)
			counts.notes.append(f"{site}: {APP} still listed after uninstall-app")
			return counts
		self.bench("--site", site, "install-app", APP)
		return self.run_tests(site, "--module", INSTALL_TEST_MODULE)


def integration_tier(strict: bool, fresh: bool) -> tuple[Counts | None, str]:
	bench = Bench.find()
	if bench is None:
		return None, f"no Frappe bench at $CR_BENCH or {DEFAULT_BENCH}"
	bench.ensure_services()
	total = Counts()
	state = bench.link_checkout()
	try:
		for spec in SITES:
			missing = [app for app in spec.apps if not bench.has_app(app)]
			if missing:
				log(f"SKIPPED {spec.name}: the bench has no {', '.join(missing)} app (see README)")
				total.skipped += 1
				continue
			bench.prepare_site(spec, fresh)
			counts = bench.run_tests(spec.name)
			log(f"{spec.name}: {counts.line('tests')}")
			total.add(counts)
			total.notes += counts.notes
		cycle = bench.reinstall_cycle(SITES[0].name)
		log(f"{SITES[0].name} after uninstall + reinstall: {cycle.line('tests')}")
		total.add(cycle)
		total.notes += cycle.notes
	except RuntimeError as error:
		total.failed += 1
		total.notes.append(str(error))
	finally:
		bench.restore(state)
	return total, ""


# ---------------------------------------------------------------------------------------------
# Browser tier


def has_browser_client(python: str) -> bool:
	"""`python` can import Playwright's client and pytest."""
	code = "import playwright.sync_api, pytest"
	try:
		return subprocess.run([python, "-c", code], capture_output=True, timeout=60).returncode == 0
	except (OSError, subprocess.TimeoutExpired):
		return False


def browser_python(bench: Bench) -> str | None:
	"""The Python that runs the browser tests: $CR_BROWSER_PYTHON, else this one, else the bench's."""
	chosen = os.environ.get("CR_BROWSER_PYTHON")
	for candidate in [chosen] if chosen else [sys.executable, str(bench.python)]:
		if candidate and has_browser_client(candidate):
			return candidate
	return None


def free_port() -> int:
	with socket.socket() as sock:
		sock.bind(("127.0.0.1", 0))
		return sock.getsockname()[1]


def answers(url: str) -> bool:
	try:
		with urllib.request.urlopen(url, timeout=10) as response:
			return response.status == 200
	except OSError:
		return False


class Server:
	"""`bench --site SITE serve` on a free port, in the background, for the length of a `with`.

	The site is fixed on the command line, so the browser may reach it as 127.0.0.1 (nothing to add to
	/etc/hosts); werkzeug serves /assets as well, and the PDF renderer fetches them from the same
	address the request came to."""

	def __init__(self, bench: Bench, site: str):
		self.bench, self.site = bench, site
		self.port = free_port()
		self.url = f"http://127.0.0.1:{self.port}"
		self.log = Path(tempfile.mkstemp(prefix="cr-browser-serve-", suffix=".log")[1])
		self.process: subprocess.Popen | None = None

	def __enter__(self) -> Server:
		cmd, cwd = self.bench.command("--site", self.site, "serve", "--port", str(self.port), "--noreload")
		log("$ " + " ".join(cmd) + f" &  (log: {self.log})")
		with self.log.open("w") as out:
			self.process = subprocess.Popen(
				cmd,
				cwd=cwd,
				stdout=out,
				stderr=subprocess.STDOUT,
				stdin=subprocess.DEVNULL,
				start_new_session=True,
			)
		deadline = time.monotonic() + 120
		while time.monotonic() < deadline:
			if self.process.poll() is not None:
				break
			if answers(f"{self.url}/api/method/ping"):
				return self
			time.sleep(1)
		self.stop()
		print(self.log.read_text()[-3000:], flush=True)
		self.log.unlink(missing_ok=True)
		raise RuntimeError(f"bench serve did not answer on {self.url}")

	def stop(self) -> None:
		if self.process and self.process.poll() is None:
			os.killpg(self.process.pid, signal.SIGTERM)  # its own process group: werkzeug and children
			try:
				self.process.wait(timeout=15)
			except subprocess.TimeoutExpired:
				os.killpg(self.process.pid, signal.SIGKILL)
				self.process.wait()

	def __exit__(self, *exc) -> None:
		self.stop()
		self.log.unlink(missing_ok=True)


def browser_tier(strict: bool, fresh: bool) -> tuple[Counts | None, str]:
	bench = Bench.find()
	if bench is None:
		return None, f"no Frappe bench at $CR_BENCH or {DEFAULT_BENCH}"
	chromium = os.environ.get("CR_CHROMIUM", DEFAULT_CHROMIUM)
	if not (os.path.isfile(chromium) and os.access(chromium, os.X_OK)):
		return None, f"no Chromium at {chromium} (apt-get install chromium, or set CR_CHROMIUM)"
	python = browser_python(bench)
	if python is None:
		return None, "no Python with playwright and pytest (pip install playwright pytest)"
	bench.ensure_services()
	counts = Counts()
	state = bench.link_checkout()
	try:
		bench.prepare_site(BROWSER_SITE, fresh)
		with Server(bench, BROWSER_SITE.name) as server:
			env = {
				"CR_BROWSER_URL": server.url,
				"CR_BROWSER_ADMIN_PASSWORD": ADMIN_PASSWORD,
				"CR_CHROMIUM": chromium,
			}
			cmd = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", BROWSER_TESTS]
			result = run(cmd, cwd=REPO, env=env, check=False)
		counts = parse_pytest_summary(result.stdout)
		if result.returncode != 0 and counts.failed == 0:
			counts.failed = 1  # pytest itself failed (collection or usage error)
			counts.notes.append(f"pytest {BROWSER_TESTS}/ exited {result.returncode}")
		elif counts.failed:
			counts.notes.append(
				f"screenshots of the failed browser tests: {REPO / BROWSER_TESTS / 'artifacts'}"
			)
	except RuntimeError as error:
		counts.failed += 1
		counts.notes.append(str(error))
	finally:
		bench.restore(state)
	return counts, ""


def main(argv: list[str] | None = None) -> int:
	parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
	parser.add_argument("--strict", action="store_true", default=os.environ.get("CR_STRICT") == "1")
	parser.add_argument("--fresh", action="store_true", default=os.environ.get("CR_FRESH_SITES") == "1")
	parser.add_argument("--tier", choices=("all", "unit", "integration", "browser"), default="all")
	args = parser.parse_args(argv)

	lines: list[str] = []
	failed = False
	if args.tier in ("all", "unit"):
		unit = unit_tier()
		lines.append(unit.line("unit"))
		failed |= unit.failed > 0 or (args.strict and unit.passed == 0)
	if args.tier in ("all", "integration"):
		integration, why = integration_tier(args.strict, args.fresh)
		if integration is None:
			print(f"\nINTEGRATION TIER SKIPPED: {why}.")
			print("Build a Frappe v15 bench (see README) or set CR_BENCH to run it.")
			lines.append("integration: 0 passed, 0 failed, 1 skipped")
			failed |= args.strict
		else:
			for note in integration.notes:
				print(f"[run_tests] problem: {note}")
			lines.append(integration.line("integration"))
			failed |= integration.failed > 0 or (args.strict and integration.passed == 0)
	if args.tier in ("all", "browser"):
		browser, why = browser_tier(args.strict, args.fresh)
		if browser is None:
			print(f"\nBROWSER TIER SKIPPED: {why}.")
			lines.append("browser: 0 passed, 0 failed, 1 skipped")
			failed |= args.strict
		else:
			for note in browser.notes:
				print(f"[run_tests] problem: {note}")
			lines.append(browser.line("browser"))
			failed |= browser.failed > 0 or (args.strict and browser.passed == 0)
	print()
	for line in lines:
		print(line)
	return 1 if failed else 0


if __name__ == "__main__":
	sys.exit(main())
