# Hinge Coach: `make run` (everything, on embedded defaults) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run setup ffmpeg test test-js typecheck lint bench-reviews bench-load clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.base-installed: requirements/base.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --require-hashes -r requirements/base.txt
	touch $@

$(VENV)/.dev-installed: requirements/dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --require-hashes -r requirements/dev.txt
	touch $@ $(VENV)/.base-installed

# honcho starts the processes of Procfile.dev: `make run` needs it, production does not.
$(VENV)/.run-installed: requirements/run.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --require-hashes -r requirements/run.txt
	touch $@

setup: $(VENV)/.base-installed
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py demo_data

# Form videos are checked by ffprobe and get their poster frame from ffmpeg (Debian's ffmpeg):
# installed when missing and apt-get can (as root); otherwise uploads answer 503 until it is.
ffmpeg:
	@if ! command -v ffprobe >/dev/null || ! command -v ffmpeg >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ffmpeg >/dev/null) \
	      || echo "ffmpeg could not be installed: form video uploads answer 503 until it is"; \
	  else echo "ffmpeg not found: install Debian's ffmpeg for form videos (uploads answer 503 without it)"; fi; \
	fi

run: ffmpeg setup $(VENV)/.run-installed
	@echo ""
	@echo "  Hinge Coach: http://$(HOST):$(PORT)/   (sign in as coach@demo.hinge / hinge-demo-2026)"
	@echo "  Phone app:   http://$(HOST):$(PORT)/today/   (sign in as the demo client maya@demo.hinge / hinge-demo-2026)"
	@echo "  Reviewer:    http://$(HOST):$(PORT)/team/cosigns/   (the physiotherapist physio@demo.hinge / hinge-demo-2026)"
	@echo "  Invite and review emails are printed here (console email backend)."
	@echo "  Web server, Celery worker and Celery beat start below; Ctrl-C stops them all."
	@echo ""
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" PORT=$(PORT) HOST=$(HOST) $(VENV)/bin/honcho -f Procfile.dev start

# The Nu Html Checker for the HTML validity tests (npm's vnu-jar, run by the machine's Java).
VNU := var/vnu/node_modules/vnu-jar/build/dist/vnu.jar
$(VNU):
	@if command -v npm >/dev/null; then \
	  npm install --no-save --no-audit --no-fund --ignore-scripts --silent --prefix var/vnu vnu-jar@26.9.27; \
	else echo "npm not found: the HTML validity tests will skip (they fail under REQUIRE_SERVICES=1)"; fi

# Spectral, the OpenAPI linter the schema tests run with .spectral.yaml (npm's @stoplight/spectral-cli).
SPECTRAL := var/spectral/node_modules/.bin/spectral
$(SPECTRAL):
	@if command -v npm >/dev/null; then \
	  npm install --no-save --no-audit --no-fund --ignore-scripts --silent --prefix var/spectral @stoplight/spectral-cli@6.16.3; \
	else echo "npm not found: the schema lint test will skip (it fails under REQUIRE_SERVICES=1)"; fi

# The phone's pure JavaScript (tests/js/*.test.js, node's built-in runner; the files named, not the
# folder, which node 22 would read as a glob); CI has node, a laptop may not.
test-js:
	@if command -v node >/dev/null; then node --test tests/js/*.test.js; \
	else echo "node not found: skipping the JavaScript tests in tests/js/ (CI runs them)"; fi

# CI (COVERAGE=1, set by .ci/run) measures branch coverage and fails under the floor in
# pyproject.toml's [tool.coverage.report]; local runs skip the measurement and stay fast.
COVERAGE_ARGS := $(if $(filter 1,$(COVERAGE)),--cov --cov-report=term:skip-covered)

test: typecheck $(VENV)/.dev-installed $(VNU) $(SPECTRAL) test-js
	$(PY) -m pytest $(COVERAGE_ARGS) $(PYTEST_ARGS)

# mypy with the Django and DRF plugins: files and strictness in pyproject.toml's [tool.mypy].
typecheck: $(VENV)/.dev-installed
	$(VENV)/bin/mypy

lint: typecheck $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

# bench/load.py's load runs in Locust, kept out of the app's own environment (requirements/bench.txt).
BENCH_VENV := var/bench-venv
$(BENCH_VENV)/bin/locust: requirements/bench.txt
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --require-hashes -r requirements/bench.txt
	touch $@

bench-load: $(VENV)/.base-installed $(BENCH_VENV)/bin/locust
	$(PY) bench/load.py --locust $(BENCH_VENV)/bin/locust $(BENCH_ARGS)

clean:
	rm -rf var artifacts
