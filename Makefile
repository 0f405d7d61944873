# Two commands do all set-up on a fresh machine: `make demo` and `make test` (see README.md).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres
SQLITE_TEST_URL := sqlite:///$(CURDIR)/var/test.sqlite3
PYTEST_ARGS ?=

.PHONY: install demo serve test test-sqlite test-postgres lint check bench clean services

$(BIN)/kinga: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(BIN)/kinga

install: $(BIN)/kinga

demo: install
	$(BIN)/kinga migrate --noinput
	$(BIN)/kinga deploy --standard --country config_packs/example --demo --if-empty
	$(BIN)/kinga serve --port 8000

serve: install
	$(BIN)/kinga serve --port 8000

services:
	@bash .ci/services

test: install services test-sqlite test-postgres

test-sqlite:
	DATABASE_URL=$(SQLITE_TEST_URL) $(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

test-postgres:
	DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

bench: install
	@for f in bench/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf var/ build/ *.egg-info
