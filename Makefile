# Two set-up commands on a fresh machine: `make demo` and `make test` (see README).
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export RECOVERY_TRACKER_HOME ?= $(CURDIR)/var
SYSTEM_PACKAGES := chromium poppler-utils libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core

.PHONY: demo test install assets system-deps lint bench clean

$(VENV)/.installed: pyproject.toml src/recovery_tracker/engine/paygap/_scan.c
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[dev]'
	touch $@

src/recovery_tracker/static/govuk/govuk-frontend.min.css: package-lock.json $(VENV)/.installed
	npm ci --no-audit --no-fund --loglevel=error
	$(PY) -m recovery_tracker.assets .

assets: src/recovery_tracker/static/govuk/govuk-frontend.min.css

install: $(VENV)/.installed assets

# Debian packages the tests need (a real browser, PDF tools, WeasyPrint's text layout); installed only if missing.
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "Installing:$$missing"; apt-get update -qq && apt-get install -y -qq $$missing; fi

demo: install
	RECOVERY_TRACKER_DEMO_USERS=1 $(VENV)/bin/recovery-tracker demo --port $(PORT)

test: install system-deps
	$(VENV)/bin/pytest

# Style, the layer contract (import-linter; docs/architecture.md) and types (mypy, strict on engine/).
lint: install
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

# The benchmarks in benchmarks/ (see each README): pay gaps on made-up payrolls of BENCH_ROWS rows
# (generated once into benchmarks/paygap/data/), then the report as PDF in its own data folder, then
# `plan draft` against the shipped West Midlands plan (recall and precision, a second).
# Long: about ten minutes at 10 million rows. `make bench BENCH_ROWS=100000 BENCH_REPEAT=1` is quick.
BENCH_ROWS ?= 10000000
BENCH_REPEAT ?= 3
BENCH_PAYROLL := benchmarks/paygap/data/synthetic-DEMO-payroll-$(BENCH_ROWS)

$(BENCH_PAYROLL).csv: benchmarks/paygap/generate.py
	$(PY) benchmarks/paygap/generate.py --rows $(BENCH_ROWS)

bench: install $(BENCH_PAYROLL).csv
	$(PY) benchmarks/paygap/run.py $(BENCH_PAYROLL).csv $(BENCH_PAYROLL).parquet $(BENCH_PAYROLL)-strings.parquet \
		--repeat $(BENCH_REPEAT)
	RECOVERY_TRACKER_HOME=$(CURDIR)/var/report-bench $(PY) benchmarks/report/bench_report_pdf.py --runs $(BENCH_REPEAT)
	$(PY) benchmarks/plan_draft/bench_plan_draft.py

clean:
	rm -rf $(VENV) node_modules src/recovery_tracker/static/govuk var
