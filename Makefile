# Stagebrug. On a fresh machine you need only two commands:
#   make run    install everything, prepare the database, load reference and demo data, serve
#   make test   install everything and run the whole test suite
# Other targets explain themselves in `make help`.

SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_COMPANIES ?= 300
DEMO_STUDENTS ?= 400
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_GET := $(shell command -v apt-get 2>/dev/null)
PIP_QUIET := --quiet --disable-pip-version-check

.DEFAULT_GOAL := help
.PHONY: help install system-deps python-deps node-deps messages browser db demo run test lint format bench clean

help: ## Show the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  \033[1m%-12s\033[0m %s\n", $$1, $$2}'

# gettext: translations; Pango, HarfBuzz and DejaVu fonts: WeasyPrint's PDFs (agreements);
# poppler-utils: the tests read the PDFs back (pdftotext, pdftoppm).
DEBIAN_PACKAGES := gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils

system-deps: ## Debian packages the project needs (translations, PDFs)
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ -n "$(APT_GET)" ]; then $(SUDO) apt-get install -y -q $$missing || ($(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q $$missing); \
	  else echo "Please install: $$missing"; exit 1; fi; fi

$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install $(PIP_QUIET) --upgrade pip 2>&1 | grep -E "^(ERROR|error)" || true
	$(BIN)/pip install $(PIP_QUIET) -r requirements-dev.txt 2>&1 | grep -E "^(ERROR|error)" || true
	$(BIN)/pip install $(PIP_QUIET) --no-deps -e . 2>&1 | grep -E "^(ERROR|error)" || true
	@$(PY) -c "import django, playwright, numba, scipy, weasyprint, stagebrug" || (echo "Python packages failed to install"; exit 1)
	@touch $@

python-deps: $(VENV)/.installed ## Python packages into .venv (pinned in requirements*.txt)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

node-deps: node_modules/.installed ## Front-end packages from npm (htmx, NL Design System CSS, Chart.js)

messages: python-deps system-deps ## Compile the Dutch and English translations
	cd stagebrug && ../$(PY) ../manage.py compilemessages --ignore=.venv -v0

install: system-deps python-deps node-deps messages ## Install everything

browser: ## Chromium for the browser tests: Debian's package where apt-get exists, else Playwright's
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ -n "$(APT_GET)" ]; then $(SUDO) apt-get install -y -q chromium || ($(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium); \
	else $(BIN)/playwright install chromium; fi

db: install ## Create or migrate the database and load the reference data
	$(PY) manage.py migrate --no-input -v0
	$(PY) manage.py load_reference_data

demo: db ## Load demo data (only once) and print the demo logins
	$(PY) manage.py generate_demo_data --companies $(DEMO_COMPANIES) --students $(DEMO_STUDENTS) --if-empty
	$(PY) manage.py generate_round_demo --students 200 --if-empty
	$(PY) manage.py schedule_jobs

run: demo ## Install, prepare, and serve the site with a background worker at http://$(HOST):$(PORT)/
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl+C stops the site and the worker)"
	@$(PY) manage.py db_worker --interval 1 > var/worker.log 2>&1 & WORKER=$$!; \
	  trap "kill $$WORKER 2>/dev/null" EXIT INT TERM; \
	  $(PY) manage.py runserver --noreload $(HOST):$(PORT)

test: install browser ## Run the whole test suite (set DATABASE_URL to test on PostgreSQL)
	$(PY) manage.py makemigrations --check --dry-run -v0
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

lint: python-deps ## Check style with ruff
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: python-deps ## Format the code with ruff
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

bench: install ## Run the benchmarks (see bench/README.md)
	$(PY) bench/registry.py

clean: ## Remove the virtual environment, node_modules and local data
	rm -rf $(VENV) node_modules var
