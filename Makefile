# Two commands: `make run` (set up and serve the demo) and `make test` (the whole suite).
# PYTHON=/path/to/python3.12 overrides the interpreter search.
VENV := .venv
BIN := $(VENV)/bin
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# One worker per core; the browser tests run in the same run (each worker has its own live
# server and browser). Tests of one module stay on one worker, so data a module builds once
# (tests/shared_data.py) is built once; modules go out longest first (tests/conftest.py).
PYTEST_XDIST ?= -n auto --dist loadscope --no-loadscope-reorder
# Python's bytecode caches stay on even where the environment turns them off: without them every
# test worker and every server the tests start compiles MWI from source and rewrites the asserts
# of all 250 test modules again (collection alone: 5.6 s instead of 2.6 s per worker).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test test-browser lint format install system-tools clean

$(PY):
	"$$(scripts/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# The tests' JavaScript and Java tools (axe-core, ical.js, vnu-jar); again when the lock changes.
node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# One line naming the apt packages of any missing program, and a stop (tests/system_tools.py).
system-tools:
	@"$$(scripts/find-python)" tests/system_tools.py

run: install
	DEBUG=1 $(PY) manage.py migrate --no-input
	DEBUG=1 $(PY) manage.py loaddemo
	DEBUG=1 $(PY) manage.py ensureadmin
	@echo "Serving MWI on http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: system-tools install node_modules/.installed
	$(BIN)/pytest $(PYTEST_XDIST) $(PYTEST_ARGS)

test-browser: system-tools install node_modules/.installed
	$(BIN)/pytest -m browser $(PYTEST_XDIST) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/djlint templates $(wildcard */templates) --lint

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles node_modules
