# Strategy Tracker: the commands a developer needs. `make` (or `make help`) lists them.
# DATABASE_URL and REDIS_URL are read from the environment when set (see README.md).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
# VENV=... builds and uses another virtualenv (CI: `make stack` from requirements.txt alone).
VENV ?= .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
# Stamps: pip runs again only when a requirements file is newer than its stamp.
RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev

HOST ?= 127.0.0.1
PORT ?= 8000
OFFICES ?= 40
SEED ?= 2019
SCALE ?= 1
PYTEST_ARGS ?=
# What makemessages leaves out: the tests, the benchmark, the vendored libraries, the virtualenv.
MAKEMESSAGES_IGNORE := --ignore '$(VENV)/*' --ignore 'tests/*' --ignore 'bench/*' \
	--ignore 'static/vendor/*' --ignore 'staticfiles/*' --ignore 'node_modules/*'

# Front-end libraries copied from npm (keep static/vendor/README.md in step).
BOOTSTRAP_VERSION := 5.3.9
CHARTJS_VERSION := 4.6.1
HTMX_VERSION := 2.0.8
# axe-core checks accessibility in the browser tests (tests/browser/test_accessibility_browser.py).
AXE_CORE_VERSION := 4.14.1
CHARTJS_GEO_VERSION := 4.3.6
WORLD_ATLAS_VERSION := 2.0.2

.PHONY: help run test lint format migrate seed messages translations vendor stack bench worker beat oidc-demo clean distclean

help: ## List the commands
	@echo "Strategy Tracker. Usage: make <command>"
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(PY):
	$(PYTHON) -m venv $(VENV)

$(RUNTIME_STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(RUNTIME_STAMP)

run: $(RUNTIME_STAMP) messages ## Install, migrate, load the strategy, seed the demo once, serve on http://127.0.0.1:8000
	$(MANAGE) migrate --noinput
	$(MANAGE) load_strategy
	$(MANAGE) seed_demo --if-empty --offices $(OFFICES) --seed $(SEED)
	$(MANAGE) rollup --if-empty
	@echo
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C stops it)."
	@# Long work (exports, rebuilds, Excel confirmations) runs in a Celery worker beside the
	@# server, with beat for the periodic sweeps: on REDIS_URL when set, else on a broker of
	@# files in var/celery/ that needs no server (README: "Background work").
	@if [ -z "$${REDIS_URL:-}" ]; then export CELERY_BROKER_URL=filesystem://; \
		echo "Background work: a Celery worker on a local file broker (var/celery/)."; \
	else echo "Background work: a Celery worker on REDIS_URL."; fi; \
	mkdir -p var; $(VENV)/bin/celery -A strategy_tracker worker --beat --loglevel=warning \
		--queues=quick,long --concurrency=2 --schedule=var/celerybeat-schedule & \
	worker=$$!; trap "kill $$worker 2>/dev/null" EXIT; \
	$(MANAGE) runserver $(HOST):$(PORT)

stack: $(RUNTIME_STAMP) ## The production stack without containers: gunicorn, a worker per queue, beat (needs DATABASE_URL, REDIS_URL, SECRET_KEY)
	PATH="$(abspath $(VENV))/bin:$$PATH" PORT=$(PORT) bin/entrypoint stack

test: $(DEV_STAMP) messages ## Run the test suite (SQLite, or PostgreSQL when DATABASE_URL is set)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(DEV_STAMP) ## Check the code: ruff (lint and format) and the import layers (.importlinter)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(DEV_STAMP) ## Fix what ruff can fix and format the code
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The French and Spanish catalogues: locale/<lang>/LC_MESSAGES/django.po are kept in git, the
# compiled .mo files are not (msgfmt, from the gettext package, compiles them).
messages: $(RUNTIME_STAMP) ## Compile the translations (locale/*/LC_MESSAGES/django.po into .mo)
	$(MANAGE) compilemessages --ignore '$(VENV)/*' -v 0

translations: $(RUNTIME_STAMP) ## Collect new translatable strings into locale/fr and locale/es (then translate them)
	$(MANAGE) makemessages -l fr -l es --no-obsolete --add-location file $(MAKEMESSAGES_IGNORE)
	@echo "Translate the new or fuzzy entries in locale/*/LC_MESSAGES/django.po (see locale/GLOSSARY.md)."

migrate: $(RUNTIME_STAMP) ## Apply the database migrations
	$(MANAGE) migrate --noinput

seed: $(RUNTIME_STAMP) ## Replace the demo data (OFFICES=40 SEED=2019)
	$(MANAGE) migrate --noinput
	$(MANAGE) load_strategy
	$(MANAGE) seed_demo --offices $(OFFICES) --seed $(SEED)

vendor: ## Copy the front-end libraries again from the npm registry
	rm -rf $(VENV)/vendor-tmp && mkdir -p $(VENV)/vendor-tmp
	cd $(VENV)/vendor-tmp && npm pack --silent bootstrap@$(BOOTSTRAP_VERSION) \
		chart.js@$(CHARTJS_VERSION) htmx.org@$(HTMX_VERSION) axe-core@$(AXE_CORE_VERSION) \
		chartjs-chart-geo@$(CHARTJS_GEO_VERSION) world-atlas@$(WORLD_ATLAS_VERSION) >/dev/null
	cd $(VENV)/vendor-tmp && for tgz in *.tgz; do \
		mkdir "$${tgz%.tgz}" && tar -xzf "$$tgz" -C "$${tgz%.tgz}" --strip-components=1; done
	mkdir -p static/vendor/bootstrap static/vendor/chartjs static/vendor/htmx static/vendor/axe-core \
		static/vendor/chartjs-chart-geo static/vendor/world-atlas
	cd $(VENV)/vendor-tmp/bootstrap-$(BOOTSTRAP_VERSION) && cp LICENSE \
		dist/css/bootstrap.min.css dist/css/bootstrap.min.css.map \
		dist/js/bootstrap.bundle.min.js dist/js/bootstrap.bundle.min.js.map \
		$(CURDIR)/static/vendor/bootstrap/
	cd $(VENV)/vendor-tmp/chart.js-$(CHARTJS_VERSION) && cp LICENSE.md \
		dist/chart.umd.min.js dist/chart.umd.min.js.map $(CURDIR)/static/vendor/chartjs/
	cd $(VENV)/vendor-tmp/htmx.org-$(HTMX_VERSION) && cp LICENSE dist/htmx.min.js \
		$(CURDIR)/static/vendor/htmx/
	cd $(VENV)/vendor-tmp/axe-core-$(AXE_CORE_VERSION) && cp LICENSE LICENSE-3RD-PARTY.txt \
		axe.min.js $(CURDIR)/static/vendor/axe-core/
	cd $(VENV)/vendor-tmp/chartjs-chart-geo-$(CHARTJS_GEO_VERSION) && cp LICENSE \
		build/index.umd.min.js build/index.umd.min.js.map $(CURDIR)/static/vendor/chartjs-chart-geo/
	cd $(VENV)/vendor-tmp/world-atlas-$(WORLD_ATLAS_VERSION) && cp LICENSE countries-110m.json \
		$(CURDIR)/static/vendor/world-atlas/
	rm -rf $(VENV)/vendor-tmp

bench: $(DEV_STAMP) ## Run the benchmark (SCALE=1; more options in BENCH_ARGS, e.g. --reuse)
	$(PY) bench/run.py --scale $(SCALE) $(BENCH_ARGS)

worker: $(RUNTIME_STAMP) ## Run a Celery worker (needs REDIS_URL)
	@[ -n "$${REDIS_URL:-}" ] || { echo "Set REDIS_URL (e.g. redis://127.0.0.1:6379/0); without it tasks run in the web process."; exit 1; }
	$(VENV)/bin/celery -A strategy_tracker worker --loglevel=info

beat: $(RUNTIME_STAMP) ## Run Celery beat, the scheduler of periodic tasks (needs REDIS_URL)
	@[ -n "$${REDIS_URL:-}" ] || { echo "Set REDIS_URL (e.g. redis://127.0.0.1:6379/0)."; exit 1; }
	$(VENV)/bin/celery -A strategy_tracker beat --loglevel=info --schedule=var/celerybeat-schedule

oidc-demo: ## Run the test OpenID Connect provider on 127.0.0.1:18150 for a local `make run`
	cd tests/oidc_provider && { [ -d node_modules ] || npm ci --no-audit --no-fund; }
	@echo "In another shell: OIDC_ISSUER=http://127.0.0.1:18150 OIDC_CLIENT_ID=tracker-dev \\"
	@echo "  OIDC_CLIENT_SECRET=dev-secret OIDC_SCOPES='openid email profile' make run"
	@echo "Then sign in with any password as admin, hq, steering, reviewer, field or newcomer."
	cd tests/oidc_provider && PORT=18150 CONTROL_TOKEN=$$(openssl rand -hex 16 2>/dev/null || echo local) \
		DEV_CLIENT_ID=tracker-dev DEV_CLIENT_SECRET=dev-secret node provider.mjs

clean: ## Remove caches and collected static files (keeps .venv and db.sqlite3)
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -exec rm -rf {} +
	rm -rf .pytest_cache .ruff_cache staticfiles test-results

distclean: clean ## Also remove the virtualenv and the SQLite database
	rm -rf $(VENV) db.sqlite3
