# Two commands: `make run` and `make test`. Both start from nothing but Python 3.11 and make.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check
# Everything that ends up in the installed package: a change reinstalls it.
SOURCES := pyproject.toml README.md $(shell find kg ingest search_api ontology corpus -type f -not -path '*/__pycache__/*' -not -path 'search_api/static/vendor/*' 2>/dev/null)
# Front-end libraries (YASGUI, cytoscape.js; axe-core for the browser tests), pinned by
# package-lock.json, installed by `npm ci` and copied into the package's static files.
VENDOR := search_api/static/vendor/manifest.json
# pytest processes (pytest-xdist), each given whole test files so module fixtures start once.
TEST_WORKERS ?= 2

.PHONY: run test lint clean help vendor browser front engines

help:  ## list the targets
	@grep -E '^[a-z]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

run: $(VENV)/.project front  ## install, build a release if none exists, and serve it on :8000 behind nginx
	$(BIN)/normgraph build --if-missing
	$(BIN)/normgraph info
	$(BIN)/normgraph serve --host 127.0.0.1 --port 8000 --front

test: $(VENV)/.project $(VENV)/.test-deps browser front engines  ## install with test extras and run lint, layer contract and pytest
	$(BIN)/ruff check kg ingest search_api tests bench
	$(BIN)/ruff format --check kg ingest search_api tests bench
	$(BIN)/lint-imports
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

vendor: $(VENDOR)  ## install the front-end libraries from package-lock.json into search_api/static/vendor/

$(VENDOR): package.json package-lock.json vendor.mjs
	npm ci --ignore-scripts --no-audit --no-fund
	node vendor.mjs

# The browser tests drive Debian's Chromium; install it when it is missing (root, apt).
browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# `normgraph serve --front` puts Debian's nginx in front of the workers; install it when missing.
front:
	@test -x /usr/sbin/nginx || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light; }

# The external-engine tests start Debian's Virtuoso (and the oxigraph CLI from the test extras).
engines:
	@test -x /usr/bin/virtuoso-t || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource; }

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
$(VENV)/.project: $(VENV)/.deps $(SOURCES) $(VENDOR)
	$(PIP) install --no-deps --force-reinstall .
	touch $@

clean:  ## remove the virtual environment and local releases
	rm -rf $(VENV) var build dist node_modules search_api/static/vendor test-artifacts
