"""Public portal speed (issue 3 point 7): item page and column list beside a static file.

    .venv/bin/python bench/portal_bench.py [--items 100000] [--duration 30s] [--connections 64]

Builds a fresh SQLite database under var/bench/ with the two demo sites and N published items
(bulk-created), collects static files, and serves it with the production settings (DEBUG off)
under gunicorn with 2 workers. Then measures with `wrk -t2 -c64 -d30s --latency`, in the same
server run:

  static   a file of exactly the item page's size, served by WhiteNoise
  item     one item page (the page cache answers after the first request)
  column   the first page of a column holding a third of the items
  cold     item pages picked at random among all N items (mostly cache misses: the cost of
           rendering; shown for honesty, not part of the goal)

Prints a Markdown table (requests/s, p50, p99, ratio to the static rate). Not a test.
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "var" / "bench"
DB = BENCH / "portal.sqlite3"
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")


def bench_env() -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="gongkai.settings.production",
        SECRET_KEY="bench-only-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=f"sqlite:///{DB}",
        GONGKAI_VAR_DIR=str(BENCH),
        CACHE_URL=f"file://{BENCH / 'cache'}",
        PYTHONPATH=str(ROOT),
    )
    return env


# --- data (runs in a child process with the bench settings) -------------------------------

GENERATE = r"""
import io, random, sys, time
from datetime import date, timedelta
import django
django.setup()
from django.db import transaction
from django.test import Client
from gongkai.catalogue.demo import load_demo
from gongkai.catalogue.models import Category, DisclosureItem
from gongkai.orgs.creditcode import make_credit_code
from gongkai.orgs.models import Organisation

N = int(sys.argv[1])
rng = random.Random(2012)
started = time.monotonic()
with transaction.atomic():
    town = Organisation.objects.create(
        code="liaobu", name="东莞市寮步镇人民政府", short_name="寮步镇",
        kind=Organisation.Kind.GOVERNMENT, credit_code=make_credit_code("11441900007331188"),
        address="广东省东莞市寮步镇香市路1号", postcode="523400", phone="0769-83322000",
        email="xxgk@liaobu.example.gov.cn",
    )
    data = load_demo(orgs={"liaobu": town}, users={}, stdout=io.StringIO())
columns = data["columns"]["gov"]
weights = [("政务动态", 33), ("通知公告", 15), ("政策文件", 10), ("业务工作", 12), ("统计数据", 5),
           ("规划计划", 5), ("政府采购", 5), ("财政预决算", 5), ("村(居)务公开", 10)]
names = [name for name, w in weights for _ in range(w)]
categories = list(Category.objects.filter(scheme="info"))
subjects = list(Category.objects.filter(scheme="subject"))
topics = ["安全生产", "环境保护", "城乡规划", "社会救助", "劳动就业", "义务教育", "医疗卫生",
          "食品药品", "消防安全", "农田水利", "沉香文化", "招商引资", "企业服务", "社会治安"]
paragraph = ("<p>为进一步加强{t}工作，根据上级有关文件精神，结合我镇实际，现就有关事项通知如下。"
             "各村（社区）、镇属各单位要高度重视，明确责任分工，认真组织实施，确保各项工作落到实处。</p>")
through = DisclosureItem.columns.through
start_day = date(2012, 1, 1)
batch = 5000
made = 0
while made < N:
    count = min(batch, N - made)
    items, placements = [], []
    for n in range(made, made + count):
        day = start_day + timedelta(days=(n * 5000) // N)
        topic = rng.choice(topics)
        items.append(DisclosureItem(
            organisation=town, index_number=f"{town.credit_code}/{day.year}-{n + 1:06d}",
            title=f"寮步镇关于做好{day.year}年{day.month}月{topic}工作的通知（第{n + 1}号）",
            summary=f"部署{day.year}年{day.month}月{topic}相关工作。", created_date=day,
            published_date=day, document_number=f"寮府〔{day.year}〕{n % 300 + 1}号",
            category=rng.choice(categories), subject=rng.choice(subjects), genre="通知",
            keywords=topic, body="".join(paragraph.format(t=topic) for _ in range(6)),
            live=True, first_published_at=None,
        ))
    with transaction.atomic():
        DisclosureItem.objects.bulk_create(items, batch_size=1000)
        for item in items:
            placements.append(through(disclosureitem_id=item.pk, columnpage_id=columns[rng.choice(names)].pk))
        through.objects.bulk_create(placements, batch_size=2000)
    made += count
print(f"created {N} items in {time.monotonic() - started:.1f} s", file=sys.stderr)
ids = list(DisclosureItem.objects.order_by("id").values_list("id", flat=True)[:: max(1, N // 1000)])
item_id = DisclosureItem.objects.filter(columns=columns["政务动态"]).order_by("-published_date", "-id").values_list("id", flat=True)[0]
client = Client()
item_page = client.get(f"/xxgk/items/{item_id}/", HTTP_HOST="127.0.0.1")
column_page = client.get("/zwdt/", HTTP_HOST="127.0.0.1")
assert item_page.status_code == 200 and column_page.status_code == 200
lo, hi = DisclosureItem.objects.order_by("id").values_list("id", flat=True)[0], DisclosureItem.objects.order_by("-id").values_list("id", flat=True)[0]
print(f"{item_id} {len(item_page.content)} {len(column_page.content)} {lo} {hi}")
"""


def run(cmd, **kwargs):
    return subprocess.run(cmd, check=True, env=bench_env(), cwd=ROOT, **kwargs)


def prepare(items: int) -> dict:
    if BENCH.exists():
        shutil.rmtree(BENCH)
    BENCH.mkdir(parents=True)
    started = time.monotonic()
    run([PY, "manage.py", "migrate", "--noinput", "-v", "0"])
    run([PY, "manage.py", "collectstatic", "--noinput", "-v", "0"])
    migrated = time.monotonic()
    out = subprocess.run(
        [PY, "-c", GENERATE, str(items)], env=bench_env(), cwd=ROOT, capture_output=True, text=True
    )
    sys.stderr.write(out.stderr[-5000:])
    if out.returncode:
        raise SystemExit("generating the items failed (see above)")
    item_id, item_size, column_size, lo, hi = map(int, out.stdout.split()[-5:])
    generated = time.monotonic()
    # The static twin: a file of exactly the item page's size, served by WhiteNoise.
    static_dir = BENCH / "static" / "bench"
    static_dir.mkdir(parents=True, exist_ok=True)
    (static_dir / "item-size.html").write_bytes(b"x" * item_size)
    print(
        f"migrate {migrated - started:.0f} s, {items} items {generated - migrated:.0f} s, "
        f"item page {item_size} bytes, column page {column_size} bytes",
        file=sys.stderr,
    )
    return {"item_id": item_id, "item_size": item_size, "lo": lo, "hi": hi}


def start_server(port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            GUNICORN,
            "gongkai.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],  # fmt: skip
        env=bench_env(),
        cwd=ROOT,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=1)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def parse_wrk(output: str) -> dict:
    def latency(label):
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        return float(match.group(1)) * UNITS[match.group(2)] if match else float("nan")

    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket = re.search(r"Socket errors:.*", output)
    return {
        "rps": float(rate.group(1)) if rate else 0.0,
        "p50": latency("50"),
        "p99": latency("99"),
        "non2xx": int(errors.group(1)) if errors else 0,
        "socket": socket.group(0) if socket else "",
    }


def wrk(url: str, *, duration: str, connections: int, script: str | None = None) -> dict:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{duration}", "--latency"]
    if script:
        cmd += ["-s", script]
    output = subprocess.run([*cmd, url], check=True, capture_output=True, text=True).stdout
    return parse_wrk(output)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--duration", default="30s")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--reuse", action="store_true", help="reuse the database of the previous run (same --items)"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: make bench-packages (apt-get install wrk)")

    print(f"load average at the start: {os.getloadavg()[0]:.1f}", file=sys.stderr)
    saved = BENCH / "info.json"
    if args.reuse and saved.exists() and json.loads(saved.read_text())["items"] == args.items:
        info = json.loads(saved.read_text())
        shutil.rmtree(BENCH / "cache", ignore_errors=True)
    else:
        info = prepare(args.items)
        saved.write_text(json.dumps({**info, "items": args.items}))
    server = start_server(args.port)
    base = f"http://127.0.0.1:{args.port}"
    script = BENCH / "random_items.lua"
    script.write_text(
        f"math.randomseed(2012)\nrequest = function()\n"
        f'  return wrk.format("GET", "/xxgk/items/" .. math.random({info["lo"]}, {info["hi"]}) .. "/")\n'
        "end\n"
    )
    targets = [
        ("static (WhiteNoise, same size)", f"{base}/static/bench/item-size.html", None),
        ("item page", f"{base}/xxgk/items/{info['item_id']}/", None),
        ("column list (page 1)", f"{base}/zwdt/", None),
        ("item pages, random ids (cold)", f"{base}/", str(script)),
    ]
    results = []
    try:
        for _label, url, lua in targets:  # warm up: first render and the workers' imports
            for _ in range(3):
                if lua is None:
                    urllib.request.urlopen(url, timeout=10).read()  # noqa: S310
        for label, url, lua in targets:
            results.append(
                (label, wrk(url, duration=args.duration, connections=args.connections, script=lua))
            )
            print(f"  {label}: {results[-1][1]}", file=sys.stderr)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    static_rps = results[0][1]["rps"]
    load = os.getloadavg()
    print(
        f"\n{args.items} published items, SQLite, gunicorn 2 workers (sync), production "
        f"settings, file cache; wrk -t2 -c{args.connections} -d{args.duration}; "
        f"item page {info['item_size']} bytes; {os.cpu_count()} cores, load average "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} at the end\n"
    )
    print("| what | requests/s | p50 (ms) | p99 (ms) | rate ÷ static | errors |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for label, r in results:
        errors = f"{r['non2xx']} non-2xx" if r["non2xx"] else "none"
        if r["socket"]:
            errors += f"; {r['socket']}"
        print(
            f"| {label} | {r['rps']:,.0f} | {r['p50']:.2f} | {r['p99']:.2f} | "
            f"{r['rps'] / static_rps:.2f} | {errors} |"
        )


if __name__ == "__main__":
    main()
