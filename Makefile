# The front door. `make run` and `make test` work on a fresh machine with only Python 3.11+:
# they install uv into .tools/ if it is not on PATH, then the workspace from uv.lock.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export UV_PYTHON_DOWNLOADS := never

PYTHON ?= python3
UV_VERSION := 0.13.9
UV := $(or $(shell command -v uv 2>/dev/null),.tools/bin/uv)
VENV := .venv
PYTEST := $(VENV)/bin/python -m pytest

.PHONY: help install run test test-unit lint schemas bench chromium

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

install: $(UV) ## install every package of the workspace (from the lock file)
	$(UV) sync --frozen --quiet

run: install ## start the local broker and all services; prints where to look
	$(VENV)/bin/iq-platform

test: install chromium ## run every test, the ones against the real broker and PostgreSQL included
	$(PYTEST)

chromium: ## Debian's headless Chromium for the page test (installed when missing; needs root)
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then echo "installing chromium for the browser test"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "chromium missing and not root: the browser test will skip (fail in CI); run: sudo apt-get install chromium"; fi

test-unit: install ## the fast inner loop: no broker, no service processes
	$(PYTEST) -m "not kafka and not e2e" -q

lint: install ## ruff
	$(VENV)/bin/ruff check .

schemas: install ## regenerate the contracts' JSON Schemas and AsyncAPI document
	$(VENV)/bin/python -m iq_contracts.schemas

bench: install ## run the benchmarks (results and how to read them: bench/README.md)
	$(VENV)/bin/python -m bench.recording
	$(VENV)/bin/python -m bench.reporting
	$(VENV)/bin/python -m bench.reporting_live
	$(VENV)/bin/python -m bench.reporting_backlog
	$(VENV)/bin/python -m bench.reporting_rebuild
	$(VENV)/bin/python -m bench.broker_fetch --seconds 20
	$(VENV)/bin/python -m bench.broker_fetch --seconds 20 --linger 0
	$(VENV)/bin/python -m bench.disclosure
