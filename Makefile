# creatorlens: `make run` sets everything up and runs the nightly flow on sample data;
# `make test` sets up and runs the whole suite (ruff included). Only python3 and make needed.

UV_VERSION := 0.13.9
UV := $(or $(shell command -v uv 2>/dev/null),.tools/bin/uv)
export UV_PYTHON_DOWNLOADS := never
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS := 120
EXPORTS ?= data/exports

.PHONY: run test fast soak fuzz bench bench-audience lint setup clean browser

run: .venv/.synced
	@test -d "$(EXPORTS)" || .venv/bin/creatorlens demo --out "$(EXPORTS)"
	.venv/bin/creatorlens run --exports "$(EXPORTS)"

# Two workers (pytest-xdist), each test file on one worker: the suite stays well under ten
# minutes on a two-core machine.
test: .venv/.synced lint browser
	.venv/bin/pytest -n 2 --dist loadfile

# The report's browser test opens it in Debian's Chromium: installed here when missing and
# possible (root and apt-get); elsewhere that one test skips and says why.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's chromium for the report's browser test"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get install -y -qq chromium >/dev/null 2>&1 || \
	      { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } || \
	      echo "note: could not install chromium; the report's browser test will skip"; \
	  else \
	    echo "note: chromium is missing (apt-get install chromium as root); the report's browser test will skip"; \
	  fi; }

# The fast lane: every test not marked slow (unit and in-process tests; a test that runs flows,
# CLI processes or servers is slow), in seconds.
fast: .venv/.synced lint
	.venv/bin/pytest -q -n 2 -m "not slow and not soak"

# The long lane, run before each stop: two months of nights in a row with BI readers throughout
# (the figures it prints are in the README, "When things go wrong"), a killed deployment run and
# a server outage, and runs on Dask (a minute each; out of `make test`, which CI runs within ten).
soak: .venv/.synced
	.venv/bin/pytest -s -q -n 2 --dist loadfile -m soak tests/flows/test_soak.py tests/test_deployments.py tests/flows/test_dask.py

# The benchmark harness (figures in README, "Performance"); ARGS sets its size, e.g.
# make bench ARGS="--creators 9000 --days 46 --history-creators 900"
bench: .venv/.synced
	.venv/bin/python -m bench.run $(ARGS)

# What audience files and briefs add to a nightly at 100,000 creators a platform (README,
# "Performance"); ARGS="--creators N" for another size.
bench-audience: .venv/.synced
	.venv/bin/python -m bench.audience $(ARGS)

# The property tests with fresh random examples, many more than `make test` runs.
fuzz: .venv/.synced
	HYPOTHESIS_PROFILE=fuzz .venv/bin/pytest tests/creatorlens/ingest/test_loading_properties.py tests/creatorlens/ingest/test_files.py

lint: .venv/.synced
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

setup: .venv/.synced

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --compile-bytecode --python python3
	@touch $@

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/python -m pip install --quiet "uv==$(UV_VERSION)"

clean:
	rm -rf .venv .tools data/warehouse.duckdb data/creatorlens.duckdb
