# gongkai — two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

# Debian packages: CJK fonts and WeasyPrint's libraries to run; Chromium for browser tests;
# wrk for the benchmarks.
RUN_PACKAGES := fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils
TEST_PACKAGES := chromium chromium-driver nodejs
BENCH_PACKAGES := wrk

.PHONY: run test lint format messages bench-packages clean-venv

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[test]"
	touch $@

run: $(VENV)/.installed
	@scripts/system-packages.sh $(RUN_PACKAGES)
	@PORT=$(PORT) scripts/run.sh

# axe-core for the accessibility tests, pinned in package-lock.json.
node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

test: $(VENV)/.installed
	@scripts/system-packages.sh $(RUN_PACKAGES) $(TEST_PACKAGES)
	@$(MAKE) --no-print-directory node_modules/.installed
	@scripts/test.sh

bench-packages: $(VENV)/.installed
	@scripts/system-packages.sh $(RUN_PACKAGES) $(BENCH_PACKAGES)

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: $(VENV)/.installed
	cd gongkai && ../$(BIN)/python ../manage.py makemessages -l zh_Hans -l en --no-obsolete
	cd gongkai && ../$(BIN)/python ../manage.py compilemessages
