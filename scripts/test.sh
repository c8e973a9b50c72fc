#!/usr/bin/env bash
# `make test`: static checks, then the whole suite on SQLite and, when reachable, PostgreSQL.
set -euo pipefail
BIN=.venv/bin
start=$(date +%s)

echo "== ruff format --check"; $BIN/ruff format --check .
echo "== ruff check"; $BIN/ruff check .
echo "== manage.py check"; DJANGO_SETTINGS_MODULE=gongkai.settings.test $BIN/python manage.py check
echo "== makemigrations --check"
DJANGO_SETTINGS_MODULE=gongkai.settings.test $BIN/python manage.py makemigrations --check --dry-run
echo "== check --deploy (production settings)"
DJANGO_SETTINGS_MODULE=gongkai.settings.production SECRET_KEY="$(head -c 48 /dev/urandom | base64)" \
  ALLOWED_HOSTS=gov.example.cn $BIN/python manage.py check --deploy --fail-level WARNING

backends=()
echo "== pytest on SQLite"
env -u DATABASE_URL $BIN/pytest -n 2 -q "$@"
backends+=("SQLite")

PG_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
if $BIN/python -c "import sys, psycopg; psycopg.connect(sys.argv[1].replace('postgres://','postgresql://',1), connect_timeout=3).close()" "$PG_URL" 2>/dev/null; then
  echo "== pytest on PostgreSQL ($PG_URL)"
  DATABASE_URL="$PG_URL" $BIN/pytest -n 2 -q "$@"
  backends+=("PostgreSQL")
else
  echo "== PostgreSQL not reachable at $PG_URL: skipped"
fi
echo "backends run: ${backends[*]} ($(( $(date +%s) - start )) s)"
