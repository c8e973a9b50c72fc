"""PostgreSQL: tsvectors of pre-segmented tokens with GIN indexes.

One table, search_pg_index(rank_key PRIMARY KEY, all_tsv, head_tsv). We build the tsvector and
tsquery literals ourselves rather than call to_tsvector('simple', …): the tokens are already
segmented and normalised, and building the literal keeps the lexemes independent of the
server's locale (under LC_CTYPE=C the default parser drops Chinese characters). Weights mark the
fields (all_tsv: A title and document number, B summary and extra, C body, D attachments;
head_tsv: A title and document number, B summary, D grams); prefixes keep tokens that are not
words apart: "~" filter tokens, "%" title bigrams, "#" the document-number field as a filter.

Candidates are capped before ranking: each list takes the newest `cap` matches, searching
windows of keys newest first (`_windows`: a window is as large as the planner's estimate says
should hold about twice `cap` matches, so a common word reads a small window and a rare one the
whole range), and ts_rank_cd runs on those rows only. From 200,000 rows each GIN index is
built as partial indexes over ranges of keys (tiers, see TIER_SHARES), and a window is read
tier by tier in one statement, so a GIN scan reads the postings of the tiers it needs only.
"""

import bisect
import json
import math
import re
import time
from contextlib import contextmanager

from django.db import DatabaseError

from .. import query as q
from .base import (
    MAX_KEY,
    Candidate,
    CandidateSet,
    SearchBackend,
    split_big_groups,
    title_probe,
)

TABLE = "search_pg_index"
MAX_POSITION = 16383  # tsvector positions stop here
MAX_POSITIONS_PER_LEXEME = 256
FIELD_GAP = 8  # keeps a phrase from running from one field into the next

# (field, weight, prefix) in position order.
ALL_LAYOUT = (
    ("title", "A", ""),
    ("docno", "A", ""),
    ("docno", "A", "#"),
    ("summary", "B", ""),
    ("extra", "B", ""),
    ("body", "C", ""),
    ("attach", "D", ""),
    ("meta", "D", "~"),
)
HEAD_LAYOUT = (
    ("title", "A", ""),
    ("docno", "A", ""),
    ("docno", "A", "#"),
    ("summary", "B", ""),
    ("grams", "D", "%"),
    ("meta", "D", "~"),
)
PREFIX = {"grams": "%", "meta": "~", "docno": "#"}
STATISTICS_TARGET = 1000
KEY_STATISTICS = 1000  # rank_key's histogram: 1,000 steps of 0.1% of the rows (see _windows)
ALL_GIN = f"CREATE INDEX IF NOT EXISTS search_pg_all_gin ON {TABLE} USING gin (all_tsv)"
HEAD_GIN = f"CREATE INDEX IF NOT EXISTS search_pg_head_gin ON {TABLE} USING gin (head_tsv)"
# Statistics. ANALYZE lists each tsvector column's most common lexemes (up to 10 × the target)
# with the share of rows holding each: the estimates here are made from that list
# (`_Elements`), and so are the planner's. But the planner reads the whole list for every
# statement that matches the column: at a target of 5,000 (50,000 lexemes) planning took 1.4 ms
# a statement, tens of statements a search at 1,000,000 items; at 1,000, 0.1-0.2 ms. A shorter
# list estimates a rarer word at a floor (DEFAULT_MATCH_SHARE), too high: its windows start
# larger than needed and a second one may follow, which costs less than the planning did
# (p95 36.7 → 33.7 ms at 1,000,000 items). The key walk that a high estimate of a rare word
# once chose (644 ms for a document number) is turned off while windows are read (BITMAP_ON).
STATISTICS_SQL = (
    f"ALTER TABLE {TABLE} ALTER COLUMN all_tsv SET STATISTICS {STATISTICS_TARGET}, "
    f"ALTER COLUMN head_tsv SET STATISTICS {STATISTICS_TARGET}, "
    f"ALTER COLUMN rank_key SET STATISTICS {KEY_STATISTICS}"
)
# The table: search_pg_index(rank_key bigint PRIMARY KEY, all_tsv tsvector, head_tsv tsvector),
# made by the migrations (search/0001 and after), which keep their own copies of the statements.
# all_tsv is lz4-compressed where the server has lz4 (0001). Narrow rows (0006): the table has
# toast_tuple_target = 128 and head_tsv STORAGE EXTERNAL, so a row over 2 kB (any item with a
# body) keeps both tsvectors out of line (TOAST) and holds only its key and two pointers, about
# 70 bytes. Every GIN match is fetched from the table for its key (a bitmap heap scan): with
# head_tsv inline (650 bytes on average) the table was 720 MB at 1,000,000 items, about one
# page per match, and a search on a cold cache read several MB of those pages; narrow, it is
# 80 MB, which the searches themselves keep in memory. Over the 1,000 benchmark queries after
# emptying the page cache: p50 27.6/26.1 → 19.8/19.0 ms, p95 65.9/62.6 → 54.8/52.3 ms; warm,
# p95 34.5/39.9 → 31.2 ms. head_tsv is not compressed: lexemes and positions hardly do.
# Tiers. From TIER_MIN_ROWS rows, a rebuild from empty builds each GIN index as partial indexes
# over ranges of keys, oldest to newest: the rows below the first share of TIER_SHARES, then up
# to the next share, and so on (two tiers of 40% of the rows, then 15%, then the newest 5%).
# A GIN scan reads a word's whole posting list in the index it uses, whatever the window: a
# window of the newest keys (a common word's first and usually only window) now reads the
# newest tier's postings, not the whole table's, and a year's window those of one or two
# tiers. At 1,000,000 items the search p95 went 68.6 → 38.2 ms. The tiers are also built two
# at a time, where PostgreSQL 15 builds one GIN index on one core (the index builds at the end
# of a rebuild: 192 → 125 s). Each statement searches one tier: a range of keys is cut at
# the tiers' bounds (`_pieces`), so that each piece lies inside one index's predicate and the
# planner can use that index. A rare word is looked up in every tier (one statement, see
# UNION_KEYS). Six tiers (20% each, then 15% and 5%) were no faster warm, and slower after the
# page cache had been emptied (p95 38.0 against 33.4 ms): each tier is one more descent of
# the GIN trees for each word, read from disk when cold. New rows go to the tier their key
# falls in (the newest, mostly); the next rebuild from empty lays the tiers out again. A smaller
# table keeps one index per column.
TIER_MIN_ROWS = 200_000
TIER_SHARES = (0.4, 0.8, 0.95)
TIER_GIN = "CREATE INDEX search_pg_{column}_gin_{n} ON search_pg_index USING gin ({column}_tsv)"
GIN_INDEXES = (
    "SELECT c.relname, pg_get_expr(i.indpred, i.indrelid) FROM pg_index i "
    "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
    "WHERE i.indrelid = 'search_pg_index'::regclass AND a.amname = 'gin'"
)
TIER_BOUND_RE = re.compile(r"rank_key [<>]=? '?(-?\d+)")

UPSERT = (
    "INSERT INTO search_pg_index (rank_key, all_tsv, head_tsv) "
    "VALUES (%s, %s::tsvector, %s::tsvector) ON CONFLICT (rank_key) DO UPDATE "
    "SET all_tsv = EXCLUDED.all_tsv, head_tsv = EXCLUDED.head_tsv"
)
COPY = "COPY search_pg_index (rank_key, all_tsv, head_tsv) FROM STDIN"
DELETE = "DELETE FROM search_pg_index WHERE rank_key = ANY(%s::bigint[])"
CLEAR = "TRUNCATE search_pg_index"
# The newest matches in one window of keys (see `_windows`): walking the key, or with index
# scans off, GIN's matches intersected with the window's key range (see WALK_SHARE).
SELECT_ALL = (
    "SELECT rank_key FROM search_pg_index WHERE all_tsv @@ %s::tsquery "
    "AND rank_key BETWEEN %s AND %s{check} ORDER BY rank_key DESC LIMIT %s"
)
SELECT_HEAD = (
    "SELECT rank_key FROM search_pg_index WHERE head_tsv @@ %s::tsquery "
    "AND rank_key BETWEEN %s AND %s{check} ORDER BY rank_key DESC LIMIT %s"
)
# A phrase over all fields is found in two steps: GIN finds the rows holding its words in the
# window (exactly, without reading a row's all_tsv), then those rows alone are checked for the
# word order. In one statement the planner would rather test every row of the window, fetching
# each one's all_tsv from TOAST (it does not count that cost): 43 ms for the newest 5,260 rows
# against 3 + 6 ms for the 775 holding both words of 消防工作 at 1,000,000 items.
PHRASE_CHECK = (
    "SELECT rank_key FROM search_pg_index WHERE rank_key = ANY(%s::bigint[]) "
    "AND all_tsv @@ %s::tsquery ORDER BY rank_key DESC LIMIT %s"
)
PHRASE_CHUNK = 1000
PHRASE_MIN_CHUNK = 50
# A filter group of more than BIG_META_GROUP tokens (a town's organisation with its dozens of
# sub-organisations) is not given to GIN, which would merge the posting lists of every token,
# most of the table (164 ms for the 57 organisations under a town at 1,000,000 rows): the
# words alone go to GIN and each row they find is checked against the group on its head_tsv,
# which is stored in the row (3 + 30 ms for the same query over its whole range). ts_match_vq
# is what @@ calls, but as a function it is never matched to an index.
BIG_META_GROUP = 8
CHECK_META = " AND ts_match_vq(head_tsv, %s::tsquery)"
# The table's size and how its keys are spread (a histogram of 1,000 steps), read from the
# statistics ANALYZE keeps (KEY_STATISTICS), for laying out the windows.
TABLE_STATS = (
    "SELECT c.reltuples, s.histogram_bounds::text FROM pg_class c "
    "LEFT JOIN pg_stats s ON s.schemaname = current_schema() "
    "AND s.tablename = 'search_pg_index' AND s.attname = 'rank_key' "
    "WHERE c.oid = 'search_pg_index'::regclass"
)
TABLE_STATS_SECONDS = 300
_table_stats: dict = {}  # database → ((rows, key histogram), when asked)
# How common each lexeme is: ANALYZE's most-common-elements list of each tsvector column (up to
# 10 × STATISTICS_TARGET lexemes with the share of rows holding each), read every few minutes.
# Every estimate is made from it (`_Elements`) instead of by an EXPLAIN (1-3 ms of planning,
# two or three times a search): as the planner would, or as an upper bound. The planner
# multiplies the shares of ANDed words as if they were independent: 住房 & 保障 (the halves of
# 住房保障, nearly always together) is "338 rows" for 12,994. Taking an AND as its rarest part
# instead was tried for every query at 1,000,000 items: phrases got twice as fast, but queries
# of several words, whose words are nearly independent, read two or three windows where one
# did (each window is a GIN scan of the words' whole posting lists), and the p95 rose from 72
# to 77-82 ms; so only phrases over all fields are bounded (see `newest`).
ELEMENT_STATS = (
    "SELECT attname, most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
    "WHERE schemaname = current_schema() AND tablename = 'search_pg_index' "
    "AND attname IN ('all_tsv', 'head_tsv') AND most_common_elems IS NOT NULL"
)
_element_stats: dict = {}  # database → ({column: _Elements}, when asked)
_tier_cache: dict = {}  # database → (tier bounds, when asked)
DEFAULT_MATCH_SHARE = 0.005  # PostgreSQL's DEFAULT_TS_MATCH_SEL, for a lexeme not listed
# Windows: the first holds about WINDOW_SLACK × cap estimated matches; each next one, further
# back in time, is WINDOW_GROWTH times as many rows. An index under WINDOW_MIN_ROWS rows is
# searched in one go.
WINDOW_SLACK = 2.0
WINDOW_GROWTH = 4.0
WINDOW_EMPTY_GROWTH = 16.0  # after a window that held no match at all
WINDOW_MIN_ROWS = 50_000
# A window whose bottom falls just above the start of a tier (rows fewer than this share of the
# window's own) ends at the tier's start: the rest of the tier would otherwise be a piece of the
# next window, which reads the tier's whole posting lists again and, for a phrase or a big
# filter group, checks again every row GIN finds in the tier before the key range is applied
# (PostgreSQL tests a bitmap's recheck condition before its filter). “消防工作” at 1,000,000
# items: the title list's second window spent 10.7 of its 39 ms on the newest tier, of which
# the first window had left 5% (and each of the tier's 765 title matches was fetched again).
SNAP_SHARE = 0.25
# In a window the planner would rather walk the key testing every row than intersect GIN's
# matches with the key range: it does not count what a test costs (fetching the row's all_tsv
# from TOAST and decompressing it, 10-100 µs). At 1,000,000 items a word in 1.3% of the rows
# took 356 ms walking its window and 10 ms intersecting. So index scans are turned off for the
# session while the windows are read (BITMAP_ON), unless the word is in at least WALK_SHARE of
# the rows: then a walk reads under 2 × cap rows, and GIN would have to list most of the table
# (10 ms walking against 87 ms for 通知). Sequential scans are turned off too: a count with a
# LIMIT was planned as a scan from the first row, testing each (126 ms for 100 matches of
# 工作 & 计划生育). work_mem is raised so that a large GIN match list stays exact (a lossy one
# has every row of its pages tested). cpu_operator_cost is raised 100 times: with index scans
# off the planner can still read a short key range from the primary key's bitmap and test every
# row (“Filter: head_tsv @@ …”), and it prices each test as one cheap operator where each
# fetches a tsvector from TOAST (5-30 µs). At the default it chose that for small pieces of a
# range (424 rows for each bigram a similar-titles count looked up, 3,303 for a title-list
# window: 6 and 30 ms); at 0.25 it intersects GIN's matches with the key range instead (0.5 ms
# a bigram). Over the 145 multi-word and phrase queries of the benchmark at 1,000,000 items,
# with SNAP_SHARE, the sum of their times (best of 3) went 6.5 → 4.7-5.4 s and 3.2 → 2.6-3.1 s.
WALK_SHARE = 0.5
BITMAP_ON = (
    "SET enable_indexscan = off; SET enable_seqscan = off; SET work_mem = '16MB'; SET jit = off; "
    "SET max_parallel_workers_per_gather = 0; SET cpu_operator_cost = 0.25"
)
BITMAP_OFF = (
    "RESET enable_indexscan; RESET enable_seqscan; RESET work_mem; RESET jit; "
    "RESET max_parallel_workers_per_gather; RESET cpu_operator_cost"
)
# The title list first tries the words alone (the probe), unless they are expected to fill
# under this share of the cap: then it asks for the words or their title bigrams at once.
PROBE_SHARE = 0.5
COUNT_WALK_ROWS = 1000  # a count walks the key when it should reach its limit within these
# Scores for the capped candidates only. Weights are {D, C, B, A}. Each score only for the
# rows of its own list: the all-fields score (and the exclusion check) fetches all_tsv from
# TOAST, which a row found only by its title would need for nothing; CASE calls the function,
# and so fetches the value, only where its condition holds.
SCORE = (
    "SELECT rank_key, "
    "CASE WHEN rank_key = ANY(%s::bigint[]) THEN "
    "COALESCE(ts_rank_cd('{0.05, 0.1, 0.4, 1.0}', all_tsv, %s::tsquery, 1), 0) END, "
    "CASE WHEN rank_key = ANY(%s::bigint[]) THEN "
    "COALESCE(ts_rank_cd('{0.5, 0.1, 0.25, 1.0}', head_tsv, %s::tsquery), 0) END, "
    "CASE WHEN rank_key = ANY(%s::bigint[]) THEN COALESCE(all_tsv @@ %s::tsquery, false) END "
    "FROM search_pg_index WHERE rank_key = ANY(%s::bigint[])"
)
COUNT_ALL = (
    "SELECT count(*) FROM (SELECT 1 FROM search_pg_index WHERE all_tsv @@ %s::tsquery "
    "AND rank_key BETWEEN %s AND %s{check} LIMIT %s) AS matches"
)
# Several tiers in one statement: each tier's statement in brackets, newest first, joined by
# UNION ALL, under an outer LIMIT. PostgreSQL runs the branches of a UNION ALL one after the
# other, in order (parallel plans are turned off while windows are read, see BITMAP_ON), and
# stops pulling rows when the outer LIMIT is reached: a branch after that is never run. One
# statement instead of one per tier: a rare word is looked up in six tiers, and each
# statement has its own round trip and planning.
COUNT_PIECE = (
    "SELECT 1 FROM search_pg_index WHERE all_tsv @@ %s::tsquery "
    "AND rank_key BETWEEN %s AND %s{check} LIMIT %s"
)
UNION_KEYS = "SELECT rank_key FROM ({branches}) AS tiers LIMIT %s"
UNION_COUNT = "SELECT count(*) FROM (SELECT 1 FROM ({branches}) AS tiers LIMIT %s) AS matches"
ESTIMATE_ALL = (
    "EXPLAIN (FORMAT JSON) SELECT 1 FROM search_pg_index WHERE all_tsv @@ %s::tsquery "
    "AND rank_key BETWEEN %s AND %s"
)
ESTIMATE_HEAD = (
    "EXPLAIN (FORMAT JSON) SELECT 1 FROM search_pg_index WHERE head_tsv @@ %s::tsquery "
    "AND rank_key BETWEEN %s AND %s"
)
ESTIMATE = {"all_tsv": ESTIMATE_ALL, "head_tsv": ESTIMATE_HEAD}
# The newest SIMILAR_POOL titles sharing a useful bigram, those sharing the most first, as SQLite
# ranks them (ranking every match cost up to a second at 1,000,000 items). The pool is read in
# windows like any list (one statement over the whole range took 20-40 ms, the windows 5-8 ms).
# How many bigrams each row shares is counted from GIN, one branch a bigram over the pool's
# range of keys (SIMILAR_GRAM), without reading a title's head_tsv: ts_rank over the pool read
# 2,000 head_tsv values from TOAST, 32-54 ms of the 60-124 ms a search that found nothing
# spent on similar titles at 1,000,000 items.
SIMILAR_POOL = 2000
SIMILAR_GRAM = (
    "SELECT rank_key FROM search_pg_index WHERE head_tsv @@ %s::tsquery "
    "AND rank_key BETWEEN %s AND %s"
)
SIMILAR_COUNT = "SELECT rank_key, count(*) FROM ({branches}) AS grams GROUP BY rank_key"
HAS_META = (
    "SELECT 1 FROM search_pg_index WHERE head_tsv @@ %s::tsquery "
    "AND rank_key BETWEEN %s AND %s LIMIT 1"
)
ROW_COUNT = "SELECT count(*) FROM search_pg_index"
SELECT_RANGE = (
    "SELECT rank_key FROM search_pg_index WHERE rank_key BETWEEN %s AND %s "
    "ORDER BY rank_key DESC LIMIT %s"
)
COUNT_RANGE = (
    "SELECT count(*) FROM (SELECT 1 FROM search_pg_index WHERE rank_key BETWEEN %s AND %s "
    "LIMIT %s) AS matches"
)
SIZE = "SELECT pg_total_relation_size('search_pg_index')"
ANALYZE_KEY = "ANALYZE search_pg_index (rank_key)"
KEY_CORRELATION = (
    "SELECT correlation FROM pg_stats WHERE schemaname = current_schema() "
    "AND tablename = 'search_pg_index' AND attname = 'rank_key'"
)
CLUSTER_BELOW = 0.95  # physical order against rank_key order; 1.0 is already in order
BUILD_MEMORY = "1GB"  # maintenance_work_mem of each index build
ANALYZE = "ANALYZE search_pg_index"
CLUSTER = "CLUSTER search_pg_index USING search_pg_index_pkey"

COMMON_GRAM_DOCS = 20_000


def _lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _keys(keys) -> str:
    """Keys as one array literal ("{1,2,3}", cast to bigint[] in the statement). Django's
    psycopg cursor binds on the client, quoting a list element by element in Python: 1.1 ms
    for 400 keys and 5.2 ms for 2,000, against 0.4 and 1.3 ms as one string; a search sends
    a few such lists (the candidates to score, the rows to check for a phrase)."""
    return "{" + ",".join(map(str, keys)) + "}"


# "12C" for every position and weight, made once: formatting them token by token was a third
# of the cost of a literal, and literals are built for every item a rebuild indexes.
_POSITION_TEXT = {w: [f"{p}{w}" for p in range(MAX_POSITION + 1)] for w in "ABCD"}


def tsvector_literal(fields: dict, layout) -> str:
    positions: dict[str, list[str]] = {}
    pos = 1
    for name, weight, prefix in layout:
        tokens = fields.get(name) or ()
        if name == "meta":
            entry = [_POSITION_TEXT[weight][MAX_POSITION]]
            for token in tokens:
                positions.setdefault(prefix + token, entry)
            continue
        if prefix:
            tokens = [prefix + token for token in tokens]
        texts = _POSITION_TEXT[weight]
        get = positions.get
        for token in tokens:
            found = get(token)
            if found is None:
                positions[token] = [texts[pos]]
            elif len(found) < MAX_POSITIONS_PER_LEXEME:
                found.append(texts[pos])
            if pos < MAX_POSITION:
                pos += 1
        pos = min(MAX_POSITION, pos + FIELD_GAP)
    return " ".join(
        f"{_lexeme(lex)}:{','.join(p)}" if "'" in lex or "\\" in lex else f"'{lex}':{','.join(p)}"
        for lex, p in positions.items()
    )


def render(node, prefix: str = "") -> str:
    """A query tree as a tsquery literal; every lexeme is quoted, so nothing is syntax."""
    if isinstance(node, q.Tok):
        return _lexeme(prefix + node.token)
    if isinstance(node, q.And):
        return "(" + " & ".join(render(p, prefix) for p in node.parts) + ")"
    if isinstance(node, q.Or):
        return "(" + " | ".join(render(p, prefix) for p in node.parts) + ")"
    if isinstance(node, q.Phrase):
        pre = PREFIX.get(node.column, "") if node.column else prefix
        return "(" + " <-> ".join(_lexeme(pre + t) for t in node.tokens) + ")"
    if isinstance(node, q.Near):
        # Consecutive words at most PHRASE_SLOP apart, in order.
        pairs = []
        for a, b in zip(node.tokens, node.tokens[1:], strict=False):
            alternatives = [
                f"{_lexeme(prefix + a)} <{d}> {_lexeme(prefix + b)}"
                for d in range(1, q.PHRASE_SLOP + 1)
            ]
            pairs.append("(" + " | ".join(alternatives) + ")")
        return "(" + " & ".join(pairs) + ")" if pairs else _lexeme(prefix + node.tokens[0])
    if isinstance(node, q.Meta):
        return "(" + " | ".join(_lexeme("~" + t) for t in node.tokens) + ")"
    raise TypeError(f"unknown query node {node!r}")


def has_near(node) -> bool:
    """Whether the tree checks word positions (quoted phrases, title bigram phrases)."""
    if isinstance(node, q.Near):
        return True
    if isinstance(node, q.Phrase):
        return len(node.tokens) > 1
    if isinstance(node, q.And | q.Or):
        return any(has_near(p) for p in node.parts)
    return False


def loosen(node):
    """The tree with each phrase replaced by its words ANDed (what GIN answers alone)."""
    if isinstance(node, q.Near):
        return q.And(tuple(q.Tok(t) for t in node.tokens))
    if isinstance(node, q.Phrase) and len(node.tokens) > 1:
        return q.And(tuple(q.Phrase((t,), column=node.column) for t in node.tokens))
    if isinstance(node, q.And):
        return q.And(tuple(loosen(p) for p in node.parts))
    if isinstance(node, q.Or):
        return q.Or(tuple(loosen(p) for p in node.parts))
    return node


def tsquery(expr, filters=None, exclude=None) -> str:
    parts = [render(expr)] if expr is not None else []
    if filters is not None:
        parts += [render(q.Meta(group)) for group in filters.meta]
        if filters.docno is not None:
            parts.append(render(filters.docno, prefix="#"))
    query = " & ".join(parts)
    if exclude is not None:
        query = f"({query}) & !{render(exclude)}"
    return query


class PostgresBackend(SearchBackend):
    vendor = "postgresql"

    def prepare(self, doc):
        # The literals are built here (in the rebuild's worker processes): parsing a literal
        # costs the server about a third of what to_tsvector on the joined tokens costs it.
        return (
            doc.rank_key,
            tsvector_literal(doc.fields, ALL_LAYOUT),
            tsvector_literal(doc.fields, HEAD_LAYOUT),
        )

    def write_rows(self, *, rows, remove_keys, fresh=False):
        with self.connection.cursor() as cursor:
            if remove_keys:
                cursor.execute(DELETE, (_keys(remove_keys),))
            if rows and fresh:
                # COPY: no statement to parse, plan and execute per row (a rebuild from empty
                # writes a million of them).
                with cursor.cursor.copy(COPY) as copy:
                    for row in rows:
                        copy.write_row(row)
            elif rows:
                cursor.executemany(UPSERT, rows)

    def clear(self):
        with self.connection.cursor() as cursor:
            cursor.execute(CLEAR)

    def bulk_begin(self):
        # Loading into a table without GIN indexes and building them once is several times
        # faster than updating them row by row.
        with self.connection.cursor() as cursor:
            for name in _gin_indexes(cursor):
                cursor.execute(f"DROP INDEX IF EXISTS {name}")

    def bulk_end(self, *, cleared=False):
        from concurrent.futures import ThreadPoolExecutor

        with self.connection.cursor() as cursor:
            if cleared and self._needs_cluster(cursor):
                # Rows in rank_key order: a common word's newest matches are then read from a
                # few neighbouring pages instead of one page each (the rebuild wrote them in id
                # order). Before the GIN indexes exist, so they are built once, not twice.
                cursor.execute(f"SET maintenance_work_mem = '{BUILD_MEMORY}'")
                cursor.execute(CLUSTER)
                cursor.execute("RESET maintenance_work_mem")
            existing = _gin_indexes(cursor)
            if cleared:
                # The tiers are laid out again for the rows now in the table.
                for name in existing:
                    cursor.execute(f"DROP INDEX IF EXISTS {name}")
                builds = _gin_builds(_tier_bounds_for(cursor))
            else:
                # A refresh in place keeps the indexes it has; a column without one gets one.
                builds = [
                    sql
                    for column, sql in (("all", ALL_GIN), ("head", HEAD_GIN))
                    if not any(name.startswith(f"search_pg_{column}_gin") for name in existing)
                ]
            cursor.execute(STATISTICS_SQL)
            if self.connection.in_atomic_block:
                # Another connection would wait for this transaction's locks.
                cursor.execute(f"SET maintenance_work_mem = '{BUILD_MEMORY}'")
                for sql in builds:
                    cursor.execute(sql)
                cursor.execute("RESET maintenance_work_mem")
            elif builds:
                # Two builds at a time, each by a connection of its own, largest first
                # (PostgreSQL 15 builds a GIN index on one core).
                with ThreadPoolExecutor(2) as pool:
                    done = [
                        pool.submit(_build_in_own_connection, self.connection.alias, sql)
                        for sql in builds
                    ]
                    for future in done:
                        future.result()
            cursor.execute(ANALYZE)
        _tier_cache.clear()

    @staticmethod
    def _needs_cluster(cursor) -> bool:
        """Whether the rows are far from rank_key order (CLUSTER rewrites the whole table).

        A rebuild writes rows in id order; items are mostly entered around their publication
        date, so that is usually rank_key order already (a correlation near 1) and rewriting
        gigabytes would change nothing. A history imported out of order is clustered.
        """
        cursor.execute(ANALYZE_KEY)
        cursor.execute(KEY_CORRELATION)
        row = cursor.fetchone()
        return row is None or row[0] is None or row[0] < CLUSTER_BELOW

    def candidates(self, *, all_expr, head_expr, exclude, filters, cap, head_probe=None):
        lo, hi = filters.key_lo, filters.key_hi
        all_match = tsquery(all_expr, filters, exclude)
        estimate = 0
        with self.connection.cursor() as cursor:
            tiers = self._tiers(cursor)

            def newest(select_sql, column, expr, at_least=0):
                return self._newest(
                    cursor, scans, select_sql, column, expr, filters, exclude, cap, at_least
                )

            with self._scans(cursor) as scans:
                if all_expr is not None:
                    all_keys, estimate = newest(SELECT_ALL, "all_tsv", all_expr)
                elif all_match:
                    # Filters alone (no words): GIN answers the filter groups, big or small.
                    sql = SELECT_ALL.format(check="")
                    all_keys = _newest_in(cursor, sql, all_match, None, lo, hi, cap, tiers)
                    estimate = len(all_keys)
                else:
                    cursor.execute(SELECT_RANGE, (lo, hi, cap))
                    all_keys = [row[0] for row in cursor.fetchall()]
                head_keys = []
                if head_expr is not None:
                    probe = title_probe(
                        head_probe=head_probe,
                        head_expr=head_expr,
                        all_expr=all_expr,
                        all_found=len(all_keys),
                        cap=cap,
                    )
                    if probe is not None:
                        # The probe is there to spare the title-bigram query when the words
                        # alone fill the cap; by the estimate they will not, so skip it.
                        head_keys, _expected = newest(
                            SELECT_HEAD, "head_tsv", probe, at_least=PROBE_SHARE * cap
                        )
                    if probe is None or len(head_keys) < cap:
                        head_keys, _expected = newest(SELECT_HEAD, "head_tsv", head_expr)
            keys = list(dict.fromkeys(all_keys + head_keys))
            found: dict[int, Candidate] = {}
            if keys:
                # The head list only saw the short fields; an excluded word may be in the body,
                # so the exclusion is checked again over every field.
                excluded = render(exclude) if exclude is not None else None
                # Every all-fields candidate holds the phrase already: it is ranked by its
                # words (cover density still favours them close together), at half the cost
                # of ranking the phrase with its distances (21-30 → 11 ms for 400 rows).
                ranked = (
                    loosen(all_expr) if all_expr is not None and has_near(all_expr) else all_expr
                )
                # So is every title-list candidate (it matched head_expr, phrases and all): a
                # phrase makes ts_rank_cd test its covers again and again, 7.0 → 2.9 ms for the
                # 400 titles of “高新技术企业工作” at 1,000,000 items.
                head_ranked = (
                    loosen(head_expr)
                    if head_expr is not None and has_near(head_expr)
                    else head_expr
                )
                head_set, all_set = set(head_keys), set(all_keys)
                head_only = [key for key in head_keys if key not in all_set] if excluded else []
                cursor.execute(
                    SCORE,
                    (
                        _keys(all_keys),
                        tsquery(ranked) or None,
                        _keys(head_keys),
                        tsquery(head_ranked) or None,
                        _keys(head_only),
                        excluded,
                        _keys(keys),
                    ),
                )
                for key, all_rank, head_rank, is_excluded in cursor.fetchall():
                    if is_excluded:
                        continue
                    found[key] = Candidate(
                        rank_key=key,
                        all_score=float(all_rank or 0.0),
                        head_score=float(head_rank or 0.0),
                        in_all=key in all_set,
                        in_head=key in head_set,
                    )
            capped = len(all_keys) >= cap or len(head_keys) >= cap
            count = len(found)
            if capped and all_match:
                if has_near(all_expr):
                    # The windows were laid out from an upper bound; the count shown is the
                    # planner's kind of estimate of the phrase (its words together).
                    estimate = self._expected(
                        cursor, "all_tsv", all_expr, filters, exclude, planner=True
                    )
                count = max(count, estimate)
            elif capped:
                cursor.execute(COUNT_RANGE, (lo, hi, cap * 10))
                count = max(count, cursor.fetchone()[0])
        return CandidateSet(candidates=list(found.values()), capped=capped, count=count)

    def _newest(self, cursor, scans, select_sql, column, expr, filters, exclude, cap, at_least=0):
        """(up to cap keys matching expr in column with filters, newest first; the estimate of
        all matches), read in windows (`_windows`), each one tier at a time; nothing is read
        when fewer than at_least matches are expected."""
        lo, hi = filters.key_lo, filters.key_hi
        stats = self._stats(cursor)
        narrow, check = _split_meta(filters)
        match = tsquery(expr, narrow, exclude)
        # Words are estimated as the planner would. A phrase over all fields as common as its
        # rarest word (an upper bound): the windows then start small and grow by what they
        # hold, since each row GIN finds must be fetched from TOAST to check the order of its
        # words. The title list's phrases (of bigrams) are checked on head_tsv: measured when
        # head_tsv was stored in the row, another window (another GIN scan of every bigram's
        # postings) cost more than the checks it saved. Since the narrow rows (0006) head_tsv
        # is in TOAST too (uncompressed, about 5 µs a check); this was not measured again.
        bound = column == "all_tsv" and has_near(expr)
        expected = self._expected(cursor, column, expr, filters, exclude, planner=not bound)
        keys: list[int] = []
        if expected < at_least:
            return keys, expected
        sql = select_sql.format(check=CHECK_META if check is not None else "")
        phrase = None
        if bound:
            # The words find the rows, then only those are checked for the phrase (see
            # PHRASE_CHECK); the exclusion is checked with the phrase, as it may be one too.
            match = tsquery(loosen(expr), narrow)
            phrase = tsquery(expr, None, exclude)
        # Walk the key only for a word in most rows (it reads under 2 × cap rows); otherwise
        # GIN's matches are intersected with the window's keys.
        scans.set(walk=expected >= WALK_SHARE * _rows_between(stats, lo, hi))
        tiers = self._tiers(cursor)
        windows = _windows(stats, lo, hi, expected, cap, tiers)
        window = next(windows)
        while True:
            found = _newest_in(
                cursor, sql, match, check, *window, cap - len(keys), tiers, phrase=phrase
            )
            keys += found
            if len(keys) >= cap:
                break
            try:
                window = windows.send(len(found))
            except StopIteration:
                break
        return keys, expected

    @contextmanager
    def _scans(self, cursor):
        """Statements inside may set(walk=False) to read with index scans off (BITMAP_ON);
        the session's settings are restored on the way out. Inside a transaction that a
        failed statement aborted, the rollback restores them (SET is transactional) and the
        failure itself is what the caller sees."""
        scans = _ScanMode(cursor)
        try:
            yield scans
        finally:
            if scans.bitmap:
                try:
                    cursor.execute(BITMAP_OFF)
                except DatabaseError:
                    if not self.connection.in_atomic_block:
                        raise

    def _cached(self, cache: dict, cursor, load):
        """load(cursor), kept in cache for this database and read again every
        TABLE_STATS_SECONDS."""
        settings = self.connection.settings_dict
        key = (settings.get("HOST"), settings.get("PORT"), settings.get("NAME"))
        found = cache.get(key)
        if found is None or time.monotonic() - found[1] > TABLE_STATS_SECONDS:
            found = (load(cursor), time.monotonic())
            cache[key] = found
        return found[0]

    def _stats(self, cursor) -> tuple[int, list[int]]:
        """(rows, rank_key histogram bounds) from the statistics, re-read every few minutes."""
        return self._cached(_table_stats, cursor, _load_table_stats)

    def _tiers(self, cursor) -> list[int]:
        """Where the tiers start (see TIER_SHARES), read off the GIN indexes' predicates every
        few minutes; empty when each column has one index. Until another process's rebuild is
        seen here, pieces may not fit its new tiers: those statements are planned without
        GIN (slow, still right) for at most TABLE_STATS_SECONDS."""
        return self._cached(_tier_cache, cursor, _load_tiers)

    def _elements(self, cursor) -> dict:
        """{column: _Elements} from the statistics, re-read every few minutes; empty before the
        table is first analysed."""
        return self._cached(_element_stats, cursor, _load_elements)

    def _expected(self, cursor, column, expr, filters, exclude=None, planner=False) -> int:
        """About how many rows with a key from filters.key_lo to key_hi match expr and filters
        in column ("all_tsv" or "head_tsv"), from the lexeme list: an upper bound, or with
        planner the planner's estimate (words taken as independent: often too low), computed
        here as it would (an EXPLAIN cost 1-3 ms of planning, two or three times a search).
        Before the table is analysed, the planner is asked."""
        lo, hi = filters.key_lo, filters.key_hi
        stats = self._stats(cursor)
        elements = self._elements(cursor).get(column)
        if elements is not None:
            rows = _rows_between(stats, lo, hi)
            return elements.expected(expr, filters, rows, independent=planner)
        narrow, check = _split_meta(filters) if expr is not None else (filters, None)
        loose = loosen(expr) if expr is not None and has_near(expr) else expr
        cursor.execute(ESTIMATE[column], (tsquery(loose, narrow, exclude), lo, hi))
        expected = _plan_rows(cursor.fetchone()[0])
        if check is not None:
            expected *= _share(cursor, check, stats, lo, hi)
        return round(expected)

    def count(self, *, all_expr, filters, limit):
        narrow, check = _split_meta(filters) if all_expr is not None else (filters, None)
        match = tsquery(all_expr, narrow)
        with self.connection.cursor() as cursor:
            if match:
                # A count that finds few or none (a "fewer words" suggestion) walking the key
                # would test every row (90 ms at 1,000,000 rows): it counts GIN's matches,
                # unless the words are common enough for a walk to reach the limit soon.
                lo, hi = filters.key_lo, filters.key_hi
                # The planner's estimate: a walk that finds too few matches reads the whole
                # table, so it is taken only when even the low estimate says it will not.
                expected = self._expected(cursor, "all_tsv", all_expr, filters, planner=True)
                walk = expected * COUNT_WALK_ROWS >= limit * _rows_between(
                    self._stats(cursor), lo, hi
                )
                pieces = _pieces(lo, hi, self._tiers(cursor))
                # One tier: COUNT_ALL as it is; several: their rows under one count.
                sql = (COUNT_ALL if len(pieces) == 1 else COUNT_PIECE).format(
                    check=CHECK_META if check is not None else ""
                )
                extra = (check,) if check is not None else ()
                with self._scans(cursor) as scans:
                    scans.set(walk=walk)
                    rows = _run_pieces(cursor, sql, UNION_COUNT, pieces, (match,), extra, limit)
                    return rows[0][0]
            cursor.execute(COUNT_RANGE, (filters.key_lo, filters.key_hi, limit))
            return cursor.fetchone()[0]

    def similar_titles(self, *, grams, filters, limit):
        grams = list(dict.fromkeys(grams))[:30]
        useful = []
        with self.connection.cursor() as cursor:
            for gram in grams:
                expr = q.Phrase((gram,), column="grams")
                if self._expected(cursor, "head_tsv", expr, filters) < COMMON_GRAM_DOCS:
                    useful.append(gram)
            if not useful:
                return []
            expr = q.Or(tuple(q.Phrase((g,), column="grams") for g in useful))
            with self._scans(cursor) as scans:
                pool, _expected = self._newest(
                    cursor, scans, SELECT_HEAD, "head_tsv", expr, filters, None, SIMILAR_POOL
                )
                if not pool:
                    return []
                # Rows in the range that the filters leave out are counted too, and dropped
                # below.
                pieces = _pieces(min(pool), max(pool), self._tiers(cursor))
                params, branches = [], []
                for gram in useful:
                    match = render(q.Phrase((gram,), column="grams"))
                    for bottom, top in pieces:
                        params += [match, bottom, top]
                        branches.append(f"({SIMILAR_GRAM})")
                scans.set(walk=False)
                cursor.execute(SIMILAR_COUNT.format(branches=" UNION ALL ".join(branches)), params)
                shared = dict(cursor.fetchall())
        ranked = sorted(((shared.get(key, 0), key) for key in pool), reverse=True)
        return [key for _n, key in ranked[:limit]]

    def has_meta(self, token):
        with self.connection.cursor() as cursor:
            for bottom, top in _pieces(0, MAX_KEY, self._tiers(cursor)):
                cursor.execute(HAS_META, (render(q.Meta((token,))), bottom, top))
                if cursor.fetchone() is not None:
                    return True
            return False

    def row_count(self):
        with self.connection.cursor() as cursor:
            cursor.execute(ROW_COUNT)
            return cursor.fetchone()[0]

    def size_bytes(self):
        with self.connection.cursor() as cursor:
            cursor.execute(SIZE)
            return cursor.fetchone()[0]


def _position(bounds: list[int], key: int) -> float:
    """The share of rows whose key is at most key, read off the histogram (0.0 to 1.0)."""
    if key <= bounds[0]:
        return 0.0
    if key >= bounds[-1]:
        return 1.0
    step = bisect.bisect_right(bounds, key) - 1
    low, high = bounds[step], bounds[step + 1]
    return (step + (key - low) / (high - low)) / (len(bounds) - 1)


def _key_at(bounds: list[int], position: float) -> int:
    """The key below which about position of the rows lie (the inverse of `_position`)."""
    scaled = max(0.0, min(1.0, position)) * (len(bounds) - 1)
    step = min(int(scaled), len(bounds) - 2)
    low, high = bounds[step], bounds[step + 1]
    return low + int((scaled - step) * (high - low))


class _ScanMode:
    """Whether this session reads with index scans off (see BITMAP_ON), changed only when asked
    for the other mode."""

    def __init__(self, cursor):
        self.cursor = cursor
        self.bitmap = False

    def set(self, *, walk: bool) -> None:
        if walk == self.bitmap:
            self.cursor.execute(BITMAP_OFF if walk else BITMAP_ON)
            self.bitmap = not walk


class _Elements:
    """The share of rows holding each lexeme of one tsvector column (ANALYZE's list), and the
    estimates made from it. Taking the words as independent, as the planner does (an AND the
    product of its parts, an OR their union, a phrase its words together), it gives the
    planner's estimate without a statement; as an upper bound, an AND is as common as its
    rarest part, an OR the sum of its parts and a phrase its rarest word. Filter groups and the
    document number multiply either way (they are independent of the words)."""

    def __init__(self, elements, freqs):
        self.share = dict(zip(elements, freqs, strict=False))
        # After the per-element shares come their minimum and maximum: an unlisted lexeme is
        # taken as half the rarest listed one, as the planner does.
        self.floor = min(DEFAULT_MATCH_SHARE, freqs[len(elements)] / 2)

    def of(self, node, prefix: str = "", independent: bool = False) -> float:
        if isinstance(node, q.Tok):
            return self.share.get(prefix + node.token, self.floor)
        if isinstance(node, q.And):
            return self._all([self.of(p, prefix, independent) for p in node.parts], independent)
        if isinstance(node, q.Or):
            return self._any([self.of(p, prefix, independent) for p in node.parts], independent)
        if isinstance(node, q.Phrase | q.Near):
            pre = (
                PREFIX.get(node.column, "")
                if isinstance(node, q.Phrase) and node.column
                else prefix
            )
            shares = [self.share.get(pre + token, self.floor) for token in node.tokens]
            return self._all(shares, independent)
        if isinstance(node, q.Meta):
            shares = [self.share.get("~" + token, self.floor) for token in node.tokens]
            return self._any(shares, independent)
        raise TypeError(f"unknown query node {node!r}")

    @staticmethod
    def _all(shares, independent):
        return math.prod(shares) if independent else min(shares)

    @staticmethod
    def _any(shares, independent):
        if independent:
            return 1.0 - math.prod(1.0 - share for share in shares)
        return min(1.0, sum(shares))

    def expected(self, expr, filters, rows: float, independent: bool = False) -> int:
        share = self.of(expr, "", independent) if expr is not None else 1.0
        for group in filters.meta:
            share *= self.of(q.Meta(group), "", independent)
        if filters.docno is not None:
            share *= self.of(filters.docno, "#", independent)
        return round(share * rows)


def _split_meta(filters):
    """(the filters GIN is given, a tsquery of the big filter groups or None): see
    BIG_META_GROUP. Only for a search with words; filters alone all go to GIN."""
    narrow, big = split_big_groups(filters, BIG_META_GROUP)
    return narrow, (" & ".join(render(q.Meta(group)) for group in big) if big else None)


def _share(cursor, check: str, stats, lo: int, hi: int) -> float:
    """The planner's estimate of the share of rows from lo to hi that pass the big groups."""
    cursor.execute(ESTIMATE_ALL, (check, lo, hi))
    return min(1.0, _plan_rows(cursor.fetchone()[0]) / _rows_between(stats, lo, hi))


def _rows_between(stats, lo: int, hi: int) -> float:
    """About how many rows have a key from lo to hi."""
    rows, bounds = stats
    if len(bounds) < 2:
        return float(max(1, rows))
    return max(1.0, rows * (_position(bounds, hi) - _position(bounds, lo)))


def _windows(stats, lo: int, hi: int, expected: int, cap: int, tiers=()):
    """Ranges of keys to search, newest first, until cap matches are found (see SELECT_ALL).

    Asked for a common word's newest matches at once, PostgreSQL either walks the key from the
    newest row, decompressing and testing every row's tsvector (170-300 ms for a word in 1% of
    a million rows), or has GIN find every match and fetches each from the table to sort them
    by key (5-7 s for a word in every row). In a window of keys that should hold about
    WINDOW_SLACK × cap matches, by the estimated share of rows that match, either way reads a
    few thousand rows at most. A window that holds too few is followed by a larger one further
    back, until the range ends: sized by the share of its rows that matched (the caller sends
    how many it found; at least WINDOW_GROWTH times larger), or WINDOW_EMPTY_GROWTH times
    larger after a window without any. Every window costs a GIN scan of the words' whole
    posting lists, so few well-sized windows beat many small ones.

    tiers: where the tiers start. A window that would end a little above the start of a tier
    (or of the range) ends there instead (see SNAP_SHARE).
    """
    rows, bounds = stats
    if rows < WINDOW_MIN_ROWS or len(bounds) < 2 or lo >= hi:
        yield lo, hi
        return
    bottom_at, top_at = _position(bounds, lo), _position(bounds, hi)
    in_range = rows * (top_at - bottom_at)
    if expected <= 0 or in_range <= 0:
        yield lo, hi
        return
    share = min(1.0, expected / in_range)
    span = WINDOW_SLACK * cap / share / rows  # as a share of all rows
    top = hi
    while True:
        position = top_at - span
        if position <= bottom_at:
            yield lo, top
            return
        bottom = max(lo, _key_at(bounds, position))
        if bottom >= top:
            yield lo, top
            return
        below = max([lo, *(t for t in tiers if lo < t <= bottom)])
        below_at = _position(bounds, below)
        if position - below_at <= SNAP_SHARE * (top_at - position):
            if below == lo:
                yield lo, top
                return
            bottom, position, span = below, below_at, top_at - below_at
        found = yield bottom, top
        top, top_at = bottom - 1, position
        if found:
            # The caller sent how many matches the window held: the next one is sized by the
            # share of rows that really matched there (the estimate is an upper bound and
            # may be far off), growing at least WINDOW_GROWTH times.
            needed = max(1, cap - found)
            cap = needed
            seen = found / (span * rows)
            span = max(span * WINDOW_GROWTH, WINDOW_SLACK * needed / seen / rows)
        else:
            # None found (or not told): much rarer than estimated, or only in older rows.
            span *= WINDOW_GROWTH if found is None else WINDOW_EMPTY_GROWTH


def _plan_rows(plan) -> int:
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def _newest_in(cursor, sql, match, check, lo, hi, limit, tiers, phrase=None) -> list[int]:
    """Up to limit keys from lo to hi matching, newest first (sql: SELECT_ALL or SELECT_HEAD
    with its check filled in), the tiers newest first in one statement (UNION_KEYS).

    phrase: a tsquery with word order (see PHRASE_CHECK): match is then its words alone, and
    the rows they find are checked for the phrase, newest first, PHRASE_CHUNK at a time."""
    pieces = _pieces(lo, hi, tiers)
    extra = (check,) if check is not None else ()
    if phrase is None:
        rows = _run_pieces(cursor, sql, UNION_KEYS, pieces, (match,), extra, limit)
        return [row[0] for row in rows]
    keys: list[int] = []
    for bottom, top in pieces:
        # LIMIT NULL: every row the words find.
        cursor.execute(sql, (match, bottom, top, *extra, None))
        loose = [row[0] for row in cursor.fetchall()]
        start, share = 0, 1.0
        while start < len(loose):
            # Every row of a chunk is checked (the LIMIT cannot stop a bitmap scan early):
            # each chunk holds what the share of rows found to hold the phrase so far says
            # is needed, with some to spare, at most PHRASE_CHUNK rows.
            needed = limit - len(keys)
            size = min(PHRASE_CHUNK, max(PHRASE_MIN_CHUNK, round(1.5 * needed / share)))
            chunk = loose[start : start + size]
            cursor.execute(PHRASE_CHECK, (_keys(chunk), phrase, needed))
            found = [row[0] for row in cursor.fetchall()]
            keys += found
            if len(keys) >= limit:
                return keys
            start += len(chunk)
            share = max(len(found), 1) / len(chunk)
    return keys


def _run_pieces(cursor, sql, union, pieces, before, after, limit) -> list[tuple]:
    """sql (… BETWEEN %s AND %s … LIMIT %s) for each piece of the range, newest first, as one
    statement (union: UNION_KEYS or UNION_COUNT); its rows."""
    if len(pieces) == 1:
        cursor.execute(sql, (*before, *pieces[0], *after, limit))
    else:
        params = []
        for bottom, top in pieces:
            params += [*before, bottom, top, *after, limit]
        branches = " UNION ALL ".join(f"({sql})" for _ in pieces)
        cursor.execute(union.format(branches=branches), (*params, limit))
    return cursor.fetchall()


def _gin_indexes(cursor) -> dict[str, str | None]:
    """{name: predicate or None} of the GIN indexes on the table."""
    cursor.execute(GIN_INDEXES)
    return dict(cursor.fetchall())


def _load_table_stats(cursor) -> tuple[int, list[int]]:
    """(rows, rank_key histogram bounds) as the statistics have them now."""
    cursor.execute(TABLE_STATS)
    row = cursor.fetchone()
    rows = max(0, int(row[0])) if row else 0
    bounds = [int(b) for b in row[1].strip("{}").split(",")] if row and row[1] else []
    return rows, bounds


def _load_tiers(cursor) -> list[int]:
    """The tier bounds in the GIN indexes' predicates, in order."""
    found = set()
    for predicate in _gin_indexes(cursor).values():
        found.update(int(n) for n in TIER_BOUND_RE.findall(predicate or ""))
    return sorted(found)


def _load_elements(cursor) -> dict:
    """{column: _Elements} from ANALYZE's most-common-elements lists."""
    cursor.execute(ELEMENT_STATS)
    return {
        name: _Elements(elements, freqs)
        for name, elements, freqs in cursor.fetchall()
        if elements and freqs and len(freqs) > len(elements)
    }


def _tier_bounds_for(cursor) -> list[int]:
    """Where the tiers of a rebuild from empty start (see TIER_SHARES), from the key histogram
    just made (`_needs_cluster` analysed rank_key); none for a smaller table."""
    rows, bounds = _load_table_stats(cursor)
    if rows < TIER_MIN_ROWS or len(bounds) < 2:
        return []
    return sorted({_key_at(bounds, share) for share in TIER_SHARES} - {bounds[0]})


def _gin_builds(tier_bounds: list[int]) -> list[str]:
    """CREATE INDEX statements for both columns: one index each, or one per tier; largest
    first (the all-fields tiers by their share of the rows, then the title ones)."""
    if not tier_bounds:
        return [ALL_GIN, HEAD_GIN]
    starts, ends = (0.0, *TIER_SHARES), (*TIER_SHARES, 1.0)
    shares = [high - low for low, high in zip(starts, ends, strict=True)]
    edges = [None, *tier_bounds, None]
    tiers = []
    for n, (low, high) in enumerate(zip(edges, edges[1:], strict=False)):
        limits = ([f"rank_key >= {low}"] if low is not None else []) + (
            [f"rank_key < {high}"] if high is not None else []
        )
        tiers.append((shares[n], n, " AND ".join(limits)))
    tiers.sort(reverse=True)
    return [
        TIER_GIN.format(column=column, n=n) + f" WHERE {predicate}"
        for column in ("all", "head")
        for _share, n, predicate in tiers
    ]


def _pieces(lo: int, hi: int, tier_bounds: list[int]):
    """The range lo..hi cut at the tiers' bounds, newest first: each piece inside one tier."""
    if not tier_bounds:
        return [(lo, hi)]
    edges = [lo, *(b for b in tier_bounds if lo < b <= hi), hi + 1]
    return [(edges[i], edges[i + 1] - 1) for i in range(len(edges) - 2, -1, -1)]


def _build_in_own_connection(alias: str, sql: str) -> None:
    """Run one index build in this thread's own connection, then close it."""
    from django.db import connections

    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SET maintenance_work_mem = '{BUILD_MEMORY}'")
            cursor.execute(sql)
    finally:
        connection.close()
