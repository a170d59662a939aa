# Two commands set everything up: `make serve` and `make test`.
VENV    ?= .venv
PYTHON  ?= python3
BIN     := $(VENV)/bin
INSTALLED := $(VENV)/.installed
ASSETS  := node_modules/.installed
WEB     := examples/web/node_modules/.installed

export PARLEY_HOST ?= 127.0.0.1
export PARLEY_PORT ?= 8000
# One worker per core: the GIL keeps a worker on one core (this machine has 2).
PARLEY_WORKERS ?= 2
SCALE   ?= M

.PHONY: setup serve test schema clean bench-setup bench bench-quick lock lock-upgrade web-example

# The locks pin every package (and its hashes) for Python 3.11+ on any platform: a fresh clone
# installs exactly what CI tested. `make lock` regenerates both after pyproject.toml changes.
LOCK_FLAGS := --universal --python-version 3.11 --generate-hashes --no-emit-package parley --quiet --custom-compile-command "make lock"

# Installs only from the lock, hash-checked, then Parley itself without resolving anything.
$(INSTALLED): requirements-dev.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(ASSETS): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(WEB): examples/web/package.json examples/web/package-lock.json
	npm ci --prefix examples/web --no-audit --no-fund --loglevel=error
	touch $@

## setup: install Python packages into .venv, GraphiQL's assets into node_modules and the web example's packages
setup: $(INSTALLED) $(ASSETS) $(WEB)

## web-example: type the web example's documents from schema.graphql, type-check and bundle it (examples/web/dist)
web-example: $(WEB)
	npm --prefix examples/web run --silent build

## serve: migrate, load the seed data (adds only what is missing) and serve GraphiQL on http://$PARLEY_HOST:$PARLEY_PORT/graphql
serve: setup
	$(BIN)/parley db upgrade
	$(BIN)/parley seed
	$(BIN)/parley serve --host $(PARLEY_HOST) --port $(PARLEY_PORT) --workers $(PARLEY_WORKERS)

## test: lint, type-check and run the suite (SQLite; PostgreSQL too when PARLEY_TEST_DATABASE_URL is set)
test: setup web-example
	bash scripts/install-browser.sh
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/hadolint Dockerfile
	$(BIN)/mypy api schema tests bench
	$(BIN)/parley coverage
	$(BIN)/pytest

## bench-setup: wrk (Debian), Node 24 (PyPI) and PostGraphile 5 (npm ci) for the benchmark
bench-setup: $(INSTALLED)
	PYTHON=$(BIN)/python bash bench/setup.sh

## bench: Parley against PostGraphile on PostgreSQL at SCALE=S|M|L (default M); table + bench/results/
bench: bench-setup
	$(BIN)/python -m bench --scale $(SCALE)

## bench-quick: the same at scale S with short runs (about a minute and a half)
bench-quick: bench-setup
	$(BIN)/python -m bench --scale S --duration 3 --warmup 1 --rounds 1 --fixed-rate-seconds 3

## lock: re-pin requirements-dev.lock (make setup) and requirements.lock (Dockerfile) after editing pyproject.toml; keeps every other pin
lock: $(INSTALLED)
	$(BIN)/uv pip compile pyproject.toml build-requirements.in --extra dev $(LOCK_FLAGS) $(UPGRADE) -o requirements-dev.lock
	$(BIN)/uv pip compile pyproject.toml build-requirements.in -c requirements-dev.lock $(LOCK_FLAGS) -o requirements.lock
	$(MAKE) setup

## lock-upgrade: the same, moving every package to its newest release that pyproject.toml allows
lock-upgrade:
	$(MAKE) lock UPGRADE=--upgrade

## schema: export the GraphQL SDL to schema.graphql
schema: $(INSTALLED)
	$(BIN)/parley export-schema --output schema.graphql

clean:
	rm -rf $(VENV) node_modules .mypy_cache .ruff_cache .pytest_cache examples/web/node_modules examples/web/dist examples/web/src/gql
