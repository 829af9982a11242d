# Two commands for a newcomer: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# PostgreSQL for the second test run (CI always; locally when a server answers).
TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/compact_process
# Debian packages the project needs: Chromium (browser tests), Noto fonts (Arabic and
# Chinese PDFs), gettext (translations), Java (the Nu HTML checker), wrk (throughput bench).
SYSTEM_PACKAGES := chromium fonts-noto-core fonts-noto-cjk gettext default-jre-headless wrk
# What `make run` itself needs: Pango and fontconfig for WeasyPrint, the Noto fonts for PDFs
# in Arabic, Chinese and Russian (the PDF worker refuses a PDF whose script has no font).
RUN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fontconfig fonts-noto-core fonts-noto-cjk

# Whether a Debian package is installed (not merely known: `dpkg -s` also succeeds for a
# package removed with its configuration kept).
installed = dpkg-query -W -f='$${Status}' $(1) 2>/dev/null | grep -q 'install ok installed'
.PHONY: run test bench lint messages setup system-deps check-system check-run-system clean

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found); set PYTHON=/path/to/python3.11"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

## system-deps: install the Debian packages (as root, or through sudo).
system-deps:
	@if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; else echo "Run as root: apt-get install $(SYSTEM_PACKAGES)"; exit 1; fi; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null

# Installs what is missing when it can (root); otherwise says what will be skipped.
check-system:
	@missing=""; for p in $(SYSTEM_PACKAGES); do $(call installed,$$p) || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then echo "Installing Debian packages:$$missing"; $(MAKE) --no-print-directory system-deps; \
	  else echo "NOTE: missing Debian packages:$$missing (run 'sudo make system-deps'); tests that need them will be skipped."; fi; \
	fi

# Before serving: installs what the app needs when it can (root), otherwise says, before
# the first page, which PDFs will be refused.
check-run-system:
	@missing=""; for p in $(RUN_PACKAGES); do $(call installed,$$p) || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ] && command -v dpkg >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian packages for PDFs:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive NEEDRESTART_MODE=a apt-get install -y -qq $$missing >/dev/null && echo "Installed:$$missing"; \
	  else \
	    echo "WARNING: missing Debian packages:$$missing"; \
	    echo "  PDFs whose script has no font installed (Arabic, Chinese, Russian) will be refused;"; \
	    echo "  without Pango no PDF at all. Install them: sudo make system-deps (or apt-get install$$missing)"; \
	  fi; \
	fi

## run: set up, migrate, seed, then serve on http://127.0.0.1:8000 with a Celery worker and beat
## (started again whenever it stops).
run: setup check-run-system
	@export DEBUG=1; \
	$(BIN)/python manage.py migrate --noinput && \
	$(BIN)/python manage.py seed_gcm && \
	$(BIN)/python manage.py check_mandate | tail -n 1; \
	$(BIN)/python manage.py create_demo_accounts; \
	if [ -n "$$REDIS_URL" ]; then echo "Celery broker: Redis at $$REDIS_URL"; else echo "Celery broker: embedded (files under var/celery-broker); set REDIS_URL to use Redis"; fi; \
	trap 'kill 0' EXIT INT TERM; \
	while :; do \
	  $(BIN)/celery -A compact_process worker --beat --pool=solo --loglevel=warning -Q celery,pdf \
	    --schedule var/celerybeat-schedule; \
	  echo "The Celery worker stopped (exit $$?): starting it again in 3 s"; sleep 3; \
	done & \
	echo "Open http://$(HOST):$(PORT)/ (Ctrl-C stops the web server and the worker)"; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## test: lint, migrations check, the suite on SQLite, then on PostgreSQL if one answers.
# The suite runs over every core (pytest-xdist; TEST_WORKERS=0 runs it in one process).
# Browser and worker tests run once: in the PostgreSQL run when there is one, else on SQLite.
TEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup
test: setup check-system
	@set -e; export DEBUG=0 SECRET_KEY=test-only-secret-key VAR_DIR=$$(mktemp -d); \
	trap 'rm -rf "$$VAR_DIR"' EXIT; \
	part() { echo "== $$1: $$2 s =="; }; \
	start=$$(date +%s); \
	$(BIN)/ruff check . ; \
	$(BIN)/ruff format --check --quiet . || { echo "ruff format would change files: run $(BIN)/ruff format ."; exit 1; }; \
	unset DATABASE_URL; $(BIN)/python manage.py makemigrations --check --dry-run >/dev/null || { echo "Model changes without a migration: run manage.py makemigrations"; exit 1; }; \
	part "Lint and migrations check" $$(( $$(date +%s) - start )); \
	if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(TEST_POSTGRES_URL)'.rsplit('/',1)[0]+'/postgres', connect_timeout=3).close()" 2>/dev/null; then \
	  postgres=1; export ONCE_ON_POSTGRES=1; \
	elif [ -n "$$REQUIRE_ALL" ]; then echo "PostgreSQL is required (REQUIRE_ALL) but does not answer at $(TEST_POSTGRES_URL)"; exit 1; \
	else postgres=; fi; \
	echo "== Test suite on SQLite =="; \
	start=$$(date +%s); $(PYTEST); part "Test suite on SQLite" $$(( $$(date +%s) - start )); \
	if [ -n "$$postgres" ]; then \
	  echo "== Test suite on PostgreSQL ($(TEST_POSTGRES_URL)), with the browser and worker tests =="; \
	  start=$$(date +%s); unset ONCE_ON_POSTGRES; DATABASE_URL=$(TEST_POSTGRES_URL) $(PYTEST); \
	  part "Test suite on PostgreSQL" $$(( $$(date +%s) - start )); \
	else echo "SKIPPED: the PostgreSQL run (no server at $(TEST_POSTGRES_URL); set TEST_POSTGRES_URL); the browser and worker tests ran on SQLite"; fi

## bench: every benchmark under bench/; writes var/bench.json.
bench: setup
	DEBUG=1 $(BIN)/python -m bench

## messages: extract the interface strings into locale/ for the five other languages and compile them (the .mo files are committed: a machine without gettext still serves them).
messages: setup
	DEBUG=1 $(BIN)/python manage.py makemessages --no-obsolete -l ar -l zh_Hans -l fr -l ru -l es
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv

lint: setup
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) var/*.sqlite3 var/celery-broker var/cache var/celerybeat-schedule*
