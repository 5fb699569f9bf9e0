# Two commands: `make run` and `make test`. Both start from nothing but Python 3.11 and make.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check
# Everything that ends up in the installed package: a change reinstalls it.
SOURCES := pyproject.toml README.md $(shell find kg ingest search_api ontology corpus -type f -not -path '*/__pycache__/*' 2>/dev/null)

.PHONY: run test lint clean help

help:  ## list the targets
	@grep -E '^[a-z]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

run: $(VENV)/.project  ## install, build a release if none exists, and serve it on :8000
	$(BIN)/normgraph build --if-missing
	$(BIN)/normgraph info
	$(BIN)/normgraph serve --host 127.0.0.1 --port 8000

test: $(VENV)/.project $(VENV)/.test-deps  ## install with test extras and run lint, layer contract and pytest
	$(BIN)/ruff check kg ingest search_api tests bench
	$(BIN)/lint-imports
	$(BIN)/pytest

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# torch first and pinned, so that no resolver step can pull a multi-GB CUDA build.
$(VENV)/.deps: pyproject.toml | $(BIN)/python
	$(PIP) install torch==2.13.0
	$(PIP) install .
	touch $@

$(VENV)/.test-deps: $(VENV)/.deps
	$(PIP) install ".[test]"
	touch $@

# A non-editable install of this checkout, refreshed whenever a shipped file changes.
$(VENV)/.project: $(VENV)/.deps $(SOURCES)
	$(PIP) install --no-deps --force-reinstall .
	touch $@

clean:  ## remove the virtual environment and local releases
	rm -rf $(VENV) var build dist
