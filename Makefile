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

# Message catalogues in gongkai/locale: collect the strings of every app's Python files and
# templates (no project JavaScript uses gettext), then compile. The compiled .mo files are kept
# in git, so a fresh clone serves English without gettext; after adding or changing strings, run
# this and translate the new entries in gongkai/locale/en/LC_MESSAGES/django.po (docs/operator.md).
# It also refreshes gongkai/locale_wagtail, the Chinese for what Wagtail's own zh_Hans catalogues
# leave untranslated (new entries after a Wagtail upgrade have an empty msgstr); compilemessages
# reaches it through settings.LOCALE_PATHS.
messages: $(VENV)/.installed
	@scripts/system-packages.sh gettext
	cd gongkai && ../$(BIN)/python ../manage.py makemessages -l zh_Hans -l en --no-obsolete --add-location=file
	$(BIN)/python scripts/wagtail_zh_missing.py
	cd gongkai && ../$(BIN)/python ../manage.py compilemessages
