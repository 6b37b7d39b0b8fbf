# Everything installs itself: a fresh machine needs only python3 and pip.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install prism regen check-generated lint typecheck test demo bench bench-quick soak figures clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

regen: install
	scripts/regenerate.sh

check-generated: install
	scripts/regenerate.sh --check

lint: install
	$(BIN)/ruff check replicate_ext tests scripts bench
	$(BIN)/ruff format --check replicate_ext tests scripts bench

typecheck: install
	$(BIN)/mypy --strict replicate_ext
	$(BIN)/mypy generated

# Prism (npm) serves Replicate's published schema for tests/published, from .tools/.
# Without npm those tests are skipped and say so; CI sets REPLICATE_EXT_REQUIRE_PRISM.
PRISM_VERSION := 5.14.2
PRISM_STAMP := .tools/.prism-$(PRISM_VERSION)

prism: $(PRISM_STAMP)

$(PRISM_STAMP):
	@if command -v npm >/dev/null 2>&1; then \
		npm install --prefix .tools --no-audit --no-fund --loglevel=error --save-exact \
			@stoplight/prism-cli@$(PRISM_VERSION) && touch $@; \
	else \
		echo "npm not found: tests/published (Replicate's published schema, served by Prism) will be skipped."; \
	fi

# Two workers: the suite is sized for a 2-core machine. `--dist load` hands out single
# tests, so schemathesis's items (which share one node id) all run.
test: install prism
	$(BIN)/python -m pytest -q -p no:cacheprovider -n 2 --dist load

demo: install
	$(BIN)/python scripts/demo.py


bench: install
	$(BIN)/python bench/run.py
	$(BIN)/python bench/batch_bench.py

bench-quick: install
	$(BIN)/python bench/run.py --quick
	$(BIN)/python bench/batch_bench.py --quick

# Ten times the examples, the fuzzer's coverage phase, a bigger crowd (~4 min).
soak: install
	REPLICATE_EXT_SOAK=1 $(BIN)/python -m pytest -q -p no:cacheprovider tests/reliability tests/test_sse.py tests/test_webhooks.py
	$(BIN)/python scripts/reliability_figures.py

# The README's "Reliability" section, from the figures the last test run wrote.
figures: install
	$(BIN)/python scripts/reliability_figures.py --update README.md

clean:
	rm -rf $(VENV) .tools .mypy_cache .pytest_cache .ruff_cache
