# Two commands set everything up on a fresh machine:
#   make run   - create .venv with plain python3, install sst-vocab, validate the shipped vocabulary
#   make test  - install the test extra and the real services the tests use, run pytest
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test install install-test bench release clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'

run: install
	$(BIN)/sst-vocab validate

test: install-test
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python benchmarks/bench_validate.py

clean:
	rm -rf $(VENV) build dist .pytest_cache
