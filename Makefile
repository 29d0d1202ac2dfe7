# Two commands do all the set-up: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# `make bench BENCH="desktop routing"` runs only the benchmark modules named.
# `make demo ARGS="--supervisor --data-dir /tmp/demo"` passes options to `agent-desktop demo`.
ARGS ?=
.PHONY: demo test bench screenshots mocks lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install when the project's dependencies change.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# `make demo ARGS="--supervisor --agents 1000 --queues 100"` passes options to `agent-desktop demo`.
demo: $(STAMP)
	$(BIN)/agent-desktop demo $(ARGS)

mocks: $(STAMP)
	$(BIN)/agent-desktop mocks

test: $(STAMP)
	scripts/ensure-system-packages.sh
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m benchmarks $(BENCH)

screenshots: $(STAMP)
	scripts/ensure-system-packages.sh
	$(BIN)/python -m scripts.screenshots

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
