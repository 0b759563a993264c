# Two entry points: `make run` (set up, serve with the default policy) and `make test`.
# Both are idempotent: the virtualenv is rebuilt only when pyproject.toml changes.
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2

.PHONY: setup system-deps run test lint bench clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test]'
	touch $@

setup: $(VENV)/.installed

# Debian packages the browser and PDF checks use (headless Chromium, pdftoppm). Needs root; skipped
# when they are already present.
system-deps:
	@sh scripts/system-deps.sh

run: setup
	$(VENV)/bin/redactor serve --host $(HOST) --port $(PORT) --workers $(WORKERS)

test: setup system-deps
	$(PY) -m pytest -q

lint: setup
	$(VENV)/bin/ruff check redactor tests bench

bench: setup
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
