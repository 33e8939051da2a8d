# Jiandu: `make run` for a demo on this machine, `make test` for the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
JIANDU := $(BIN)/jiandu
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup demo bench lint messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed node_modules/.installed
	$(JIANDU) migrate --noinput

demo: setup
	$(JIANDU) demo

run: demo
	@echo "Jiandu: http://$(HOST):$(PORT)/"
	$(JIANDU) runserver $(HOST):$(PORT) --noreload

test: $(VENV)/.installed node_modules/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(JIANDU) makemigrations --check --dry-run
	$(BIN)/pytest

lint: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: $(VENV)/.installed
	$(JIANDU) makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=node_modules --ignore=var \
		--ignore=bench --ignore=tests --ignore="*/tests/*"
	$(JIANDU) compilemessages --ignore=.venv --ignore=node_modules

bench: setup
	@for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) node_modules var
