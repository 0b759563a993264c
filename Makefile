# Two entry points: `make run` (set up, serve with the default policy) and `make test` (set up, run the
# tests, the linters and the installed-wheel check, as CI does). Both are idempotent: the virtualenv is
# rebuilt only when pyproject.toml or the lock file changes.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip -q --disable-pip-version-check
LOCK := requirements.lock
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2

.PHONY: setup system-deps run test pytest lint wheel-check lock bench clean

# The lock pins every transitive version; the project itself is installed over it without resolving again.
$(VENV)/.installed: pyproject.toml $(LOCK)
	python3 -m venv $(VENV)
	$(PIP) install --upgrade pip
	$(PIP) install -r $(LOCK)
	$(PIP) install --no-deps -e .
	touch $@

setup: $(VENV)/.installed

# Debian packages the browser, PDF and OCR checks use (headless Chromium, pdftoppm, tesseract; `make run`
# installs only tesseract). Needs root; skipped when they are already present.
system-deps:
	@sh scripts/system-deps.sh

run: setup
	@sh scripts/system-deps.sh serve
	$(VENV)/bin/redactor serve --host $(HOST) --port $(PORT) --workers $(WORKERS)

test: pytest lint wheel-check

pytest: setup system-deps
	$(PY) -m pytest -q

lint: setup
	$(VENV)/bin/ruff check redactor tests bench
	$(VENV)/bin/ruff format --check redactor tests bench
	$(VENV)/bin/mypy

wheel-check: setup
	PYTHON=$(PY) sh scripts/wheel-check.sh

# Re-pin after changing dependencies in pyproject.toml (needs the registry).
lock: setup
	$(PIP) install pip-tools==7.6.2
	$(VENV)/bin/pip-compile --quiet --strip-extras --extra server --extra batch --extra test \
		--no-emit-index-url --no-emit-find-links -o $(LOCK) pyproject.toml

bench: setup
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
