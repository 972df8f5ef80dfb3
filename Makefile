# The README's two commands are `make run` and `make test`. Both set up a fresh
# machine themselves: a virtual environment in .venv, the Python packages, and
# (for the browser tests) Debian's chromium and axe-core from the npm registry
# (package-lock.json pins it; the accessibility checks inject it into each page), and
# (for the storage and deployment tests, which start their own throw-away servers)
# Debian's postgresql, redis-server and nginx.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Strict editable mode links the source tree into site-packages so that mypy
# (which cannot follow setuptools' import hook) type-checks the installed names.
EDITABLE := --config-settings editable_mode=strict

.PHONY: run test test-floors install install-test install-bench chromium axe services lint typecheck pytest docs bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e . $(EDITABLE)

install-test: $(BIN)/python axe
	$(BIN)/pip install -q -e '.[test,docs]' $(EDITABLE)

# The browser suite runs axe-core on every screen state it reaches.
axe:
	@if [ ! -f node_modules/axe-core/axe.min.js ]; then npm ci --no-audit --no-fund; fi

# Chromium and the fonts every shipped language needs on screen (CJK, Devanagari,
# Thai, Arabic, Hebrew): without them the screenshots show empty boxes.
BROWSER_PACKAGES := chromium fonts-dejavu-core fonts-noto-core fonts-noto-cjk
chromium:
	@missing=$$(for p in $(BROWSER_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && $$SUDO apt-get install -y -q $$missing; \
	fi

# One apt-get run for whichever of the three servers is missing. The tests start
# their own instances on loopback ports; the packages' own system services are
# not needed by them.
services:
	@missing=""; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || missing="$$missing redis-server"; \
	command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$$missing nginx"; \
	if [ -n "$$missing" ]; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && $$SUDO apt-get install -y -q $$missing; \
	fi

run: install
	$(BIN)/nicegui-authenticator serve $(ARGS)

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	$(BIN)/mypy --strict -p nicegui_authenticator
	$(BIN)/mypy --strict tools

pytest:
	$(BIN)/pytest $(PYTEST_ARGS)

# One test process per core (pytest-xdist); a file stays on one process so its
# module fixtures (servers, databases) start once. PARALLEL= runs in one process.
PARALLEL ?= -n auto --dist loadfile

# The documentation site, strict: a broken link, a missing include or a docstring
# mkdocstrings cannot read fails the build (mkdocs.yml says strict: true).
docs:
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

test: install-test chromium services lint typecheck docs
	$(BIN)/pytest $(PARALLEL) --cov=nicegui_authenticator --cov-report=term $(PYTEST_ARGS)

# Every runtime dependency at exactly its declared floor (tools/floors.py reads
# pyproject.toml), in a venv of its own, running the suites that need no browser:
# a lower bound that is not tested is only a hope. Installed editable like .venv,
# so tests/test_packaging.py sees the same layout in both runs.
FLOORS_VENV := .venv-floors
test-floors:
	rm -rf $(FLOORS_VENV)
	$(PYTHON) -m venv $(FLOORS_VENV)
	$(FLOORS_VENV)/bin/pip install -q --upgrade pip packaging
	$(FLOORS_VENV)/bin/python tools/floors.py > $(FLOORS_VENV)/constraints.txt
	cat $(FLOORS_VENV)/constraints.txt
	$(FLOORS_VENV)/bin/pip install -q -c $(FLOORS_VENV)/constraints.txt -e '.[test]' $(EDITABLE)
	$(FLOORS_VENV)/bin/pip check
	$(FLOORS_VENV)/bin/pytest $(PARALLEL) -m "not browser" -p no:cacheprovider $(PYTEST_ARGS)

install-bench: $(BIN)/python
	$(BIN)/pip install -q -e '.[test,docs,bench]' $(EDITABLE)

# Every bench bounds its own time and needs no input; bench/benchkit/ holds their shared plumbing.
bench: install-bench chromium
	for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) $(FLOORS_VENV) node_modules build site *.egg-info .mypy_cache .pytest_cache .ruff_cache test-artifacts
