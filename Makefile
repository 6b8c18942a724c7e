# heza-geo. Every target sets up what it needs first (scripts/setup.sh; fast when done).
#   make run     the app on http://localhost:$(PORT) (headless)
#   make test    lint (ruff, mypy), then all tests, browser tests (tests/e2e) included
#   make lint    ruff (the whole tree) and mypy (heza_geo); settings in pyproject.toml
#   make lock    upgrade the locked requirements (requirements*.lock, with hashes) from requirements*.txt
#   make serve   $(PROCESSES) app processes behind nginx on http://localhost:$(PORT) (sticky sessions)
#   make setup   .venv + requirements + the map's JS/CSS (static/vendor)
#   make assets  reinstall the map's JS/CSS (npm ci + heza_geo.maps.assets install)
#   make data    rebuild geodata/ (scripts/build_geodata.py)
#   make clean   remove generated files (keeps .venv; `make distclean` removes it too)
SHELL := /bin/bash
PY := .venv/bin/python
PORT ?= 8501
PROCESSES ?= 2
# `make test PYTEST_ARGS="-k park"` narrows both parts; TEST_WORKERS: processes for the tests outside tests/e2e
PYTEST_ARGS ?=
TEST_WORKERS ?= auto
# make lock: the Python it compiles for (3.11, as .venv), and `make lock UPGRADE=` to re-lock after
# an edit of requirements*.txt without upgrading the other pins.
LOCK_PYTHON ?= python3
UPGRADE ?= --upgrade
PIP_COMPILE_ARGS = --quiet --no-config --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links --no-emit-trusted-host $(UPGRADE)
# pip and pip-tools for `make lock` at the versions requirements-dev.lock pins ("" if it has none)
lock_pin = $(shell sed -n 's/^\($(1)==[^ ]*\).*/\1/p' requirements-dev.lock 2>/dev/null)

.PHONY: setup setup-test assets run serve lint test lock data clean distclean

setup:
	bash scripts/setup.sh run

setup-test:
	bash scripts/setup.sh test

assets:
	bash scripts/setup.sh assets

run: setup
	$(PY) -m heza_geo run --port $(PORT)

serve:
	bash scripts/setup.sh serve
	$(PY) -m heza_geo serve --processes $(PROCESSES) --port $(PORT)

# Both checks run; it fails if either found anything.
lint: setup-test
	$(PY) -m ruff check .; ruff=$$?; $(PY) -m mypy && exit $$ruff

# The tests outside tests/e2e on every core (pytest-xdist, a test file per process: they share no
# server, port or file); then the browser tests one at a time, as their servers and Chromium
# already use both cores. Both parts run; it fails if either failed.
test: setup-test lint
	$(PY) -m pytest tests --ignore=tests/e2e -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS); unit=$$?; \
	$(PY) -m pytest tests/e2e $(PYTEST_ARGS) && exit $$unit

# The one way to upgrade the locks: requirements.lock from requirements.txt, then
# requirements-dev.lock from requirements-dev.txt (whose `-c requirements.lock` keeps the runtime
# pins), each pinned with its sha256 hashes. pip-compile runs in a throwaway venv, with pip's
# machine configuration off so that the locks name PyPI's files only. Review the diff, then make test.
lock:
	@$(LOCK_PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11) and "make lock: the locks are for Python 3.11: set LOCK_PYTHON")'
	@set -euo pipefail; tmp="$$(mktemp -d)"; trap 'rm -rf "$$tmp"' EXIT; \
	echo "make lock: $(or $(call lock_pin,pip-tools),pip-tools) in a throwaway venv ($$tmp)"; \
	$(LOCK_PYTHON) -m venv "$$tmp"; \
	"$$tmp/bin/python" -m pip install -q --disable-pip-version-check \
		"$(or $(call lock_pin,pip),pip)" "$(or $(call lock_pin,pip-tools),pip-tools~=7.6.0)"; \
	export PIP_CONFIG_FILE=/dev/null CUSTOM_COMPILE_COMMAND="make lock"; \
	unset PIP_FIND_LINKS PIP_INDEX_URL PIP_EXTRA_INDEX_URL PIP_CONSTRAINT; \
	echo "make lock: pip-compile $(UPGRADE) requirements.txt -> requirements.lock"; \
	"$$tmp/bin/pip-compile" $(PIP_COMPILE_ARGS) -o requirements.lock requirements.txt; \
	echo "make lock: pip-compile $(UPGRADE) requirements-dev.txt -> requirements-dev.lock"; \
	"$$tmp/bin/pip-compile" $(PIP_COMPILE_ARGS) -o requirements-dev.lock requirements-dev.txt

data: setup
	$(PY) scripts/build_geodata.py

clean:
	rm -rf node_modules static/vendor tests/artifacts .pytest_cache .hypothesis .mypy_cache .ruff_cache
	find . -path ./.venv -prune -o -path ./.git -prune -o -type d -name __pycache__ -print0 | xargs -0 rm -rf

distclean: clean
	rm -rf .venv
