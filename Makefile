# Set-up and everyday commands. Every target installs what it needs into .venv (and js/node_modules) first.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
# The CPU build of torch, installed before anything that depends on torch so a range cannot pull a CUDA build.
TORCH_SPEC ?= torch==2.13.0
export NUMBA_CACHE_DIR ?= $(CURDIR)/.cache/numba
export GIFFUSION_CACHE ?= $(CURDIR)/.cache/giffusion-widgets
export MPLBACKEND ?= Agg

.PHONY: setup js js-deps demo test test-fast lint lab bench chromium screenshots clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet "$(TORCH_SPEC)"
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

setup: $(VENV)/.installed

js/node_modules/.installed: js/package.json js/package-lock.json
	cd js && npm ci --no-audit --no-fund --loglevel=error
	touch $@

js-deps: js/node_modules/.installed

# The bundle is committed (so a pip install from git needs no Node); this rebuilds it from js/src.
js: js/node_modules/.installed
	cd js && node build.mjs

chromium:
	@bash scripts/ensure-chromium.sh

demo: setup
	$(PY) -m giffusion_widgets.cli demo --out runs

# Tests build the bundle into a temporary folder and compare it with the committed one, so they never rebuild it.
test: setup js-deps chromium
	$(PY) -m pytest -q -ra

test-fast: setup
	$(PY) -m pytest -q -m "not browser and not notebook"

# Also run by the tests (tests/test_lint.py), so CI fails on a lint error.
lint: setup js-deps
	$(VENV)/bin/ruff check .
	cd js && node_modules/.bin/biome lint

lab: setup js
	$(VENV)/bin/jupyter lab notebooks/quickstart.ipynb

bench: setup
	$(PY) benchmarks/run_all.py

screenshots: setup js chromium
	$(PY) scripts/make_screenshots.py

clean:
	rm -rf runs .pytest_cache test-artifacts
