# The course's entry points. On a fresh machine:
#   make lab    set up .venv and open the course in JupyterLab
#   make test   set up .venv (with the test tools) and run every test
# `make bench` prints the speed table; `make lint` runs ruff alone.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: lab test bench lint notebooks dashboard clean

# axe-core, which the browser tests inject into pages to audit accessibility (npm, no CDN)
AXE := tests/browser/node_modules/axe-core/axe.min.js

# As root (a container, WSL's default user) JupyterLab refuses to start without --allow-root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

lab: $(VENV)/.course-installed
	$(BIN)/jupyter lab --ip=127.0.0.1 $(ALLOW_ROOT) notebooks/00_start_here.ipynb

test: $(VENV)/.dev-installed $(AXE)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

bench: $(VENV)/.dev-installed
	$(BIN)/python -m benchmarks

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .

# Re-execute every notebook top to bottom from a fresh kernel and store its outputs.
notebooks: $(VENV)/.dev-installed
	$(BIN)/python tools/execute_notebooks.py

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' || \
		{ echo "The course needs Python 3.10 or newer; $(PYTHON) is $$($(PYTHON) --version)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.course-installed: $(VENV)/bin/python requirements.txt pyproject.toml
	$(BIN)/python -m pip install --quiet -r requirements.txt -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.course-installed requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

$(AXE): tests/browser/package.json
	npm install --silent --no-audit --no-fund --prefix tests/browser
	touch $@

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis

# The instructors' dashboard: the explorers without the code, in Voila.
dashboard: $(VENV)/.dev-installed
	$(BIN)/voila --Voila.ip=127.0.0.1 notebooks/instructor_dashboard.ipynb
