# Practice CMS. `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Local absolute URLs (canonical, API, the printed admin link) follow HOST and PORT.
export PUBLIC_BASE_URL ?= http://$(HOST):$(PORT)

.DEFAULT_GOAL := help
.PHONY: help install run test lint format migrate demo clean worker publish-scheduled scheduler

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed ## Create .venv and install pinned requirements

migrate: install ## Apply database migrations
	$(PY) manage.py migrate --noinput

demo: migrate ## Load the demo content (idempotent) and make sure an admin user exists
	$(PY) manage.py load_demo_content
	$(PY) manage.py ensure_admin

run: migrate ## Run the CMS with demo content on http://$(HOST):$(PORT)/ (admin at /admin/)
	@$(PY) manage.py load_demo_content
	@# The dev server, the task worker (webhooks, CDN purges, index updates) and the scheduler
	@# (scheduled publishing) side by side; the last lines printed are the URLs and the login.
	@$(PY) -m cms.devrun --host $(HOST) --port $(PORT)

worker: migrate ## Run the background task worker (webhook deliveries, CDN purges)
	$(PY) manage.py db_worker --queue-name '*'

publish-scheduled: migrate ## Publish and expire scheduled pages now
	$(PY) manage.py publish_scheduled

scheduler: migrate ## Run the periodic jobs (SCHEDULED_COMMANDS) in a loop, as `make run` does
	$(PY) manage.py run_scheduler

test: install ## Run the test suite (SQLite, or DATABASE_URL when set)
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/pytest

lint: install ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean: ## Remove the venv and everything under var/ (database, media)
	rm -rf $(VENV) var

# Benchmark (bench/, results in docs/benchmarks.md). Needs wrk (Debian package, installed here).
.PHONY: bench bench-scale bench-tools
N ?= 1000
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/5
BENCH_ARGS ?=

bench-tools:
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk; }

bench: install bench-tools ## Load the API and pages vs Wagtail API v2 and a static file (N=1000), record results
	BENCH_REDIS_URL=$(BENCH_REDIS_URL) $(PY) -m bench.run --articles $(N) --command "make bench N=$(N)" $(BENCH_ARGS)

bench-scale: install bench-tools ## Cold list/topic/search latency at N=1000 vs N=10000, record results
	$(PY) -m bench.run --scale 10000 --command "make bench-scale" $(BENCH_ARGS)

# --- End-to-end browser tests (e2e/, README "End-to-end tests") ------------------------------
# Debian's Chromium (Playwright's own browser download is not used), Playwright for Python
# (requirements-e2e.txt) and axe-core from npm, all installed here so a fresh machine needs
# nothing else. Screenshots land in var/e2e/artifacts/.
AXE_CORE_VERSION := 4.14.1
E2E_VAR := var/e2e
CHROMIUM ?= /usr/bin/chromium
.PHONY: e2e e2e-deps

$(BIN)/.e2e-installed: $(BIN)/.installed requirements-e2e.txt
	$(PY) -m pip install --quiet -r requirements-e2e.txt
	touch $@

$(E2E_VAR)/.axe-core-$(AXE_CORE_VERSION):
	mkdir -p $(E2E_VAR)
	npm install --prefix $(E2E_VAR) --save-exact --no-audit --no-fund --loglevel=error axe-core@$(AXE_CORE_VERSION)
	touch $@

e2e-deps: $(BIN)/.e2e-installed $(E2E_VAR)/.axe-core-$(AXE_CORE_VERSION) ## Install Chromium (apt), Playwright, axe-core
	@test -x $(CHROMIUM) || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; }

e2e: e2e-deps ## Browser tests: editor in the admin, reader on the site, screenshots, axe-core
	$(BIN)/pytest e2e

# --- Robustness and security (README "Robustness and security", docs/reliability.md) ---------
.PHONY: fuzz audit-deps reliability
FUZZ_EXAMPLES ?= 1000
RELIABILITY_ARGS ?=

fuzz: install ## Long schema fuzzing run: FUZZ_EXAMPLES (1000) generated requests per API operation
	DJANGO_SETTINGS_MODULE=cms.settings.test FUZZ_MAX_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest tests/fuzz

audit-deps: install ## pip-audit the pinned requirements (needs PyPI's vulnerability data online)
	$(BIN)/pip-audit --strict --progress-spinner off -r requirements.txt -r requirements-dev.txt

reliability: install ## Load + fault tests on PostgreSQL and a private Redis (~4 min), recorded in docs/reliability.md
	$(PY) -m reliability.run --record $(RELIABILITY_ARGS)

# --- Rendered site: Lighthouse (README "Rendered site and SEO"); not in CI ------------------
.PHONY: audit
LIGHTHOUSE_VERSION := 12.2.3
AUDIT_DIR := var/audit

$(AUDIT_DIR)/.lighthouse-$(LIGHTHOUSE_VERSION):
	command -v npm >/dev/null || (apt-get update && apt-get install -y nodejs npm)
	mkdir -p $(AUDIT_DIR)
	test -f $(AUDIT_DIR)/package.json || echo '{"private": true}' > $(AUDIT_DIR)/package.json
	cd $(AUDIT_DIR) && npm install --save-exact --no-audit --no-fund lighthouse@$(LIGHTHOUSE_VERSION)
	touch $@

audit: install $(AUDIT_DIR)/.lighthouse-$(LIGHTHOUSE_VERSION) ## Lighthouse scores of home, blog index and demo article (SEO 100, a11y >= 95)
	test -x /usr/bin/chromium || (apt-get update && apt-get install -y chromium)
	CHROME_PATH=/usr/bin/chromium $(PY) audit/lighthouse.py
