# nightleaf — two commands on a fresh machine:
#   make run    the local web app on http://127.0.0.1:8765 (SQLite journal in your data folder)
#   make test   the whole suite: unit, PostgreSQL and headless-Chromium tests
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run test test-fast lint bench venv system-deps clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "nightleaf needs Python 3.11 or newer")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $@

venv: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/nightleaf init
	$(VENV)/bin/nightleaf serve

system-deps:
	@bash scripts/system-deps.sh

test: $(STAMP) system-deps
	$(PY) -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(PY) -m pytest -q -m "not pg and not e2e and not slow" $(PYTEST_ARGS)

# each tool runs even when an earlier one fails, so one run shows every broken rule
lint: $(STAMP)
	@status=0; \
	$(VENV)/bin/ruff check src tests bench tools || status=1; \
	$(VENV)/bin/mypy || status=1; \
	$(VENV)/bin/lint-imports || status=1; \
	exit $$status

BENCHMARKS := bench/knowledge_load.py bench/summary_window.py bench/web_dashboard.py \
	bench/import_apple_health.py

bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,bench]'
	@for b in $(BENCHMARKS); do echo "== $$b"; PYTHONPATH=src:. $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache artifacts
