# nightleaf — two commands on a fresh machine:
#   make run    the local web app on http://127.0.0.1:8765 (SQLite journal in your data folder)
#   make test   the whole suite: unit, PostgreSQL and headless-Chromium tests
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
SUM    := $(shell cksum pyproject.toml | cut -d' ' -f1)
# what the app needs (`make run`) and, on top, what the tests and tools need (`make test`)
APP    := $(VENV)/.installed-app-$(SUM)
TESTS  := $(VENV)/.installed-test-$(SUM)

.PHONY: run test test-fast lint bench venv system-deps clean

$(APP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "nightleaf needs Python 3.11 or newer")'
	@test -x $(PY) || { echo "==> [1/2] creating the virtual environment $(VENV)"; $(PYTHON) -m venv $(VENV); }
	@echo "==> [2/2] installing nightleaf and the libraries it needs (a minute or two the first time)"
	$(PY) -m pip install --disable-pip-version-check --progress-bar on -e .
	@rm -f $(VENV)/.installed-app-* && touch $@

$(TESTS): $(APP)
	@echo "==> installing the test tools (pytest, Playwright, schemathesis, mypy...)"
	$(PY) -m pip install --disable-pip-version-check --progress-bar on -e '.[test]'
	@rm -f $(VENV)/.installed-test-* && touch $@

venv: $(APP)

# the first time, `nightleaf init` sets up the journal: in a terminal it asks (Enter keeps each
# default); piped, it takes the defaults. Later runs find the journal and go straight to serve.
run: $(APP)
	@$(VENV)/bin/nightleaf nights --days 1 >/dev/null 2>&1 || $(VENV)/bin/nightleaf init
	$(VENV)/bin/nightleaf serve

system-deps:
	@bash scripts/system-deps.sh

test: $(TESTS) system-deps
	$(PY) -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

test-fast: $(TESTS)
	$(PY) -m pytest -q -m "not pg and not e2e and not slow" $(PYTEST_ARGS)

# each tool runs even when an earlier one fails, so one run shows every broken rule
lint: $(TESTS)
	@status=0; \
	$(VENV)/bin/ruff check src tests bench tools || status=1; \
	$(VENV)/bin/mypy || status=1; \
	$(VENV)/bin/lint-imports || status=1; \
	exit $$status

BENCHMARKS := bench/knowledge_load.py bench/summary_window.py bench/web_dashboard.py \
	bench/import_apple_health.py bench/cli_start.py

bench: $(TESTS)
	$(PY) -m pip install --quiet -e '.[test,bench]'
	@for b in $(BENCHMARKS); do echo "== $$b"; PYTHONPATH=src:. $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache artifacts
