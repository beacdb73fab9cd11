# eventwire: `make demo` sets everything up, analyses the bundled examples and stores them in demo.duckdb;
# `make test` runs the test suite.  Both create ./.venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup demo test bench clean chromium

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip>=24"
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

demo: setup
	$(BIN)/eventwire analyze examples/articles -o demo-output.jsonl --published 2024-03-14 || [ $$? -eq 1 ]
	$(BIN)/eventwire show demo-output.jsonl
	$(BIN)/eventwire ingest examples/articles --db demo.duckdb --published 2024-03-14 --no-progress
	$(BIN)/eventwire stories --db demo.duckdb
	$(BIN)/eventwire actors --db demo.duckdb --limit 10
	$(BIN)/eventwire events --db demo.duckdb --limit 15

# The browser tests drive the system chromium (playwright cannot download
# browsers here); install it from the Debian archive when it is missing.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing chromium from apt for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

test: setup chromium
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/eventwire bench --articles 2000 --workers 1,2

clean:
	rm -rf $(VENV) demo-output.jsonl demo.duckdb
