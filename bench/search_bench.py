"""Full-text search benchmark (issue 7): SQLite FTS5 and PostgreSQL tsvector, beside LIKE scans
and tantivy, on the same generated items and the same 1,000 queries.

    .venv/bin/pip install tantivy==0.27.0          # for the tantivy column only; not a dependency
    .venv/bin/python bench/search_bench.py --items 100000
    .venv/bin/python bench/search_bench.py --items 1000000 --like-items 100000
    .venv/bin/python bench/search_bench.py --report var/bench/search_100000.json

Data goes under var/bench/ (SQLite file, tantivy index) and into the PostgreSQL database
gongkai_search_bench_<N> on 127.0.0.1 (override with --pg-url). Each backend runs in its own
process (Django binds one database per process); a run that finds its data already loaded
reuses it. Phases per backend: load (bulk insert, not timed as indexing), index
(`search_rebuild(clear=True)`: read items, segment, write the index — the indexing rate),
query (1,000 queries through `search_items`, page 1, 20 per page, with highlighting; and the
engine alone: candidates + ranking), LIKE (what a simple CMS does: LIKE '%word%' on title,
summary, body and document number, newest first, LIMIT 20, plus the COUNT(*) its pager needs).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
VAR = ROOT / "var" / "bench"
PYTHON = sys.executable
WORKERS = min(4, os.cpu_count() or 1)


# -- helpers ----------------------------------------------------------------------------------


def percentiles(values):
    if not values:
        return {"p50": None, "p95": None, "p99": None, "mean": None, "n": 0}
    ordered = sorted(values)

    def pick(p):
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    return {
        "p50": pick(50),
        "p95": pick(95),
        "p99": pick(99),
        "mean": statistics.fmean(ordered),
        "n": len(ordered),
    }


def django_setup(db_url: str):
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings.test")
    import django

    django.setup()


def sqlite_url(n: int) -> str:
    return f"sqlite:///{VAR / f'search_{n}.sqlite3'}"


def pg_url(n: int, base: str) -> str:
    return base.rstrip("/") + f"/gongkai_search_bench_{n}"


def ensure_pg_database(base: str, n: int) -> None:
    import psycopg

    conninfo = base.replace("postgres://", "postgresql://", 1).rstrip("/") + "/postgres"
    with psycopg.connect(conninfo, autocommit=True) as conn:
        name = f"gongkai_search_bench_{n}"
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


# -- load -------------------------------------------------------------------------------------


def phase_load(n: int) -> dict:
    from datetime import datetime
    from datetime import time as dtime
    from zoneinfo import ZoneInfo

    import search_data
    from django.core.management import call_command
    from django.db import connection, transaction
    from wagtail.models import Page, Site

    from gongkai.catalogue.models import Category, ColumnPage, DisclosureItem
    from gongkai.orgs.models import Organisation

    call_command("migrate", verbosity=0)
    if DisclosureItem.objects.count() == n:
        return {"reused": True}
    if DisclosureItem.objects.exists():
        raise SystemExit("bench database holds a different number of items; drop it first")
    started = time.perf_counter()
    town = Organisation.objects.create(
        name="寮步镇人民政府", code="bench-liaobu", kind="government"
    )
    villages = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"寮步镇{stem}{'社区' if i % 4 == 0 else '村'}",
                code=f"bench-v{i}",
                kind="village",
                parent=town,
            )
            for i, stem in enumerate(search_data.VILLAGE_STEMS)
        ]
    )
    depts = Organisation.objects.bulk_create(
        [
            Organisation(name=f"寮步镇{d}", code=f"bench-d{i}", kind="department", parent=town)
            for i, d in enumerate(search_data.DEPTS)
        ]
    )
    root = Page.get_first_root_node()
    home_a = root.add_child(instance=Page(title="寮步镇人民政府网", slug="bench-a"))
    home_b = root.add_child(instance=Page(title="寮步企业服务网", slug="bench-b"))
    Site.objects.create(hostname="bench-a.example", root_page=home_a)
    Site.objects.create(hostname="bench-b.example", root_page=home_b)
    columns = []
    parent = home_a.add_child(instance=ColumnPage(title="政府信息公开", slug="xxgk"))
    for i in range(12):
        under = parent if i < 5 else (home_a if i < 8 else home_b)
        columns.append(under.add_child(instance=ColumnPage(title=f"栏目{i}", slug=f"c{i}")))
    categories = {c.name: c for c in Category.objects.filter(scheme="info")}
    other = categories.get("其他") or next(iter(categories.values()))
    shanghai = ZoneInfo("Asia/Shanghai")
    through = DisclosureItem.columns.through
    batch, placements = [], []

    def flush():
        with transaction.atomic():
            DisclosureItem.objects.bulk_create(batch, batch_size=2000)
            through.objects.bulk_create(
                [
                    through(disclosureitem_id=item.pk, columnpage_id=column.pk)
                    for item, column in zip(batch, placements, strict=True)
                ],
                batch_size=5000,
            )
        batch.clear()
        placements.clear()

    from tqdm import tqdm

    for item in tqdm(search_data.generate(n), total=n, desc="load", mininterval=5):
        published = datetime.combine(item.published, dtime(9, 30), tzinfo=shanghai)
        org = villages[item.village - 1] if item.village else depts[item.dept % len(depts)]
        if item.n % 5 == 0:
            org = town
        batch.append(
            DisclosureItem(
                organisation=org,
                title=item.title,
                summary=item.summary,
                body=item.body,
                document_number=item.document_number,
                category=categories.get(item.category, other),
                created_date=item.published,
                published_date=item.published,
                validity=item.validity,
                validity_changed_on=item.published if item.validity != "in_force" else None,
                live=True,
                has_unpublished_changes=False,
                first_published_at=published,
                last_published_at=published,
            )
        )
        placements.append(columns[item.column])
        if len(batch) >= 5000:
            flush()
    if batch:
        flush()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"reused": False, "seconds": time.perf_counter() - started}


# -- index ------------------------------------------------------------------------------------


def db_size() -> int | None:
    from django.db import connection

    if connection.vendor == "sqlite":
        return Path(connection.settings_dict["NAME"]).stat().st_size
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0]


def phase_index(n: int, batch_size: int) -> dict:
    import resource

    from tqdm import tqdm

    from gongkai.search import segment
    from gongkai.search.backends import get_backend
    from gongkai.search.services import search_rebuild

    segment.reset()
    # How long the end of the run takes (merging segments, building indexes): serial work.
    backend_class = type(get_backend())
    plain_bulk_end = backend_class.bulk_end
    finish = {}

    def timed_bulk_end(self, **kwargs):
        started = time.perf_counter()
        try:
            return plain_bulk_end(self, **kwargs)
        finally:
            finish["seconds"] = time.perf_counter() - started

    backend_class.bulk_end = timed_bulk_end
    bar = tqdm(total=0, desc="index", mininterval=5)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    run = search_rebuild(batch_size=batch_size, clear=True, progress=bar, workers=WORKERS)
    seconds = time.perf_counter() - started
    after, after_children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    cpu = (after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime) + (
        after_children.ru_utime + after_children.ru_stime - children.ru_utime - children.ru_stime
    )
    bar.close()
    backend_class.bulk_end = plain_bulk_end
    backend = get_backend()
    return {
        "items": run.indexed,
        "seconds": seconds,
        "finish_seconds": finish.get("seconds"),
        "rate": run.indexed / seconds,
        # CPU seconds of this process and its segmentation workers (not the PostgreSQL
        # server's): on a shared machine the wall clock mostly measures the other tenants.
        "cpu_seconds": cpu,
        "cpu_rate": run.indexed / cpu if cpu else None,
        "index_bytes": backend.size_bytes(),
        "db_bytes": db_size(),
    }


# -- queries ----------------------------------------------------------------------------------


def resolve(spec: dict) -> dict:
    from gongkai.catalogue.models import Category, ColumnPage
    from gongkai.orgs.models import Organisation

    filters = {}
    if "year" in spec:
        filters["year"] = spec["year"]
    if "org" in spec:
        code = "bench-liaobu" if spec["org"] == "town" else "bench-v3"
        filters["organisation"] = Organisation.objects.get(code=code).pk
    if "category" in spec:
        category = Category.objects.filter(scheme="info", name=spec["category"]).first()
        if category:
            filters["category"] = category.pk
    if "validity" in spec:
        filters["validity"] = spec["validity"]
    if "column" in spec:
        filters["column"] = ColumnPage.objects.get(slug=f"c{spec['column']}").pk
    return filters


def query_list(n: int, count: int, *, warmup: bool = False):
    """The fixed list of queries measured; warmup: as many others like them (another seed),
    answered first so that no engine is measured on a page cache another engine emptied."""
    import itertools

    import search_data

    sample = list(itertools.islice(search_data.generate(n), 0, min(n, 20000)))
    years = (2008, 2025)
    seed = search_data.SEED + 2 if warmup else search_data.SEED + 1
    return search_data.queries(sample, count=count, years=years, seed=seed)


def phase_query(n: int, count: int, warmup: int, pause: float = 0) -> dict:
    from django.db import reset_queries

    from gongkai.search import query as q
    from gongkai.search.backends import get_backend
    from gongkai.search.ranking import rank
    from gongkai.search.selectors import _cap, resolve_filters, search_items

    queries = [(kind, text, resolve(spec)) for kind, text, spec in query_list(n, count)]
    backend = get_backend()
    for _kind, text, spec in query_list(n, warmup, warmup=True):  # warm the caches
        search_items(query=text, filters=resolve(spec))
    # A site's searches come now and then, not back to back: while idle, the host may page out
    # what the warm-up read, and the measured queries then find only what stays in memory.
    time.sleep(pause)
    end_to_end, engine, by_kind, zero, cpu = [], [], {}, 0, []
    for kind, text, filters in queries:
        started = time.perf_counter()
        cpu_started = time.process_time()
        results = search_items(query=text, filters=filters)
        elapsed = (time.perf_counter() - started) * 1000
        cpu.append((time.process_time() - cpu_started) * 1000)
        end_to_end.append(elapsed)
        by_kind.setdefault(kind, []).append(elapsed)
        zero += results.total == 0
        parsed = q.parse(text)
        flt = resolve_filters(filters)[0]
        started = time.perf_counter()
        cset = backend.candidates(
            all_expr=parsed.all_expr(),
            head_expr=parsed.head_expr() if parsed.chunks else None,
            exclude=parsed.exclusion_expr(),
            filters=flt,
            cap=_cap(),
            head_probe=parsed.all_expr(),
        )
        rank(cset.candidates, today=__import__("datetime").date.today())
        engine.append((time.perf_counter() - started) * 1000)
        reset_queries()
    return {
        "memory": memory_settings(),
        "pause_seconds": pause,
        "end_to_end": percentiles(end_to_end),
        # CPU time of this process: the whole query on SQLite (in-process), only the Python
        # side on PostgreSQL. The machine is shared, so wall-clock times include waiting.
        "cpu_end_to_end": percentiles(cpu),
        "engine": percentiles(engine),
        "by_kind": {k: percentiles(v) for k, v in by_kind.items()},
        "zero_results": zero,
        "queries": len(queries),
        "cap": _cap(),
    }


def memory_settings() -> str:
    """What the engine keeps in its own memory, beside the operating system's page cache:
    PostgreSQL's shared_buffers, or the SQLite connection's page cache."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW shared_buffers")
            return f"shared_buffers {cursor.fetchone()[0]}"
        cursor.execute("PRAGMA cache_size")
        size = cursor.fetchone()[0]
        return f"page cache {-size / 1024:.0f} MB" if size < 0 else f"page cache {size} pages"


# -- LIKE -------------------------------------------------------------------------------------


def phase_like(n: int, count: int, like_items: int, like_queries: int) -> dict:
    from django.db.models import Q

    from gongkai.catalogue.models import DisclosureItem
    from gongkai.catalogue.selectors import items_public

    queries = [(kind, text, resolve(spec)) for kind, text, spec in query_list(n, count)]
    queries = queries[:like_queries]
    first_pk = DisclosureItem.objects.order_by("pk").values_list("pk", flat=True).first()
    subset = items_public().filter(pk__lt=first_pk + like_items) if like_items < n else None
    base = subset if subset is not None else items_public()
    times = []
    for _kind, text, filters in queries:
        words = [w.strip('“”"') for w in text.split()]
        condition = Q()
        for word in words:
            condition &= (
                Q(title__contains=word)
                | Q(summary__contains=word)
                | Q(body__contains=word)
                | Q(document_number__contains=word)
            )
        qs = base.filter(condition)
        if "year" in filters:
            qs = qs.filter(published_date__year=filters["year"])
        if "organisation" in filters:
            qs = qs.filter(organisation_id=filters["organisation"])
        if "category" in filters:
            qs = qs.filter(category_id=filters["category"])
        if "validity" in filters:
            qs = qs.filter(validity=filters["validity"])
        if "column" in filters:
            qs = qs.filter(columns=filters["column"])
        started = time.perf_counter()
        list(qs.order_by("-published_date", "-pk").values_list("pk", flat=True)[:20])
        qs.count()
        times.append((time.perf_counter() - started) * 1000)
    scanned = min(like_items, n)
    stats = percentiles(times)
    factor = n / scanned
    return {
        "items_scanned": scanned,
        "queries": len(times),
        "measured": stats,
        "extrapolated_to_n": {
            k: (v * factor if v is not None and k != "n" else v) for k, v in stats.items()
        },
    }


# -- tantivy ----------------------------------------------------------------------------------


TANTIVY_FIELDS = ("title", "docno", "summary", "extra", "body", "attach", "grams", "meta")


def tantivy_values(doc):
    """In a rebuild worker: an index document as tantivy's field values."""
    return doc.rank_key, {name: " ".join(doc.fields.get(name, ())) for name in TANTIVY_FIELDS}


def phase_tantivy(n: int, count: int, batch_size: int, warmup: int, pause: float = 0) -> dict:
    import shutil

    import tantivy

    from gongkai.search import query as q
    from gongkai.search.ranking import rank
    from gongkai.search.selectors import _cap, _page_hits, resolve_filters
    from gongkai.search.services import iter_built

    fields = TANTIVY_FIELDS
    weights = {
        "title": 10.0,
        "docno": 10.0,
        "summary": 4.0,
        "extra": 2.0,
        "body": 1.0,
        "attach": 0.5,
    }
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("rank_key", stored=True, fast=True, indexed=True)
    for name in fields:
        builder.add_text_field(name, stored=False, tokenizer_name="whitespace")
    schema = builder.build()
    path = VAR / f"tantivy_{n}"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    index = tantivy.Index(schema, path=str(path))
    writer = index.writer(heap_size=1_000_000_000, num_threads=2)
    started = time.perf_counter()
    indexed = 0
    # The same reading and segmentation as our rebuild (the same worker processes read,
    # segment and join the fields), then tantivy's writer.
    for _ids, rows, _pending in iter_built(
        batch_size=batch_size, workers=WORKERS, kind=tantivy_values
    ):
        for key, values in rows:
            writer.add_document(tantivy.Document(rank_key=key, **values))
        indexed += len(rows)
    writer.commit()
    writer.wait_merging_threads()
    index_seconds = time.perf_counter() - started
    index.reload()
    searcher = index.searcher()

    def term(field, token):
        return tantivy.Query.term_query(schema, field, token)

    def tok(token):
        return tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Should, tantivy.Query.boost_query(term(f, token), w))
                for f, w in weights.items()
            ]
        )

    def convert(node):
        if isinstance(node, q.Tok):
            return tok(node.token)
        if isinstance(node, q.And):
            return tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, convert(p)) for p in node.parts]
            )
        if isinstance(node, q.Or):
            return tantivy.Query.boolean_query(
                [(tantivy.Occur.Should, convert(p)) for p in node.parts]
            )
        if isinstance(node, q.Phrase):
            field = node.column or "title"
            if len(node.tokens) == 1:
                return term(field, node.tokens[0])
            return tantivy.Query.phrase_query(schema, field, list(node.tokens))
        if isinstance(node, q.Near):
            return tantivy.Query.boolean_query(
                [
                    (
                        tantivy.Occur.Should,
                        tantivy.Query.phrase_query(
                            schema, f, list(node.tokens), slop=q.PHRASE_SLOP
                        ),
                    )
                    for f in ("title", "summary", "body")
                ]
            )
        if isinstance(node, q.Meta):
            return tantivy.Query.boolean_query(
                [(tantivy.Occur.Should, term("meta", t)) for t in node.tokens]
            )
        raise TypeError(node)

    def build(parsed, flt):
        clauses = []
        expr = parsed.all_expr()
        if expr is not None:
            clauses.append((tantivy.Occur.Must, convert(expr)))
        for group in flt.meta:
            clauses.append((tantivy.Occur.Must, convert(q.Meta(group))))
        if flt.docno is not None:
            clauses.append((tantivy.Occur.Must, convert(flt.docno)))
        if flt.key_lo or flt.key_hi < (1 << 63) - 1:
            clauses.append(
                (
                    tantivy.Occur.Must,
                    tantivy.Query.range_query(
                        schema, "rank_key", tantivy.FieldType.Integer, flt.key_lo, flt.key_hi
                    ),
                )
            )
        excluded = parsed.exclusion_expr()
        if excluded is not None:
            clauses.append((tantivy.Occur.MustNot, convert(excluded)))
        if not clauses:
            return None
        return tantivy.Query.boolean_query(clauses)

    def compile_all(specs):
        """(kind, tantivy query, parsed query, filters) for each query spec."""
        out = []
        for kind, text, spec in specs:
            parsed = q.parse(text)
            flt = resolve_filters(resolve(spec))[0]
            out.append((kind, build(parsed, flt), parsed, flt))
        return out

    compiled = compile_all(query_list(n, count))
    top20, reranked = [], []
    cap = _cap()

    class Cand:
        __slots__ = ("rank_key", "all_score", "head_score", "in_all", "in_head")

    # Warm the caches with other queries of the same kinds.
    for _kind, query, _parsed, _flt in compile_all(query_list(n, warmup, warmup=True)):
        if query is not None:
            searcher.search(query, 20)
            searcher.search(query, cap)
    time.sleep(pause)  # as phase_query
    top20_cpu, paged = [], []
    for _kind, query, parsed, flt in compiled:
        if query is None:
            continue
        started = time.perf_counter()
        cpu_started = time.process_time()
        searcher.search(query, 20).hits  # noqa: B018
        top20.append((time.perf_counter() - started) * 1000)
        top20_cpu.append((time.process_time() - cpu_started) * 1000)
        started = time.perf_counter()
        hits = searcher.search(query, cap).hits
        cands = []
        for score, address in hits:
            cand = Cand()
            cand.rank_key = searcher.doc(address)["rank_key"][0]
            cand.all_score, cand.head_score, cand.in_all, cand.in_head = score, 0.0, True, False
            cands.append(cand)
        ranked = rank(cands, today=__import__("datetime").date.today())
        reranked.append((time.perf_counter() - started) * 1000)
        # The page search_items builds from the same ranking: the first 20 items read from the
        # database and highlighted (what the backends' wall clock includes and tantivy's
        # search alone does not).
        _page_hits(ranked[:20], parsed, flt, parsed.highlight_terms())
        paged.append((time.perf_counter() - started) * 1000)
    return {
        "items": indexed,
        "index_seconds": index_seconds,
        "rate": indexed / index_seconds,
        "top20": percentiles(top20),
        "top20_cpu": percentiles(top20_cpu),
        "top_cap_reranked": percentiles(reranked),
        "top_cap_reranked_page": percentiles(paged),
        "index_bytes": sum(p.stat().st_size for p in path.rglob("*") if p.is_file()),
    }


# -- driver -----------------------------------------------------------------------------------


def run_child(args, backend: str, phases: list[str]) -> dict:
    url = sqlite_url(args.items) if backend == "sqlite" else pg_url(args.items, args.pg_url)
    cmd = [
        PYTHON,
        __file__,
        "--child",
        backend,
        "--db-url",
        url,
        "--items",
        str(args.items),
        "--queries",
        str(args.queries),
        "--like-items",
        str(args.like_items),
        "--like-queries",
        str(args.like_queries),
        "--batch-size",
        str(args.batch_size),
        "--phases",
        ",".join(phases),
        "--warmup",
        str(args.warmup),
        "--pause",
        str(args.pause),
    ]
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def child(args) -> None:
    django_setup(args.db_url)
    result = {}
    for phase in args.phases.split(","):
        print(f"[{args.child}] {phase} …", file=sys.stderr, flush=True)
        if phase == "load":
            result["load"] = phase_load(args.items)
        elif phase == "index":
            result["index"] = phase_index(args.items, args.batch_size)
        elif phase == "query":
            result["query"] = phase_query(args.items, args.queries, args.warmup, args.pause)
        elif phase == "like":
            result["like"] = phase_like(
                args.items, args.queries, args.like_items, args.like_queries
            )
        elif phase == "tantivy":
            result["tantivy"] = phase_tantivy(
                args.items, args.queries, args.batch_size, args.warmup, args.pause
            )
        print(f"[{args.child}] {phase}: {json.dumps(result.get(phase))[:300]}", file=sys.stderr)
    print(json.dumps(result, default=str))


def fmt(value, unit="ms"):
    if value is None:
        return "–"
    if unit == "ms":
        return f"{value:.1f}" if value < 100 else f"{value:.0f}"
    return f"{value:,.0f}"


def report(results: dict) -> str:
    n = results["items"]
    cap = results.get("sqlite", {}).get("query", {}).get("cap", "")
    lines = [
        f"### {n:,} items ({results.get('when', '')})",
        "",
        "| engine | indexing, items/s wall (per CPU-s) | p50 ms | p95 ms | p99 ms | notes |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for backend, label in (("sqlite", "SQLite FTS5"), ("postgres", "PostgreSQL tsvector+GIN")):
        data = results.get(backend)
        if not data:
            continue
        index = data.get("index", {})
        query = data.get("query", {})
        e2e, engine = query.get("end_to_end", {}), query.get("engine", {})
        cpu = query.get("cpu_end_to_end", {})
        rate = fmt(index.get("rate"), "n")
        if index.get("cpu_rate"):
            rate += f" ({fmt(index['cpu_rate'], 'n')})"
        memory = f"; {query['memory']}" if query.get("memory") else ""
        if query.get("pause_seconds"):
            memory += f"; measured after {query['pause_seconds']:.0f} s idle"
        lines.append(
            f"| {label}: search_items, wall clock | {rate} | "
            f"{fmt(e2e.get('p50'))} | {fmt(e2e.get('p95'))} | {fmt(e2e.get('p99'))} | "
            f"page 1 of 20, highlighted; {query.get('zero_results', '–')} of "
            f"{query.get('queries', '–')} queries found nothing{memory} |"
        )
        if cpu:
            where = "whole query" if backend == "sqlite" else "Python side only"
            lines.append(
                f"| {label}: search_items, CPU time | | {fmt(cpu.get('p50'))} | "
                f"{fmt(cpu.get('p95'))} | {fmt(cpu.get('p99'))} | {where} |"
            )
        lines.append(
            f"| {label}: engine only (candidates + ranking), wall | | {fmt(engine.get('p50'))} | "
            f"{fmt(engine.get('p95'))} | {fmt(engine.get('p99'))} | cap {query.get('cap')} |"
        )
        like = data.get("like")
        if like:
            m, x = like["measured"], like["extrapolated_to_n"]
            lines.append(
                f"| {label}: LIKE '%…%' + COUNT, wall | – | {fmt(m['p50'])} | {fmt(m['p95'])} | "
                f"{fmt(m['p99'])} | {like['items_scanned']:,} items, {like['queries']} queries"
                + (
                    f"; ×{n / like['items_scanned']:.0f} → p50 {fmt(x['p50'])}, "
                    f"p95 {fmt(x['p95'])} ms at {n:,}"
                    if like["items_scanned"] < n
                    else ""
                )
                + " |"
            )
    tv = results.get("tantivy")
    if tv:
        version = results.get("tantivy_version", "")
        lines.append(
            f"| tantivy {version}: BM25 top 20, wall | {fmt(tv['rate'], 'n')} | "
            f"{fmt(tv['top20']['p50'])} | {fmt(tv['top20']['p95'])} | {fmt(tv['top20']['p99'])} | "
            "same rjieba tokens, fields, weights and query trees |"
        )
        if tv.get("top20_cpu"):
            c = tv["top20_cpu"]
            lines.append(
                f"| tantivy: BM25 top 20, CPU time | | {fmt(c['p50'])} | {fmt(c['p95'])} | "
                f"{fmt(c['p99'])} | |"
            )
        lines.append(
            f"| tantivy: top {cap} + recency re-rank, wall | | "
            f"{fmt(tv['top_cap_reranked']['p50'])} | {fmt(tv['top_cap_reranked']['p95'])} | "
            f"{fmt(tv['top_cap_reranked']['p99'])} | stored rank_key read per hit |"
        )
    if tv and tv.get("top_cap_reranked_page"):
        page = tv["top_cap_reranked_page"]
        lines.append(
            f"| tantivy: top 400 + re-rank + the page, wall | | {fmt(page['p50'])} | "
            f"{fmt(page['p95'])} | {fmt(page['p99'])} | "
            "the first 20 items read and highlighted as search_items does |"
        )
    lines.append("")
    for backend in ("sqlite", "postgres"):
        data = results.get(backend, {})
        kinds = data.get("query", {}).get("by_kind")
        if kinds:
            parts = ", ".join(f"{k} {fmt(v['p95'])} ({v['n']})" for k, v in sorted(kinds.items()))
            lines.append(f"- {backend}: wall p95 by kind of query (ms, count): {parts}")
        index = data.get("index")
        if index:
            size = index.get("index_bytes")
            cpu = index.get("cpu_seconds")
            lines.append(
                f"- {backend} index: {index['items']:,} items in {index['seconds']:.0f} s wall"
                + (f", {cpu:.0f} CPU-s (client side)" if cpu else "")
                + (
                    f", of which {index['finish_seconds']:.0f} s finishing (merge or index builds)"
                    if index.get("finish_seconds") is not None
                    else ""
                )
                + f"; index {size / 2**30 if size else 0:.2f} GiB; whole database "
                f"{(index.get('db_bytes') or 0) / 2**30:.2f} GiB"
            )
    if tv:
        lines.append(
            f"- tantivy index: {tv['items']:,} items in {tv['index_seconds']:.0f} s wall "
            f"(reading and segmentation included), {tv['index_bytes'] / 2**30:.2f} GiB"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument(
        "--like-items", type=int, default=100_000, help="LIKE scans this many items"
    )
    parser.add_argument("--like-queries", type=int, default=100, help="… with this many queries")
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument(
        "--warmup",
        type=int,
        default=1000,
        help="queries (another seed) each engine answers before it is measured",
    )
    parser.add_argument(
        "--pause",
        type=float,
        default=0,
        help="seconds each engine stays idle between the warm-up and the measured queries",
    )
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--phases", default="load,index,query,like")
    parser.add_argument("--no-tantivy", action="store_true")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--report", help="print the table from a results JSON file")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--db-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.report:
        print(report(json.loads(Path(args.report).read_text())))
        return
    if args.child:
        child(args)
        return
    VAR.mkdir(parents=True, exist_ok=True)
    out_path = VAR / f"search_{args.items}.json"
    results = json.loads(out_path.read_text()) if out_path.exists() else {}
    results.update({"items": args.items, "when": time.strftime("%Y-%m-%d")})
    phases = args.phases.split(",")
    for backend in filter(None, args.backends.split(",")):
        if backend == "postgres":
            ensure_pg_database(args.pg_url, args.items)
        results.setdefault(backend, {}).update(run_child(args, backend, phases))
        out_path.write_text(json.dumps(results, indent=2, default=str))
    if not args.no_tantivy:
        try:
            import tantivy  # noqa: F401

            results["tantivy"] = run_child(args, "sqlite", ["tantivy"])["tantivy"]
            results["tantivy_version"] = __import__("importlib.metadata").metadata.version(
                "tantivy"
            )
        except ImportError:
            print("tantivy not installed: .venv/bin/pip install tantivy==0.27.0", file=sys.stderr)
    out_path.write_text(json.dumps(results, indent=2, default=str))
    print(report(results))


if __name__ == "__main__":
    main()
