# Safeguard: `make run` serves the demo; `make test` runs every check. See README.md.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PY_STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/safeguard_bench

.PHONY: setup run test lint typecheck pytest bench assets browser clean

$(PY_STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: $(PY_STAMP) $(NPM_STAMP)
	$(PY) manage.py build_assets

setup: assets

browser:
	scripts/ensure_chromium.sh

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py demo_logins
	@echo "Safeguard is at http://127.0.0.1:$(PORT)/ (stop with Ctrl+C)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: $(PY_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: $(PY_STAMP)
	$(VENV)/bin/mypy safeguard e2e bench

pytest: setup browser
	$(VENV)/bin/pytest

test: lint typecheck pytest

# One large council (100,000 children, 5 years) is seeded once and shared by the census,
# measures and need benchmarks (their seed_demo --if-empty then does nothing); casework and
# the front door build their own shapes.
bench: setup
	scripts/services.sh
	$(PY) bench/bench_seed.py --children 100000 --years 5 --database-url $(BENCH_DATABASE_URL) --measure
	$(PY) bench/bench_seed.py --sqlite --children 2000 --years 5
	$(PY) bench/bench_casework.py --database-url postgres://postgres@127.0.0.1:5432/safeguard_bench_casework
	$(PY) bench/bench_front_door.py --database-url postgres://postgres@127.0.0.1:5432/safeguard_bench_front_door
	$(PY) bench/bench_census.py --database-url $(BENCH_DATABASE_URL)
	$(PY) bench/bench_measures.py --database-url $(BENCH_DATABASE_URL)
	$(PY) bench/bench_need.py --database-url $(BENCH_DATABASE_URL)

clean:
	rm -rf build var/staticfiles
