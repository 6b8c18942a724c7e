# heza-geo. Every target sets up what it needs first (scripts/setup.sh; fast when done).
#   make run     the app on http://localhost:$(PORT) (headless)
#   make test    all tests, browser tests (tests/e2e) included
#   make serve   $(PROCESSES) app processes behind nginx on http://localhost:$(PORT) (sticky sessions)
#   make setup   .venv + requirements + the map's JS/CSS (static/vendor)
#   make assets  reinstall the map's JS/CSS (npm ci + heza_geo.assets install)
#   make data    rebuild geodata/ (scripts/build_geodata.py)
#   make clean   remove generated files (keeps .venv; `make distclean` removes it too)
SHELL := /bin/bash
PY := .venv/bin/python
PORT ?= 8501
PROCESSES ?= 2
PYTEST_ARGS ?= tests

.PHONY: setup setup-test assets run serve test data clean distclean

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

test: setup-test
	$(PY) -m pytest $(PYTEST_ARGS)

data: setup
	$(PY) scripts/build_geodata.py

clean:
	rm -rf node_modules static/vendor tests/artifacts .pytest_cache .hypothesis
	find . -path ./.venv -prune -o -path ./.git -prune -o -type d -name __pycache__ -print0 | xargs -0 rm -rf

distclean: clean
	rm -rf .venv
