# Cairn's everyday commands. A fresh machine needs Python >= 3.11, Node.js and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
NODE_INSTALLED := node_modules/.installed
PYTEST_WORKERS ?= auto

CHROMIUM ?= $(or $(CAIRN_CHROMIUM),/usr/bin/chromium)

.PHONY: run install test lint fmt typecheck bench demo worker scheduler clean chromium

run: install ## Migrate, load the demo organisation when empty, serve on 127.0.0.1:8000
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

install: $(INSTALLED) $(NODE_INSTALLED)

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Cairn needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml requirements.lock $(BIN)/python
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $@

$(NODE_INSTALLED): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

test: install chromium lint ## Lint, then the whole suite (unit, views, privacy, browser)
	CAIRN_CHROMIUM=$(CHROMIUM) $(BIN)/pytest -n $(PYTEST_WORKERS)

# The browser tests drive Debian's Chromium (Playwright's own download cannot be used).
# As root with apt-get it is installed here; otherwise we stop before the suite and
# say exactly what to run.
chromium:
	@if [ -x "$(CHROMIUM)" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "== installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "The browser tests need Debian's Chromium at $(CHROMIUM), and it is missing."; \
		echo "Install it, then run make test again:"; \
		echo "    sudo apt-get install chromium"; \
		exit 1; \
	fi

lint: install ## ruff, formatting, migrations up to date, the layers (import-linter), mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports
	$(BIN)/mypy .

fmt: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# bench/scale.py builds its organisation at this size under make (10,000 when run by hand).
SCALE_ARGS ?= --people 2000 --repeats 10

bench: install ## Benchmarks print figures; they are never timed tests
	@for script in bench/*.py; do [ -e "$$script" ] || continue; echo "== $$script"; \
		if [ "$$script" = bench/scale.py ]; then $(BIN)/python "$$script" $(SCALE_ARGS); \
		else $(BIN)/python "$$script"; fi; done

demo: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py demo

worker: install ## Run background jobs (queues the daily access-log retention job and the sweep for lost email first)
	$(BIN)/python manage.py prune_access_log
	$(BIN)/python manage.py send_unsent_email
	$(BIN)/python manage.py db_worker

scheduler: install ## Run the periodic jobs (reminders, overdue items, digests) every minute
	$(BIN)/python manage.py scheduler

clean:
	rm -rf $(VENV) node_modules .mypy_cache .ruff_cache
