#!/usr/bin/env bash
# `make run`: the embedded default on one machine. Every failure ends in one clear line.
set -uo pipefail
PORT="${PORT:-8000}"
BIN=.venv/bin
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-gongkai.settings.dev}"
VAR_DIR="${GONGKAI_VAR_DIR:-var}"

fail() { echo "错误 (error): $*" >&2; exit 1; }

mkdir -p "$VAR_DIR" 2>/dev/null || fail "无法创建目录 $VAR_DIR，请检查权限或设置 GONGKAI_VAR_DIR 指向可写目录 (cannot create $VAR_DIR)"
[ -w "$VAR_DIR" ] || fail "目录 $VAR_DIR 不可写，请执行 chmod u+w $VAR_DIR 或设置 GONGKAI_VAR_DIR 指向可写目录 ($VAR_DIR is not writable)"
case "$PORT" in ''|*[!0-9]*) fail "PORT=$PORT 不是端口号 (PORT must be a number)";; esac
$BIN/python - "$PORT" <<'PY' || fail "端口 $PORT 已被占用，请用 make run PORT=8001 换一个端口 (port $PORT is in use)"
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
PY

$BIN/python manage.py migrate --noinput -v 0 || exit 1
$BIN/python manage.py collectstatic --noinput -v 0 || exit 1
mkdir -p "$VAR_DIR/log"
demo_out=$($BIN/python manage.py load_demo --if-empty) || exit 1
echo "$demo_out"
if ! grep -q "跳过" <<<"$demo_out"; then
  # The demo's items are loaded in bulk; index them for search in the background.
  $BIN/python manage.py rebuild_search_index >"$VAR_DIR/log/search-index.log" 2>&1 &
fi
$BIN/python manage.py db_worker >"$VAR_DIR/log/worker.log" 2>&1 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null' EXIT INT TERM

cat <<MSG

  公开 gongkai 已启动 (running)
  公众网站 (public site):  http://127.0.0.1:$PORT/
  企业服务网 (second site): http://localhost:$PORT/
  管理后台 (admin):         http://127.0.0.1:$PORT/admin/
  演示账号 (demo logins):   $VAR_DIR/demo-logins.txt
  后台任务日志 (worker log): $VAR_DIR/log/worker.log
  按 Ctrl+C 停止 (stop with Ctrl+C)

MSG
$BIN/gunicorn gongkai.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 \
  --access-logfile "$VAR_DIR/log/access.log" --error-logfile "$VAR_DIR/log/error.log" \
  || fail "服务器无法启动，详见 $VAR_DIR/log/error.log (server failed to start)"
