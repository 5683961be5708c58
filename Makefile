# Two commands do all set-up: `make run` and `make test`. See README.md.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# The tool that compiles the lock files (`make lock`), pinned so every lock is made alike.
UV_VERSION := 0.13.8
PIP_VERSION := 26.3

# The task worker (emails, backups: every queue), and the HTTP cache's purges on a queue
# of their own, polled often, so a publish shows at once whatever the worker is doing.
WORKER := $(BIN)/python manage.py db_worker --backend outbox --queue-name '*'
PURGER := $(BIN)/python manage.py db_worker --backend outbox --queue-name purge --interval 0.2

.PHONY: run test lint format check worker clean bench bench-import loadtest lighthouse lock secrets fonts

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet pip==$(PIP_VERSION)

# Installs exactly the lock files' versions, each checked against its hash.
$(VENV)/.installed: $(BIN)/python requirements.lock
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	touch $@

$(VENV)/.installed-dev: $(BIN)/python requirements-dev.lock
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@ $(VENV)/.installed

## After changing requirements.txt or requirements-dev.txt: compile both lock files (hashes
## for every platform). Upgrade one package: make lock UPGRADE="--upgrade-package NAME".
lock: $(BIN)/python
	$(BIN)/pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes $(UPGRADE) \
	  requirements.txt -o requirements.lock
	$(BIN)/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes $(UPGRADE) \
	  requirements-dev.txt -o requirements-dev.lock

## Write SECRET_KEY, FIELD_ENCRYPTION_KEYS and POSTGRES_PASSWORD into .env (mode 600)
## where missing, never replacing one; ARGS="SITE_DOMAIN=... ADMINS=..." sets others.
secrets:
	python3 deploy/make_env.py $(ARGS)

## Serve the site with demo content at http://$(HOST):$(PORT) (SQLite unless DATABASE_URL is set).
run: export DEBUG ?= 1
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	@# Refuses (and the site still starts) when the database holds your own content.
	$(BIN)/python manage.py load_demo || echo "Demo content not loaded (see above)."
	$(BIN)/python manage.py sync_site
	$(BIN)/python manage.py purge_requests --schedule
	$(BIN)/python manage.py send_reminders --schedule
	$(BIN)/python manage.py schedule_tasks
	$(BIN)/python manage.py ensure_local_admin
	@echo "Background workers (emails, purges) start with the site; the site is at http://$(HOST):$(PORT)/"
	$(WORKER) & worker=$$!; $(PURGER) & purger=$$!; \
	  trap 'kill $$worker $$purger 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/python manage.py runserver $(HOST):$(PORT)

# axe-core, injected into pages by the browser tests, from package-lock.json.
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the browser tests (tests/e2e) will be skipped"; fi

## Run the whole suite (on PostgreSQL when DATABASE_URL is set). The browser tests
## (tests/e2e: Chromium, axe-core, screenshots in test-artifacts/) run last, in their own
## process; a step that selects no test (exit code 5) is not a failure.
test: $(VENV)/.installed-dev $(AXE)
	$(BIN)/pytest -m "not e2e" $(PYTEST_ARGS) || [ $$? -eq 5 ]
	$(BIN)/pytest -m e2e $(PYTEST_ARGS) || [ $$? -eq 5 ]

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Django's own checks, migrations in sync.
check: export DEBUG ?= 1
check: $(VENV)/.installed
	$(BIN)/python manage.py makemigrations --check --dry-run

## Load benchmark: every page type with wrk, with and without the page cache (bench/run.py),
## then through Varnish (bench/varnish.py).
bench: $(VENV)/.installed
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python -m bench.run
	@command -v varnishd >/dev/null || (apt-get update -qq && apt-get install -y -qq varnish)
	$(BIN)/python -m bench.varnish

## WordPress import: a generated 2,000-post export, timed, with peak memory (bench/wordpress_import.py).
bench-import: $(VENV)/.installed-dev
	$(BIN)/python -m bench.wordpress_import

## Booking form under load: 50 clients for 30 s; every accepted request stored, no 5xx (bench/loadtest.py).
loadtest: $(VENV)/.installed-dev
	$(BIN)/python -m bench.loadtest

## Lighthouse scores (mobile) of the home page, an article and the booking form.
lighthouse: $(VENV)/.installed node_modules/.installed
	$(BIN)/python -m bench.lighthouse

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq nodejs npm)
	@command -v $${CHROME_PATH:-chromium} >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	npm ci --no-audit --no-fund --silent || npm install --no-audit --no-fund --silent
	touch $@

# The web fonts, self-hosted: the Latin files of the @fontsource packages pinned in
# package-lock.json, copied into static files and committed (so `make run` and the Docker
# image need no npm). After changing a version: `make fonts` and commit the result; a test
# checks the committed files are the pinned package's.
FONTS := clinic/static/clinic/fonts
FONT_FILES := source-sans-3/files/source-sans-3-latin-400-normal.woff2 \
	source-sans-3/files/source-sans-3-latin-600-normal.woff2 \
	fraunces/files/fraunces-latin-600-normal.woff2
fonts: node_modules/.installed
	mkdir -p $(FONTS)
	for file in $(FONT_FILES); do cp node_modules/@fontsource/$$file $(FONTS)/; done
	cp node_modules/@fontsource/source-sans-3/LICENSE $(FONTS)/source-sans-3-LICENSE.txt
	cp node_modules/@fontsource/fraunces/LICENSE $(FONTS)/fraunces-LICENSE.txt

worker: $(VENV)/.installed
	$(PURGER) & purger=$$!; trap 'kill $$purger 2>/dev/null' EXIT INT TERM; $(WORKER)

clean:
	rm -rf $(VENV) staticfiles test-artifacts .pytest_cache node_modules
