"""Annual report speed (issue 8): every table of one year for a city-sized dataset.

    .venv/bin/python bench/report_bench.py [--items 1000000] [--applications 50000] [--orgs 500]
        [--year 2025] [--pg postgres://postgres@127.0.0.1:5432/postgres] [--regenerate]

Generates (once, kept in var/bench/) a city: 500 organisations (a city government, 19
districts, 480 departments and villages), 10 websites with their columns, 1,000,000 items over
twelve years placed in columns (10% in two), 50,000 applications with their outcomes and fees,
1,000 appeals and the staff figures — inserted with raw executemany (SQLite) or COPY
(PostgreSQL). Then, for each backend, in one run:

  * the report of the whole city (500 organisations, roll-up), current format and 2008 format;
  * the report of one district (about 25 organisations);
  * the same figures of the current format computed by loading the rows into Python,
    compared with the report's figures (they must be equal).

Not part of the test suite. Prints a table; the goal is under 2 s per report on both backends.
Each report is timed three times and the best is kept; "CPU here" is the time this process
spent (for SQLite the whole query work, for PostgreSQL only the client side), and the load
average is printed because a busy machine stretches every wall-clock figure.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench" / "reports"
SQLITE = VAR / "report_bench.sqlite3"
PG_DB = "gongkai_report_bench"
CATEGORIES = [
    ("guifanxing", "规范性文件"),
    ("guihua", "规划计划"),
    ("yewu", "业务工作"),
    ("tongji", "统计数据"),
    ("jigou", "机构职能"),
    ("zhengfu-wenjian", "政府文件"),
    ("cunju", "村(居)委会"),
    ("caigou", "政府采购"),
    ("renshi", "人事任免"),
    ("caizheng", "财政预决算"),
    ("qita", "其他"),
]
APPLICANT_TYPES = ["natural"] * 7 + ["commercial", "research", "social", "legal_service", "other"]


# ---- parent: one run, both backends ---------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--applications", type=int, default=50_000)
    parser.add_argument("--orgs", type=int, default=500)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--dir", default=str(VAR), help="where the SQLite database is kept")
    parser.add_argument("--child", choices=["sqlite", "pg"])
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    sqlite_path = folder / SQLITE.name
    results = []
    for backend in ("sqlite", "pg"):
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="gongkai.settings.test")
        if backend == "sqlite":
            if args.regenerate:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
            env["DATABASE_URL"] = f"sqlite:///{sqlite_path}"
        else:
            if not _pg_ready(args.pg, regenerate=args.regenerate):
                print("PostgreSQL not reachable: skipped", file=sys.stderr)
                continue
            env["DATABASE_URL"] = args.pg.rsplit("/", 1)[0] + "/" + PG_DB
        cmd = [sys.executable, __file__, "--child", backend]
        for name in ("items", "applications", "orgs", "year"):
            cmd += [f"--{name}", str(getattr(args, name))]
        if args.regenerate:
            cmd.append("--regenerate")
        out = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)  # noqa: S603
        sys.stderr.write(out.stderr)
        if out.returncode:
            print(out.stdout)
            raise SystemExit(f"{backend} run failed")
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    _print(results)


def _pg_ready(url: str, *, regenerate: bool) -> bool:
    import psycopg

    try:
        conn = psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True)
    except psycopg.OperationalError:
        return False
    with conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PG_DB]).fetchone()
        if exists and regenerate:
            conn.execute(f'DROP DATABASE "{PG_DB}"')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{PG_DB}"')
    return True


def _print(results: list[dict]) -> None:
    print()
    print(
        "| backend | data | 2021, city (500 orgs) | 2008, city | 2021, one district "
        "| Python: load rows + compute | same figures | load average |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['backend']} | {r['items']:,} items, {r['applications']:,} applications, "
            f"{r['orgs']} orgs ({r['year_items']:,} items in {r['year']}) "
            f"| {r['t2021']:.2f} s ({r['t2021_cpu']:.2f} s CPU here) "
            f"| {r['t2008']:.2f} s ({r['t2008_cpu']:.2f}) "
            f"| {r['tdistrict']:.2f} s ({r['tdistrict_cpu']:.2f}) "
            f"| {r['tpython']:.2f} s | {'yes' if r['same'] else 'NO'} | {r['load']:.1f} |"
        )


# ---- child: one backend ---------------------------------------------------------------------


def child(args) -> None:
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.apps import apps
    from django.conf import settings

    # The schema from the models (as pytest --nomigrations): independent of migration history.
    settings.MIGRATION_MODULES = {a.label: None for a in apps.get_app_configs()}
    from django.core.management import call_command

    from gongkai.orgs.models import Organisation

    fresh = args.regenerate or not _has_data()
    if fresh:
        started = time.monotonic()
        call_command("migrate", run_syncdb=True, verbosity=0)
        generate(args)
        _log(f"generated in {time.monotonic() - started:.0f} s")
    root = Organisation.objects.get(code="city")
    district = Organisation.objects.get(code="district-1")
    result = {
        "backend": "SQLite" if args.child == "sqlite" else "PostgreSQL",
        "items": args.items,
        "applications": args.applications,
        "orgs": args.orgs,
        "year": args.year,
    }
    from gongkai.catalogue.models import DisclosureItem
    from gongkai.reports.figures import report_data

    result["year_items"] = DisclosureItem.objects.filter(published_date__year=args.year).count()
    report_data(organisation=district, year=args.year, fmt="2021", include_subtree=True)  # warm
    timings = {}
    for key, org, fmt in (
        ("t2021", root, "2021"),
        ("t2008", root, "2008"),
        ("tdistrict", district, "2021"),
    ):
        best = cpu = None
        for _ in range(3):
            started, started_cpu = time.perf_counter(), time.process_time()
            data = report_data(organisation=org, year=args.year, fmt=fmt, include_subtree=True)
            elapsed = time.perf_counter() - started
            if best is None or elapsed < best:
                best, cpu = elapsed, time.process_time() - started_cpu
        timings[key] = best
        timings[key + "_cpu"] = cpu
        if key == "t2021":
            sql_data = data
    started = time.perf_counter()
    python_figures = in_python(root, args.year)
    timings["tpython"] = time.perf_counter() - started
    result.update(timings)
    result["load"] = os.getloadavg()[0]
    result["same"] = python_figures == _figures_of(sql_data)
    if not result["same"]:
        _log(
            json.dumps({"sql": _figures_of(sql_data), "python": python_figures}, default=str)[:4000]
        )
    print(json.dumps(result))


def _log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _has_data() -> bool:
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM orgs_organisation WHERE code = 'city'")
            return cursor.fetchone()[0] == 1
    except Exception:  # noqa: BLE001 - no table yet
        return False


def _figures_of(data: dict) -> dict:
    t = data["tables"]
    return {
        "item1": t["article20"]["item1"],
        "requests": t["requests"]["rows"],
        "appeals": t["appeals"],
        "websites": {
            "total": data["facts"]["websites"]["total"],
            "sites": data["facts"]["websites"]["sites"],
            "portal": [
                (c["name"], c["count"])
                for c in (data["facts"]["websites"]["portal"] or {}).get("categories", [])
            ],
        },
        "fees": data["facts"]["processing_fees_yuan"],
    }


# ---- generation -----------------------------------------------------------------------------


def generate(args) -> None:
    from django.db import connection, transaction
    from wagtail.models import Locale, Page, Site

    from gongkai.catalogue.models import Category, ColumnPage, DisclosureItem
    from gongkai.catalogue.models.pages import DisclosureSectionPage, SiteHomePage
    from gongkai.orgs.models import Organisation

    rng = random.Random(8)
    with transaction.atomic():
        Locale.objects.get_or_create(language_code="zh-hans")
        root_page = Page.get_first_root_node() or Page.add_root(
            instance=Page(title="Root", slug="root")
        )
        cats = [
            Category.objects.get_or_create(
                scheme="info", code=code, defaults={"name": name, "sort_order": n}
            )[0]
            for n, (code, name) in enumerate(CATEGORIES)
        ]
        city = Organisation.objects.create(name="某市人民政府", code="city", kind="government")
        districts = [
            Organisation.objects.create(
                name=f"第{n}区人民政府",
                code=f"district-{n}",
                kind="government",
                parent=city,
                sort_order=n,
            )
            for n in range(1, 20)
        ]
        leaves = Organisation.objects.bulk_create(
            [
                Organisation(
                    name=f"第{n % 19 + 1}区单位{n}",
                    code=f"unit-{n}",
                    kind="village" if n % 3 else "department",
                    parent=districts[n % 19],
                    sort_order=n,
                )
                for n in range(args.orgs - 20)
            ]
        )
        org_ids = [city.pk] + [d.pk for d in districts] + [o.pk for o in leaves]
        columns = []  # (column id, weight)
        for s in range(10):
            owner = city if s == 0 else districts[s]
            home = root_page.add_child(
                instance=SiteHomePage(title=f"网站{s}", slug=f"site{s}", organisation=owner)
            )
            Site.objects.create(hostname=f"site{s}.bench", root_page=home, site_name=home.title)
            parent = home
            if s != 9:  # site 9 is an enterprise-service site: no 政府信息公开 section
                parent = home.add_child(
                    instance=DisclosureSectionPage(title=f"信息公开{s}", slug="xxgk")
                )
            for c in range(5):
                columns.append(
                    parent.add_child(instance=ColumnPage(title=f"目录{c}", slug=f"ml{c}")).pk
                )
                columns.append(
                    home.add_child(instance=ColumnPage(title=f"动态{c}", slug=f"dt{c}")).pk
                )

        _log("items …")
        template = DisclosureItem(
            organisation=city, title="x", created_date=date(2020, 1, 1), category=cats[0], live=True
        )
        fields = [f for f in DisclosureItem._meta.concrete_fields if not f.primary_key]
        now = datetime(2026, 1, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
        base = {}
        for f in fields:
            value = getattr(template, f.attname)
            if f.attname in ("created_at", "updated_at"):
                value = now
            base[f.column] = f.get_db_prep_save(value, connection)
        cols = list(base)
        idx = {c: n for n, c in enumerate(cols)}
        start = date(2015, 1, 1)
        span = (date(2026, 12, 28) - start).days
        rows = []
        # Items are entered as they are published, so ids follow dates (as on a real site).
        days = sorted(start + timedelta(days=rng.randrange(span)) for _ in range(args.items))
        for n in range(args.items):
            row = [base[c] for c in cols]
            day = days[n]
            cat = rng.randrange(len(cats))
            row[idx["organisation_id"]] = org_ids[rng.randrange(len(org_ids))]
            row[idx["category_id"]] = cats[cat].pk
            row[idx["title"]] = f"信息{n}"
            row[idx["created_date"]] = day - timedelta(days=rng.randrange(15))
            row[idx["published_date"]] = day
            if cat == 0:
                row[idx["regulatory_kind"]] = "normative" if rng.random() < 0.9 else "rule"
                if rng.random() < 0.1:
                    row[idx["validity"]] = "repealed"
                    row[idx["validity_changed_on"]] = day + timedelta(days=rng.randrange(900))
            if rng.random() < 0.01:
                row[idx["live"]] = False
            rows.append(tuple(row))
        _insert(connection, DisclosureItem._meta.db_table, cols, rows)
        del rows
        first_id = DisclosureItem.objects.order_by("id").values_list("id", flat=True).first()
        through = DisclosureItem.columns.through._meta.db_table
        placements = []
        for n in range(args.items):
            column = columns[rng.randrange(len(columns))]
            placements.append((first_id + n, column))
            if rng.random() < 0.1:
                other = columns[rng.randrange(len(columns))]
                if other != column:
                    placements.append((first_id + n, other))
        _insert(connection, through, ["disclosureitem_id", "columnpage_id"], placements)
        del placements

        _log("applications …")
        from gongkai.applications.models import Application, CaseEvent
        from gongkai.applications.outcomes import OUTCOMES

        outcomes = list(OUTCOMES)
        app_rows = []
        app_start = date(2023, 1, 1)
        for n in range(args.applications):
            received = app_start + timedelta(
                days=rng.randrange((date(2026, 11, 20) - app_start).days)
            )
            closed = received + timedelta(days=rng.randrange(1, 60))
            is_closed = closed <= date(2026, 11, 20) and rng.random() < 0.97
            app_rows.append(
                (
                    org_ids[rng.randrange(len(org_ids))],
                    f"B-{n:07d}",
                    received.year,
                    n + 1,
                    "code",
                    "staff",
                    "in_person",
                    received,
                    received,
                    rng.choice(APPLICANT_TYPES),
                    "申请人",
                    "",
                    "",
                    "",
                    "",
                    "13800138000",
                    "",
                    "",
                    "",
                    "信息",
                    "",
                    "electronic",
                    "email",
                    "closed" if is_closed else "in_progress",
                    received + timedelta(days=28),
                    rng.choice(outcomes) if is_closed else "",
                    closed if is_closed else None,
                    "",
                    now,
                )
            )
        _insert(
            connection,
            Application._meta.db_table,
            [
                "organisation_id",
                "number",
                "year",
                "serial",
                "secret_code",
                "entered_via",
                "channel",
                "submitted_on",
                "received_on",
                "applicant_type",
                "name",
                "id_document",
                "id_number",
                "credit_code",
                "contact_person",
                "phone",
                "email",
                "address",
                "postcode",
                "description",
                "document_number",
                "info_form",
                "delivery",
                "status",
                "due_on",
                "outcome",
                "closed_on",
                "responsible_agency",
                "created_at",
            ],
            app_rows,
        )
        ids = list(Application.objects.values_list("id", "received_on", "organisation_id"))
        fee_rows = [
            (
                app_id,
                "fee_paid",
                received + timedelta(days=10),
                now,
                "100.00",
                "piece",
                "",
                "",
                "{}",
            )
            for app_id, received, _org in ids[:: max(1, len(ids) // 500)]
        ]
        _insert(
            connection,
            CaseEvent._meta.db_table,
            [
                "application_id",
                "kind",
                "happened_on",
                "recorded_at",
                "amount",
                "fee_basis",
                "outcome",
                "note",
                "data",
            ],
            fee_rows,
        )
        from gongkai.appeals.models import Appeal

        appeal_rows = []
        for app_id, received, org in ids[:: max(1, len(ids) // 1000)]:
            result = rng.choice(["upheld", "corrected", "other", "pending"])
            filed = received + timedelta(days=40)
            appeal_rows.append(
                (
                    app_id,
                    org,
                    rng.choice(["reconsideration", "suit_direct", "suit_after_reconsideration"]),
                    filed,
                    "某市人民政府",
                    "",
                    result,
                    None if result == "pending" else filed + timedelta(days=50),
                    "",
                    now,
                )
            )
        _insert(
            connection,
            Appeal._meta.db_table,
            [
                "application_id",
                "organisation_id",
                "kind",
                "filed_on",
                "authority",
                "reference",
                "result",
                "decided_on",
                "notes",
                "created_at",
            ],
            appeal_rows,
        )
        from gongkai.reports.models import StaffFigure

        StaffFigure.objects.bulk_create(
            [
                StaffFigure(
                    organisation_id=o,
                    year=args.year,
                    key=k,
                    value=rng.randrange(50),
                    entered_at=now,
                )
                for o in org_ids
                for k in ("licensing", "penalty", "enforcement", "fees")
            ]
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _insert(connection, table: str, columns: list[str], rows: list[tuple]) -> None:
    started = time.monotonic()
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
    else:
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({marks})"
        with connection.cursor() as cursor:
            for n in range(0, len(rows), 50_000):
                cursor.executemany(sql, rows[n : n + 50_000])
    _log(f"  {table}: {len(rows):,} rows in {time.monotonic() - started:.1f} s")


# ---- the same figures, from rows loaded into Python ----------------------------------------


def in_python(root, year: int) -> dict:
    """Load the rows of every organisation of the tree and count in Python."""
    from collections import Counter, defaultdict

    from gongkai.appeals.models import Appeal
    from gongkai.applications.models import Application, CaseEvent
    from gongkai.catalogue.models import Category, ColumnPage, DisclosureItem
    from gongkai.catalogue.models.pages import DisclosureSectionPage, SiteHomePage
    from gongkai.orgs.selectors import organisation_subtree_ids
    from gongkai.reports.formats import y2021
    from gongkai.reports.sources import OUTCOME_ROW_KEY

    ids = organisation_subtree_ids(organisations=[root])
    start, end = date(year, 1, 1), date(year, 12, 31)
    items = {}
    reg = {k: {"issued": 0, "repealed": 0, "in_force": 0} for k in ("rule", "normative")}
    for (
        pk,
        org,
        cat,
        created,
        pub,
        kind,
        validity,
        changed,
        live,
        withdrawn,
        effective,
    ) in DisclosureItem.objects.values_list(
        "id",
        "organisation_id",
        "category_id",
        "created_date",
        "published_date",
        "regulatory_kind",
        "validity",
        "validity_changed_on",
        "live",
        "withdrawn_at",
        "effective_from",
    ).iterator(chunk_size=20_000):
        if org not in ids:
            continue
        if kind and withdrawn is None and pub is not None:
            r = reg[kind]
            r["issued"] += created.year == year
            r["repealed"] += validity == "repealed" and changed is not None and changed.year == year
            r["in_force"] += (
                created <= end
                and pub <= end
                and (effective is None or effective <= end)
                and not (validity == "repealed" and changed is not None and changed <= end)
            )
        if live and withdrawn is None and pub is not None and pub.year == year:
            items[pk] = cat
    names = dict(Category.objects.values_list("id", "name"))
    order = {
        name: n
        for n, name in enumerate(
            Category.objects.filter(scheme="info").values_list("name", flat=True)
        )
    }
    column_paths = dict(ColumnPage.objects.values_list("id", "path"))
    homes = list(SiteHomePage.objects.live().order_by("path").values_list("path", "title"))
    sections = [p for p in DisclosureSectionPage.objects.values_list("path", flat=True)]
    by_column = defaultdict(set)
    for item_id, column_id in DisclosureItem.columns.through.objects.values_list(
        "disclosureitem_id", "columnpage_id"
    ).iterator(chunk_size=50_000):
        if item_id in items:
            by_column[column_id].add(item_id)
    sites, government, portal = [], set(), Counter()
    for path, title in homes:
        on_site = set().union(
            *[v for c, v in by_column.items() if column_paths[c].startswith(path)] or [set()]
        )
        if not on_site:
            continue
        section = next((s for s in sections if s.startswith(path)), None)
        in_portal = set()
        if section:
            in_portal = set().union(
                *[v for c, v in by_column.items() if column_paths[c].startswith(section)] or [set()]
            )
        if in_portal:  # a government website: its portal published items this year
            government |= on_site
            sites.append({"name": title, "count": len(on_site)})
            portal.update(names[items[i]] for i in in_portal)
    rows = defaultdict(lambda: dict.fromkeys(y2021.COLUMN_KEYS, 0))

    def add(key, col):
        rows[key][col] += 1
        rows[key]["total"] += 1

    for org, received, closed, outcome, applicant in Application.objects.values_list(
        "organisation_id", "received_on", "closed_on", "outcome", "applicant_type"
    ).iterator(chunk_size=20_000):
        if org not in ids or received > end or (closed is not None and closed < start):
            continue
        add("new" if received >= start else "carried_in", applicant)
        if closed is not None and closed <= end:
            add(OUTCOME_ROW_KEY.get(outcome, outcome), applicant)
            add("results_total", applicant)
        else:
            add("carried_out", applicant)
    for group, _label, subs in y2021.GROUPS:
        for sub, _l in subs:
            for col in y2021.COLUMN_KEYS:
                rows[group][col] += rows[sub][col]
    keys = [
        "new",
        "carried_in",
        *y2021.GROUP_KEYS,
        *y2021.OUTCOME_ROW_KEYS,
        "results_total",
        "carried_out",
    ]
    requests = {k: dict(rows[k]) for k in dict.fromkeys(keys)}
    appeals = {
        g: dict.fromkeys(["upheld", "corrected", "other", "pending", "total"], 0)
        for g, _l in y2021.APPEAL_GROUPS
    }
    group_of = {
        "reconsideration": "reconsideration",
        "suit_direct": "direct_suit",
        "suit_after_reconsideration": "suit_after_reconsideration",
    }
    for org, kind, filed, result, decided in Appeal.objects.values_list(
        "organisation_id", "kind", "filed_on", "result", "decided_on"
    ):
        if org in ids and filed.year == year:
            g = appeals[group_of[kind]]
            g["total"] += 1
            g[result if decided is not None and decided <= end else "pending"] += 1
    fees = sum(
        amount
        for org, amount, day in CaseEvent.objects.filter(kind="fee_paid").values_list(
            "application__organisation_id", "amount", "happened_on"
        )
        if org in ids and day.year == year
    )
    return {
        "item1": reg,
        "requests": requests,
        "appeals": appeals,
        "websites": {
            "total": len(government),
            "sites": sites,
            "portal": sorted(portal.items(), key=lambda kv: (order.get(kv[0], 10**6), kv[0])),
        },
        "fees": f"{fees or 0:.2f}",
    }


if __name__ == "__main__":
    main()
