# engagement-briefings: the two commands a newcomer needs are `make briefing` and
# `make test`; both create the virtual environment on first use. `make check` is the
# quick loop while editing (lint and the unit tests).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PERIOD ?=
START ?=
JOBS ?=
PDF ?=
FORCE ?=
# DATA=<folder>: another data folder (raw/ and processed/, like data/); OUT=<folder>: where
# its briefings go (default outputs/).
DATA ?=
OUT ?=
DATA_OPTION = $(if $(DATA),--data "$(DATA)")
RUN_OPTIONS = $(DATA_OPTION) $(if $(OUT),--out "$(OUT)") \
	$(if $(filter 1 yes true,$(PDF)),--pdf) $(if $(filter 1 yes true,$(FORCE)),--force)
# The fictional second force (tools/example_force.py): its data folder and its briefings.
EXAMPLE := data/example
UV_VERSION := 0.13.9
KERNEL := engagement-briefings
AXE := node_modules/axe-core/axe.min.js
# The briefing template for plain `jupyter nbconvert --template engagement-briefing`:
# installed by the set-up itself (with the configuration that names it), and again when
# its installer changes.
NBTEMPLATE := $(VENV)/share/jupyter/nbconvert/templates/engagement-briefing

.PHONY: help setup data processed briefing briefings example lab check test lint format lock clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s)" % sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip sync --quiet --compile-bytecode --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (engagement-briefings)" >/dev/null
	$(BIN)/python -m helpers.briefing.kernel >/dev/null
	$(BIN)/python -m helpers.briefing.nbconvert_template >/dev/null
	@touch $@

$(NBTEMPLATE): $(STAMP) src/helpers/briefing/nbconvert_template.py
	$(BIN)/python -m helpers.briefing.nbconvert_template >/dev/null

setup: $(STAMP) $(NBTEMPLATE)  ## create .venv and install the project (done by the other targets)

data: $(STAMP)  ## build data/processed/ from data/raw/ (DATA=<folder>: another data folder)
	$(BIN)/engagement data $(DATA_OPTION)

# data/processed/ as `make data` builds it, but only when the raw files (names and
# contents) are not those the table was built from: its fingerprint says so.
processed: $(STAMP)
	@$(BIN)/engagement data $(DATA_OPTION) --if-changed

briefing: processed  ## briefings for PERIOD (default: latest with data); PDF=1 board paper, FORCE=1 rebuild, DATA=<folder>
	$(BIN)/engagement run $(if $(PERIOD),--period $(PERIOD)) $(if $(START),--start $(START)) $(RUN_OPTIONS)

briefings: processed  ## every period with data; only those whose inputs changed are rebuilt
	$(BIN)/engagement run --all $(if $(JOBS),--jobs $(JOBS)) $(RUN_OPTIONS)

example: $(STAMP)  ## the fictional example force: data/example/ (written once), its latest briefing in outputs/example/
	@test -d $(EXAMPLE)/raw || $(BIN)/python -m tools.example_force $(EXAMPLE)
	@$(MAKE) --no-print-directory briefing DATA=$(EXAMPLE) OUT=outputs/example

# JupyterLab rooted at the project (so outputs/ opens too), showing notebooks/ first.
# LAB_ARGS passes options through: make lab LAB_ARGS="--no-browser --port=8890 --allow-root"
LAB_ARGS ?=
lab: $(STAMP) $(NBTEMPLATE)  ## JupyterLab at the project root, notebooks/ first; LAB_ARGS="--port=8890 --no-browser"
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/notebooks $(LAB_ARGS)

lint: $(STAMP)  ## ruff lint + format check, notebooks free of outputs
	$(BIN)/ruff check src tests benchmarks notebooks tools
	$(BIN)/ruff format --check src tests benchmarks notebooks tools
	$(BIN)/python -m tools.nbcheck notebooks

format: $(STAMP)  ## apply ruff fixes and formatting, strip notebook outputs
	$(BIN)/ruff check --fix src tests benchmarks notebooks tools
	$(BIN)/ruff format src tests benchmarks notebooks tools
	$(BIN)/nbstripout notebooks/*.ipynb

# The unit tests: no kernel, notebook, Chromium or whole pipeline (those are under
# tests/pipeline/ and tests/browser/, or marked `pipeline`, `browser` or `slow`).
UNIT := tests/unit -m "not pipeline and not browser and not slow"

check: lint processed  ## the edit loop: lint and the unit tests (under a minute; make test before a merge)
	$(BIN)/python -m pytest -n auto -q $(UNIT)

test: lint processed  ## the whole suite: lint, unit tests, notebook, pipeline and browser tests
	$(BIN)/python -m pytest -n auto --dist loadgroup

# axe-core for the browser tests' accessibility checks (npm, pinned by package-lock.json).
$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund && touch $@; \
	else echo "npm not found: the browser tests will be skipped (and fail in CI)"; fi

test: $(AXE) $(NBTEMPLATE)

lock:  ## re-pin requirements.lock after changing pyproject.toml
	$(BIN)/uv pip compile --quiet --python-version 3.11 --extra dev pyproject.toml -o requirements.lock

clean:  ## delete everything regenerable (processed data, outputs, the example force)
	find data/processed outputs -mindepth 1 ! -name README.md -exec rm -rf {} +
	rm -rf $(EXAMPLE)
