# Two commands do all set-up on a fresh machine: `make demo` and `make test` (see README.md).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres
SQLITE_TEST_URL := sqlite:///$(CURDIR)/var/test.sqlite3
PYTEST_ARGS ?=

.PHONY: install demo serve test test-sqlite test-postgres test-frontend test-e2e frontend chromium lint check bench clean services

$(BIN)/kinga: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(BIN)/kinga

install: $(BIN)/kinga

# The caseworker app: installed from the lockfile, built into frontend/dist (served by Django at /app/).
frontend/node_modules/.package-lock.json: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error

frontend: frontend/node_modules/.package-lock.json
	cd frontend && npm run build --silent

# Browser tests drive Debian's chromium through playwright-core (never a browser download).
chromium:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

demo: install frontend
	$(BIN)/kinga migrate --noinput
	$(BIN)/kinga deploy --standard --country config_packs/example --demo --if-empty
	$(BIN)/kinga serve --port 8000

serve: install
	$(BIN)/kinga serve --port 8000

services:
	@bash .ci/services

test: install services test-sqlite test-postgres test-frontend test-e2e

test-sqlite:
	DATABASE_URL=$(SQLITE_TEST_URL) $(BIN)/python -m pytest -q -n 2 $(PYTEST_ARGS)

test-postgres:
	DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest -q -n 2 $(PYTEST_ARGS)

test-frontend: frontend/node_modules/.package-lock.json
	cd frontend && npm test --silent

test-e2e: install frontend chromium
	cd frontend && KINGA_E2E_DJANGO_SERVES_APP=1 node --test ../tests/e2e/

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

bench: install
	@for f in bench/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf var/ build/ *.egg-info
