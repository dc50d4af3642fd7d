# The project's test command: unit tier (plain pytest) then integration tier (a real Frappe bench).
# See tools/run_tests.py for the environment it reads (CR_BENCH, CR_STRICT, ...).
PYTHON ?= python3

.PHONY: test unit integration lint

test:
	$(PYTHON) tools/run_tests.py

unit:
	$(PYTHON) tools/run_tests.py --tier unit

integration:
	$(PYTHON) tools/run_tests.py --tier integration

lint:
	ruff check . && ruff format --check .
