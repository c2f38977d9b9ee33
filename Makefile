# Mist: `make run` sets up and serves the platform; `make test` sets up and runs every check.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PORT ?= 8000
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
PY := .venv/bin/python
MANAGE := $(PY) manage.py
PG_TEST_URL ?= $(DATABASE_URL)

.PHONY: help setup system-deps system-deps-test assets serve run test lint fmt test-sqlite test-postgres test-browser messages demo bench

help:
	@echo "make run   - set up and run Mist on http://127.0.0.1:$(PORT) (SQLite, demo data)"
	@echo "make test  - set up and run lint, checks, tests on SQLite (+PostgreSQL if DATABASE_URL or one on 127.0.0.1:5432), browser tests"
	@echo "make serve - the production stack locally: granian, Celery worker and beat, DEBUG off (PostgreSQL, Redis)"

# Debian packages: installed with apt-get when root, else one line names the command to
# run. To run: Pango/HarfBuzz and fonts (WeasyPrint), pip and npm if absent; to test, also
# chromium, poppler-utils and gettext.
system-deps:
	@scripts/system_deps.sh run

system-deps-test:
	@scripts/system_deps.sh test

$(UV): | system-deps
	python3 -m pip install --quiet --user uv \
	  || python3 -m pip install --quiet --user --break-system-packages uv

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --quiet
	@touch $@

static/vendor/.installed: package.json package-lock.json | system-deps
	npm ci --no-audit --no-fund --silent
	mkdir -p static/vendor
	cp node_modules/bootstrap/dist/css/bootstrap.min.css static/vendor/
	cp node_modules/bootstrap/dist/css/bootstrap.min.css.map static/vendor/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js static/vendor/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map static/vendor/
	cp node_modules/axe-core/axe.min.js static/vendor/
	cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/dist/chart.umd.min.js.map static/vendor/
	mkdir -p static/vendor/leaflet
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images static/vendor/leaflet/
	@touch $@

# Front-end assets (Bootstrap, axe-core, Chart.js, Leaflet) from package-lock.json into
# static/vendor/, where collectstatic finds them.
assets: static/vendor/.installed

setup: system-deps .venv/.synced static/vendor/.installed
	@mkdir -p var

# The embedded default: SQLite under var/, tasks in a background thread, mail on the console.
RUN_ENV := DEBUG=true SECURE_COOKIES=false SITE_URL=http://127.0.0.1:$(PORT)

run: setup
	$(RUN_ENV) $(MANAGE) migrate --no-input
	$(RUN_ENV) $(MANAGE) seed_demo
	@echo "Mist is starting on http://127.0.0.1:$(PORT)/ — stop it with Ctrl+C"
	$(RUN_ENV) $(MANAGE) runserver 127.0.0.1:$(PORT)

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

fmt: setup
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

test-sqlite: setup system-deps-test
	env -u DATABASE_URL .venv/bin/pytest -n 2 -q

# DATABASE_URL, or else the PostgreSQL answering on 127.0.0.1:5432 (database `mist`).
PG_LOCAL_URL := postgres://postgres@127.0.0.1:5432/mist

test-postgres: setup system-deps-test
	@url="$(PG_TEST_URL)"; \
	if [ -z "$$url" ] && command -v pg_isready >/dev/null && pg_isready -h 127.0.0.1 -p 5432 -q; then \
	  psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='mist'" | grep -q 1 \
	    || psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE mist"; \
	  url="$(PG_LOCAL_URL)"; \
	fi; \
	if [ -n "$$url" ]; then \
	  echo "== pytest on PostgreSQL"; DATABASE_URL="$$url" .venv/bin/pytest -n 2 -q; \
	else echo "== no DATABASE_URL and no PostgreSQL on 127.0.0.1:5432: PostgreSQL run skipped"; fi

test-browser: setup system-deps-test
	env -u DATABASE_URL .venv/bin/pytest -q -m browser tests/browser

test: system-deps-test lint test-sqlite test-postgres test-browser

messages: setup
	$(MANAGE) makemessages -l uk -l en --ignore=.venv --ignore=node_modules --no-obsolete
	# English msgids are the English text: copy them over (msgen), keeping the header.
	msgen --no-wrap locale/en/LC_MESSAGES/django.po -o locale/en/LC_MESSAGES/django.po
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules

demo: setup
	$(MANAGE) seed_demo

bench: setup
	@for f in bench/bench_*.py; do echo "== $$f"; $(PY) $$f; done

# The production stack on http://127.0.0.1:$(PORT): migrate, collectstatic with the manifest
# storage, granian (2 workers), a Celery worker and beat, DEBUG off; Ctrl+C stops them all.
serve: setup
	PORT=$(PORT) scripts/serve_production.sh
