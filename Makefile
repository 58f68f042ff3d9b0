# Baoxiu: `make run` runs the service, `make test` passes the tests. Setup is part of both,
# idempotent and cached by content hashes, so a second run starts in seconds.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYENV_ROOT ?= $(shell pyenv root 2>/dev/null || echo $$HOME/.pyenv)
PY311 ?= $(shell command -v python3.11 2>/dev/null || ls $(PYENV_ROOT)/versions/3.11*/bin/python3.11 2>/dev/null | tail -1)
VENV := .venv
PY := $(VENV)/bin/python
REQ_HASH := $(shell cat requirements.txt | sha256sum | cut -c1-16)
VENV_STAMP := $(VENV)/.installed-$(REQ_HASH)
PYTEST_ARGS ?=

.PHONY: help setup run test test-unit test-integration test-e2e bench bot-bench clean
help:
	@echo "make run    - run the service (no TELEGRAM_BOT_TOKEN: local sandbox + demo data)"
	@echo "make test   - set up what is missing, then run the whole test suite"
	@echo "make bench  - run the benchmarks and write docs/benchmarks.md"

$(VENV_STAMP): requirements.txt
	@test -n "$(PY311)" || { echo "Python 3.11 is required: install it (e.g. 'pyenv install 3.11') and retry." >&2; exit 1; }
	@test -x $(PY) || $(PY311) -m venv $(VENV)
	@echo "installing the app's Python packages into $(VENV) (first run only, ~3 min)"
	$(PY) -m pip install -q --disable-pip-version-check torch==2.13.0
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

setup: $(VENV_STAMP)

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

test-unit: setup
	$(PY) -m pytest tests/unit $(PYTEST_ARGS)

test-integration: setup
	$(PY) -m pytest tests/integration $(PYTEST_ARGS)

test-e2e: setup
	$(PY) -m pytest tests/e2e $(PYTEST_ARGS)

run: setup
	$(PY) -m app

bench: bot-bench
bot-bench: setup  ## time from starting the service to ready, and from a report to the first reply
	$(PY) -m bench.bot_bench

clean:
	rm -rf $(VENV) .venv-rasa data/*.db

# Each part of the system adds its own setup and targets here (nlu.mk, kb.mk, sandbox.mk...).
-include mk/*.mk
