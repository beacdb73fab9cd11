# eventwire: `make demo` sets everything up and analyses the bundled examples;
# `make test` runs the test suite.  Both create ./.venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup demo test bench clean

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

test: setup
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/eventwire bench --articles 2000 --workers 1,2

clean:
	rm -rf $(VENV) demo-output.jsonl
