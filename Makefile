# The course's entry points. On a fresh machine:
#   make lab    set up .venv and open the course in JupyterLab
#   make test   set up .venv (with the test tools) and run every test
# `make bench` prints the speed table; `make lint` runs ruff alone.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: lab test bench lint notebooks dashboard lecture grade handout clean

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

$(VENV)/.course-installed: $(VENV)/bin/python requirements.txt pyproject.toml requirements-lock.txt
	$(BIN)/python -m pip install --quiet -c requirements-lock.txt -r requirements.txt -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.course-installed requirements-dev.txt deploy/requirements-hub.txt requirements-instructor.txt
	$(BIN)/python -m pip install --quiet -c requirements-lock.txt -r requirements-dev.txt
	touch $@

$(AXE): tests/browser/package.json
	npm install --silent --no-audit --no-fund --prefix tests/browser
	touch $@

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis

# --- The course hub (docs/deploying.md) ---------------------------------------------------------
# JupyterLab's settings for the course (no "news?" prompt): installed beside JupyterLab itself.
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json
$(VENV)/.course-installed: $(LAB_OVERRIDES)
$(LAB_OVERRIDES): deploy/image/overrides.json $(VENV)/bin/python
	install -D -m 644 $< $@

# The hub's proxy, configurable-http-proxy, from npm into .venv (the hub test needs it).
HUB_PROXY := $(VENV)/proxy/node_modules/.bin/configurable-http-proxy
test: $(HUB_PROXY)
$(HUB_PROXY): deploy/proxy/package.json deploy/proxy/package-lock.json
	mkdir -p $(VENV)/proxy
	cp deploy/proxy/package.json deploy/proxy/package-lock.json $(VENV)/proxy/
	cd $(VENV)/proxy && npm ci --no-audit --no-fund --loglevel=error
	touch $@

.PHONY: lock release class-link capacity
# Re-resolve the semester's exact versions after a requirement changed (tools/lock.py).
lock: $(VENV)/bin/python
	$(BIN)/python tools/lock.py

# The student release: the course without solutions, tests or instructor material, committed to
# the branch `student` (push it; the class link points at it). RELEASE_DIR=folder writes a folder.
release: $(VENV)/.course-installed
	$(BIN)/python tools/release.py $(if $(RELEASE_DIR),--into $(RELEASE_DIR),--branch student)

# The nbgitpuller link students click: make class-link HUB=https://hub.example.edu REPO=https://...
class-link: $(VENV)/bin/python
	$(BIN)/python tools/class_link.py $(HUB) $(REPO) $(if $(BRANCH),--branch $(BRANCH),)

# Memory, CPU and start-up time per student on a loopback hub (the table in docs/deploying.md).
capacity: $(VENV)/.dev-installed $(HUB_PROXY)
	$(BIN)/python tests/hub/capacity.py

# The instructors' toolkit (docs/instructors.md). It needs the course and requirements-instructor.txt
# (Voila, the slideshow extension), never the test stack.
$(VENV)/.instructor-installed: $(VENV)/.course-installed requirements-instructor.txt
	$(BIN)/python -m pip install --quiet -c requirements-lock.txt -r requirements-instructor.txt
	touch $@

# The instructors' dashboard: the explorers without the code, in Voila, on 127.0.0.1 only.
# --token: a random token, printed in the address to open (or $$JUPYTER_TOKEN if set; never
# on the command line, where `ps` shows it). Every cell is bounded: Voila's executor can miss a
# kernel's reply and would wait for ever; after DASHBOARD_TIMEOUT seconds (the slowest cell takes
# ~4 s) it interrupts the kernel, records an error for that cell and goes on with the next, so
# the page still renders. The kernel of a closed page is stopped once it has been idle for
# DASHBOARD_CULL seconds (each page load starts a kernel of ~120 MB).
DASHBOARD_PORT    ?= 8866
DASHBOARD_TIMEOUT ?= 20
DASHBOARD_CULL    ?= 120
DASHBOARD_FLAGS   ?=
dashboard: $(VENV)/.instructor-installed
	$(BIN)/voila notebooks/instructor_dashboard.ipynb --Voila.ip=127.0.0.1 --port=$(DASHBOARD_PORT) \
		--token --VoilaExecutor.timeout=$(DASHBOARD_TIMEOUT) --ExecutePreprocessor.timeout=$(DASHBOARD_TIMEOUT) \
		--VoilaExecutor.interrupt_on_timeout=True --VoilaExecutor.allow_errors=True \
		'--VoilaExecutor.error_on_timeout={"ename": "CellTimeoutError", "evalue": "no reply from the kernel", "traceback": []}' \
		--MappingKernelManager.cull_idle_timeout=$(DASHBOARD_CULL) --MappingKernelManager.cull_interval=$(shell \
		echo $$(( $(DASHBOARD_CULL) / 4 > 1 ? $(DASHBOARD_CULL) / 4 : 1 ))) \
		--MappingKernelManager.cull_connected=False $(DASHBOARD_FLAGS)

# The lecture as slides: JupyterLab at notebooks/lecture_50min.ipynb; Run All, then the
# notebook toolbar's slideshow button (jupyterlab-slideshow).
lecture: $(VENV)/.instructor-installed
	$(BIN)/jupyter lab --ip=127.0.0.1 $(ALLOW_ROOT) notebooks/lecture_50min.ipynb

# Grade a folder of submitted notebooks: make grade SUBMISSIONS=path/to/folder
# (grades.csv and grades.png in the current folder; tools/grade.py --help for the limits).
SUBMISSIONS ?= submissions
grade: $(VENV)/.course-installed
	$(BIN)/python tools/grade.py $(SUBMISSIONS) --out grades.csv

# The handout of the derivation (HTML printed to PDF by Chromium): handout/lecture_50min.pdf.
handout: $(VENV)/.instructor-installed
	$(BIN)/python tools/handout.py
