# Two commands set everything up on a fresh machine:
#   make run   - create .venv with plain python3, install sst-vocab, validate the shipped vocabulary
#   make test  - install the test extra and the real services the tests use, run pytest
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test lint install install-test bench release clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# An editable install runs from src/: compile its bytecode once, because environments that set
# PYTHONDONTWRITEBYTECODE would otherwise recompile sst-vocab on every command (~35 ms each).
install: $(BIN)/python
	$(BIN)/pip install --quiet -e .
	$(BIN)/python -m compileall -q src/sst_vocab

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/python -m compileall -q src/sst_vocab
	@# The browser tests drive Debian's chromium (Playwright's own browser download does not work here).
	@command -v chromium >/dev/null 2>&1 || if [ "$$(id -u)" = 0 ]; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "warning: could not install chromium; the browser tests will be skipped" >&2; \
	else echo "warning: chromium is missing (apt-get install chromium as root); the browser tests will be skipped" >&2; fi
	@# The editor smoke test drives Debian's neovim, headless, as a client of `sst-vocab lsp`.
	@command -v nvim >/dev/null 2>&1 || if [ "$$(id -u)" = 0 ]; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends neovim >/dev/null) \
	  || echo "warning: could not install neovim; the editor smoke test will be skipped" >&2; \
	else echo "warning: neovim is missing (apt-get install neovim as root); the editor smoke test will be skipped" >&2; fi
	@# The SHACL cross-check runs Apache Jena (Debian's libapache-jena-java) with a JDK and unzip; the
	@# redirect-rules test runs the Apache web server binary (apache2-bin: no service is started); the second
	@# real triple store is Virtuoso Open Source (virtuoso-opensource-7-bin: the tests start virtuoso-t themselves).
	@missing=""; [ -f /usr/share/java/jena-shacl.jar ] || missing="libapache-jena-java"; \
	command -v javac >/dev/null 2>&1 || missing="$$missing default-jdk-headless"; \
	command -v unzip >/dev/null 2>&1 || missing="$$missing unzip"; \
	[ -x /usr/sbin/apache2 ] || missing="$$missing apache2-bin"; \
	command -v virtuoso-t >/dev/null 2>&1 || missing="$$missing virtuoso-opensource-7-bin"; \
	if [ -n "$$missing" ]; then if [ "$$(id -u)" = 0 ]; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null) \
	  || echo "warning: could not install $$missing; the tests that need them will be skipped" >&2; \
	else echo "warning: missing $$missing (apt-get install as root); the tests that need them will be skipped" >&2; fi; fi

run: install
	$(BIN)/sst-vocab validate

# The linters (configured in pyproject.toml): ruff's rules, ruff's formatting (checked, not applied:
# `$(BIN)/ruff format src tests benchmarks tools` applies it) and mypy on the package.
lint: install-test
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest -n auto --dist loadscope

bench: install
	$(BIN)/python benchmarks/bench_validate.py
	$(BIN)/python benchmarks/bench_lookup.py

release: install
	$(BIN)/sst-vocab release --output dist/release

clean:
	rm -rf $(VENV) build dist .pytest_cache
