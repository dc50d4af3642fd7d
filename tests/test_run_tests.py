"""The test command's own logic: reading the runners' closing lines."""

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("run_tests", ROOT / "tools" / "run_tests.py")
run_tests = importlib.util.module_from_spec(spec)
sys.modules["run_tests"] = run_tests  # dataclasses look their module up while the file runs
spec.loader.exec_module(run_tests)


def counts(c):
	return (c.passed, c.failed, c.skipped)


def test_pytest_summary_all_kinds():
	out = "....F.s\n=== 1 failed, 5 passed, 1 skipped, 2 errors in 0.31s ===\n"
	assert counts(run_tests.parse_pytest_summary(out)) == (5, 3, 1)


def test_pytest_summary_passed_only():
	assert counts(run_tests.parse_pytest_summary("128 passed in 0.72s\n")) == (128, 0, 0)


def test_pytest_summary_no_tests():
	assert counts(run_tests.parse_pytest_summary("no tests ran in 0.01s\n")) == (0, 0, 0)


def test_unittest_ok_with_skips():
	out = "..s.\n----\nRan 28 tests in 3.451s\n\nOK (skipped=2)\n"
	assert counts(run_tests.parse_unittest_summary(out)) == (26, 0, 2)


def test_unittest_failures_and_errors():
	out = "Ran 10 tests in 1.0s\n\nFAILED (failures=2, errors=1, skipped=3)\n"
	assert counts(run_tests.parse_unittest_summary(out)) == (4, 3, 3)


def test_unittest_last_run_counts():
	out = "Ran 3 tests in 0.1s\n\nOK\nRan 5 tests in 0.2s\n\nFAILED (errors=1)\n"
	assert counts(run_tests.parse_unittest_summary(out)) == (4, 1, 0)


def test_unittest_did_not_run():
	assert run_tests.parse_unittest_summary("Traceback (most recent call last):\n  ...\n") is None


def test_closing_line_format():
	c = run_tests.Counts(passed=3, failed=0)
	assert c.line("unit") == "unit: 3 passed, 0 failed"
	c.skipped = 2
	assert c.line("integration") == "integration: 3 passed, 0 failed, 2 skipped"


def test_progress_bars_removed():
	text = "Updating: [=   ] 10%\rUpdating: [====] 100%\nDone"
	assert run_tests.without_progress_bars(text) == "Updating: [====] 100%\nDone"


def test_browser_summary_line():
	out = "....F\n=========== 1 failed, 4 passed in 96.20s (0:01:36) ===========\n"
	c = run_tests.parse_pytest_summary(out)
	assert counts(c) == (4, 1, 0)
	assert c.line("browser") == "browser: 4 passed, 1 failed"


def test_browser_summary_with_skips():
	out = "sssss\n5 skipped in 0.03s\n"
	assert run_tests.parse_pytest_summary(out).line("browser") == "browser: 0 passed, 0 failed, 5 skipped"


def run_main(monkeypatch, capsys, answer, *argv):
	monkeypatch.delenv("CR_STRICT", raising=False)  # CI runs the suite itself in strict mode
	monkeypatch.setattr(run_tests, "browser_tier", lambda strict, fresh: answer)
	code = run_tests.main(["--tier", "browser", *argv])
	return code, capsys.readouterr().out.strip().splitlines()[-1]


def test_browser_tier_skipped_unless_strict(monkeypatch, capsys):
	answer = (None, "no Chromium at /usr/bin/chromium")
	assert run_main(monkeypatch, capsys, answer) == (0, "browser: 0 passed, 0 failed, 1 skipped")
	assert run_main(monkeypatch, capsys, answer, "--strict") == (1, "browser: 0 passed, 0 failed, 1 skipped")


def test_browser_tier_failures_fail_the_run(monkeypatch, capsys):
	assert run_main(monkeypatch, capsys, (run_tests.Counts(passed=4), "")) == (
		0,
		"browser: 4 passed, 0 failed",
	)
	failed = run_tests.Counts(passed=3, failed=1)
	assert run_main(monkeypatch, capsys, (failed, "")) == (1, "browser: 3 passed, 1 failed")
	# strict: a tier that ran nothing is no pass
	assert run_main(monkeypatch, capsys, (run_tests.Counts(skipped=4), ""), "--strict")[0] == 1


def test_browser_tier_needs_chromium(monkeypatch, tmp_path):
	monkeypatch.setattr(run_tests.Bench, "find", staticmethod(lambda: run_tests.Bench(tmp_path)))
	monkeypatch.setenv("CR_CHROMIUM", str(tmp_path / "no-chromium"))
	counts, why = run_tests.browser_tier(strict=True, fresh=False)
	assert counts is None and "no Chromium" in why
