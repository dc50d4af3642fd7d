# The project's test command: unit tier (plain pytest), integration tier (a real Frappe bench), then
# browser tier (headless Chromium against a served test site).
# See tools/run_tests.py for the environment it reads (CR_BENCH, CR_STRICT, ...).
PYTHON ?= python3

.PHONY: test unit integration browser lint

test:
	$(PYTHON) tools/run_tests.py

unit:
	$(PYTHON) tools/run_tests.py --tier unit

integration:
	$(PYTHON) tools/run_tests.py --tier integration

browser:
	$(PYTHON) tools/run_tests.py --tier browser

lint:
	ruff check . && ruff format --check .
