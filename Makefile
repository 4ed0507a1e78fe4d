# Waypoint: `make demo` serves the demo clinic, `make test` runs everything.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Reinstall whenever pyproject.toml changes.
STAMP  := $(VENV)/.installed-$(shell sha1sum pyproject.toml 2>/dev/null | cut -c1-12)
HOST   ?= 127.0.0.1:8000

.PHONY: venv demo test lint bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

venv: $(STAMP)

demo: venv
	$(BIN)/python -m waypoint migrate --no-input -v 0
	$(BIN)/python -m waypoint demo-data
	@echo "Serving the demo clinic at http://$(HOST)/ (Ctrl-C to stop)"
	DEBUG=1 $(BIN)/python -m waypoint runserver $(HOST)

test: venv
	bash scripts/test.sh

lint: venv
	$(BIN)/ruff check waypoint tests benchmarks
	$(BIN)/mypy waypoint

bench: venv
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) var node_modules .pytest_cache .mypy_cache .ruff_cache
