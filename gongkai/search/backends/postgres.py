"""PostgreSQL: tsvectors of pre-segmented tokens with GIN indexes.

One table, search_pg_index(rank_key PRIMARY KEY, all_tsv, head_tsv). We build the tsvector and
tsquery literals ourselves rather than call to_tsvector('simple', …): the tokens are already
segmented and normalised, and building the literal keeps the lexemes independent of the
server's locale (under LC_CTYPE=C the default parser drops Chinese characters). Weights mark the
fields (all_tsv: A title and document number, B summary and extra, C body, D attachments;
head_tsv: A title and document number, B summary, D grams); prefixes keep tokens that are not
words apart: "~" filter tokens, "%" title bigrams, "#" the document-number field as a filter.

Candidates are capped before ranking: each list takes the newest `cap` matches (the planner
walks the primary key backwards for a common word and uses GIN for a rare one) and
ts_rank_cd runs on those rows only.
"""

import json
import time

from .. import query as q
from .base import Candidate, CandidateSet, SearchBackend

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
STATISTICS_TARGET = 5000
HEAD_GIN = f"CREATE INDEX IF NOT EXISTS search_pg_head_gin ON {TABLE} USING gin (head_tsv)"
CREATE_SQL = [
    f"CREATE TABLE IF NOT EXISTS {TABLE} ("
    "rank_key bigint PRIMARY KEY, all_tsv tsvector NOT NULL, head_tsv tsvector NOT NULL)",
    # lz4 (PostgreSQL 14+, when built with it) decompresses several times faster than the
    # default pglz, and every ranked candidate's tsvector is decompressed; without it, pglz.
    "DO $$ BEGIN ALTER TABLE search_pg_index ALTER COLUMN all_tsv SET COMPRESSION lz4; "
    "EXCEPTION WHEN others THEN NULL; END $$",
    f"CREATE INDEX IF NOT EXISTS search_pg_all_gin ON {TABLE} USING gin (all_tsv)",
    HEAD_GIN,
    # The planner chooses between the GIN index and walking the key newest-first by its row
    # estimate. A word missing from the column's most-common-elements statistics is estimated
    # at half the rarest listed one: with the default target (100) that is ~0.9% of the rows, so
    # at 1,000,000 items a document number matching 13 rows was "9,045 rows" and the key walk
    # read the whole table (644 ms instead of 0.3 ms). A larger target lists ~50× more elements.
    f"ALTER TABLE {TABLE} ALTER COLUMN all_tsv SET STATISTICS {STATISTICS_TARGET}, "
    f"ALTER COLUMN head_tsv SET STATISTICS {STATISTICS_TARGET}",
]
DROP_SQL = [f"DROP TABLE IF EXISTS {TABLE}"]
DROP_GIN = ["DROP INDEX IF EXISTS search_pg_all_gin", "DROP INDEX IF EXISTS search_pg_head_gin"]

UPSERT = (
    "INSERT INTO search_pg_index (rank_key, all_tsv, head_tsv) "
    "VALUES (%s, %s::tsvector, %s::tsvector) ON CONFLICT (rank_key) DO UPDATE "
    "SET all_tsv = EXCLUDED.all_tsv, head_tsv = EXCLUDED.head_tsv"
)
INSERT = (
    "INSERT INTO search_pg_index (rank_key, all_tsv, head_tsv) "
    "VALUES (%s, %s::tsvector, %s::tsvector)"
)
DELETE = "DELETE FROM search_pg_index WHERE rank_key = ANY(%s)"
CLEAR = "TRUNCATE search_pg_index"
SELECT_ALL = (
    "SELECT rank_key FROM search_pg_index WHERE all_tsv @@ %s::tsquery "
    "AND rank_key BETWEEN %s AND %s ORDER BY rank_key DESC LIMIT %s"
)
SELECT_HEAD = (
    "SELECT rank_key FROM search_pg_index WHERE head_tsv @@ %s::tsquery "
    "AND rank_key BETWEEN %s AND %s ORDER BY rank_key DESC LIMIT %s"
)
# Quoted phrases: GIN cannot check word positions, so every row holding the words would be
# read to check them. The newest rows holding the words are taken first (LIMIT), and the
# positions checked on those only.
SELECT_ALL_PHRASE = (
    "SELECT rank_key FROM (SELECT rank_key, all_tsv FROM search_pg_index "
    "WHERE all_tsv @@ %s::tsquery AND rank_key BETWEEN %s AND %s "
    "ORDER BY rank_key DESC LIMIT %s OFFSET %s) AS loose WHERE all_tsv @@ %s::tsquery "
    "ORDER BY rank_key DESC LIMIT %s"
)
SELECT_HEAD_PHRASE = (
    "SELECT rank_key FROM (SELECT rank_key, head_tsv FROM search_pg_index "
    "WHERE head_tsv @@ %s::tsquery AND rank_key BETWEEN %s AND %s "
    "ORDER BY rank_key DESC LIMIT %s OFFSET %s) AS loose WHERE head_tsv @@ %s::tsquery "
    "ORDER BY rank_key DESC LIMIT %s"
)
PHRASE_WINDOW = 8  # rows holding the words read per candidate wanted
# …in two steps: the first often holds enough phrase matches, and then the rest is not read.
PHRASE_FIRST_WINDOW = 2
# Rare and middling words: GIN finds every match and the newest `cap` are sorted out of them
# ("+ 0" keeps the planner off the primary key). The planner would rather walk the primary key
# backwards testing each row, as it does not count what that costs: decompressing the row's
# all_tsv (about five times the cost of fetching a GIN match). A phrase is checked by GIN's
# recheck, on the rows holding all its words only.
SELECT_ALL_GIN = (
    "SELECT rank_key FROM search_pg_index WHERE all_tsv @@ %s::tsquery "
    "AND rank_key BETWEEN %s AND %s ORDER BY rank_key + 0 DESC LIMIT %s"
)
WALK_COST = 5  # testing a row while walking, against fetching one GIN match
ROW_ESTIMATE = "SELECT reltuples FROM pg_class WHERE oid = 'search_pg_index'::regclass"
ROW_ESTIMATE_SECONDS = 300
_row_estimate: dict = {}  # database → (rows, when asked)
# Scores for the capped candidates only. Weights are {D, C, B, A}.
SCORE = (
    "SELECT rank_key, "
    "COALESCE(ts_rank_cd('{0.05, 0.1, 0.4, 1.0}', all_tsv, %s::tsquery, 1), 0), "
    "COALESCE(ts_rank_cd('{0.5, 0.1, 0.25, 1.0}', head_tsv, %s::tsquery), 0), "
    "COALESCE(all_tsv @@ %s::tsquery, false) "
    "FROM search_pg_index WHERE rank_key = ANY(%s)"
)
COUNT_ALL = (
    "SELECT count(*) FROM (SELECT 1 FROM search_pg_index WHERE all_tsv @@ %s::tsquery "
    "AND rank_key BETWEEN %s AND %s LIMIT %s) AS matches"
)
ESTIMATE_ALL = (
    "EXPLAIN (FORMAT JSON) SELECT 1 FROM search_pg_index WHERE all_tsv @@ %s::tsquery "
    "AND rank_key BETWEEN %s AND %s"
)
ESTIMATE_HEAD = (
    "EXPLAIN (FORMAT JSON) SELECT 1 FROM search_pg_index WHERE head_tsv @@ %s::tsquery "
    "AND rank_key BETWEEN %s AND %s"
)
SIMILAR_HEAD = (
    "SELECT rank_key FROM search_pg_index WHERE head_tsv @@ %s::tsquery "
    "AND rank_key BETWEEN %s AND %s ORDER BY ts_rank(head_tsv, %s::tsquery) DESC LIMIT %s"
)
HAS_META = "SELECT 1 FROM search_pg_index WHERE head_tsv @@ %s::tsquery LIMIT 1"
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
                cursor.execute(DELETE, (list(remove_keys),))
            if rows:
                cursor.executemany(INSERT if fresh else UPSERT, rows)

    def clear(self):
        with self.connection.cursor() as cursor:
            cursor.execute(CLEAR)

    def bulk_begin(self):
        # Loading into a table without GIN indexes and building them once is several times
        # faster than updating them row by row.
        with self.connection.cursor() as cursor:
            for sql in DROP_GIN:
                cursor.execute(sql)

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
            cursor.execute(f"SET maintenance_work_mem = '{BUILD_MEMORY}'")
            if self.connection.in_atomic_block:
                # Another connection would wait for this transaction's locks.
                for sql in CREATE_SQL[2:]:
                    cursor.execute(sql)
            else:
                # The two GIN indexes are built at the same time, the head one by a connection
                # of its own (PostgreSQL 15 builds a GIN index on one core).
                with ThreadPoolExecutor(1) as pool:
                    head = pool.submit(_build_in_own_connection, self.connection.alias, HEAD_GIN)
                    for sql in CREATE_SQL[2:]:
                        if sql != HEAD_GIN:
                            cursor.execute(sql)
                    head.result()
            cursor.execute("RESET maintenance_work_mem")
            cursor.execute(ANALYZE)

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

    def ensure_indexes(self):
        with self.connection.cursor() as cursor:
            for sql in CREATE_SQL:
                cursor.execute(sql)

    def candidates(self, *, all_expr, head_expr, exclude, filters, cap, head_probe=None):
        lo, hi = filters.key_lo, filters.key_hi
        all_match = tsquery(all_expr, filters, exclude)
        with self.connection.cursor() as cursor:

            def select(plain_sql, phrase_sql, expr):
                match = tsquery(expr, filters, exclude)
                if has_near(expr):
                    loose = tsquery(loosen(expr), filters, exclude)
                    first = cap * PHRASE_FIRST_WINDOW
                    cursor.execute(phrase_sql, (loose, lo, hi, first, 0, match, cap))
                    keys = [row[0] for row in cursor.fetchall()]
                    if len(keys) < cap:
                        rest = cap * PHRASE_WINDOW - first
                        cursor.execute(
                            phrase_sql, (loose, lo, hi, rest, first, match, cap - len(keys))
                        )
                        keys += [row[0] for row in cursor.fetchall()]
                    return keys
                else:
                    cursor.execute(plain_sql, (match, lo, hi, cap))
                return [row[0] for row in cursor.fetchall()]

            if all_match:
                near = has_near(all_expr)
                loose = tsquery(loosen(all_expr), filters, exclude) if near else all_match
                cursor.execute(ESTIMATE_ALL, (loose, lo, hi))
                estimate = _plan_rows(cursor.fetchone()[0])
                if self._walk(cursor, estimate, cap):
                    all_keys = select(SELECT_ALL, SELECT_ALL_PHRASE, all_expr)
                else:
                    cursor.execute(SELECT_ALL_GIN, (all_match, lo, hi, cap))
                    all_keys = [row[0] for row in cursor.fetchall()]
            else:
                cursor.execute(SELECT_RANGE, (lo, hi, cap))
                all_keys = [row[0] for row in cursor.fetchall()]
            head_keys = []
            if head_expr is not None:
                probe = head_probe if head_probe not in (None, head_expr) else None
                if probe is not None:
                    head_keys = select(SELECT_HEAD, SELECT_HEAD_PHRASE, probe)
                if probe is None or len(head_keys) < cap:
                    head_keys = select(SELECT_HEAD, SELECT_HEAD_PHRASE, head_expr)
            keys = list(dict.fromkeys(all_keys + head_keys))
            found: dict[int, Candidate] = {}
            if keys:
                # The head list only saw the short fields; an excluded word may be in the body,
                # so the exclusion is checked again over every field.
                excluded = render(exclude) if exclude is not None else None
                cursor.execute(
                    SCORE, (tsquery(all_expr) or None, tsquery(head_expr) or None, excluded, keys)
                )
                head_set, all_set = set(head_keys), set(all_keys)
                for key, all_rank, head_rank, is_excluded in cursor.fetchall():
                    if is_excluded and key not in all_set:
                        continue
                    found[key] = Candidate(
                        rank_key=key,
                        all_score=float(all_rank) if key in all_set else 0.0,
                        head_score=float(head_rank) if key in head_set else 0.0,
                        in_all=key in all_set,
                        in_head=key in head_set,
                    )
            capped = len(all_keys) >= cap or len(head_keys) >= cap
            count = len(found)
            if capped and all_match:
                if near:
                    cursor.execute(ESTIMATE_ALL, (all_match, lo, hi))
                    estimate = _plan_rows(cursor.fetchone()[0])
                count = max(count, estimate)
            elif capped:
                cursor.execute(COUNT_RANGE, (lo, hi, cap * 10))
                count = max(count, cursor.fetchone()[0])
        return CandidateSet(candidates=list(found.values()), capped=capped, count=count)

    def _walk(self, cursor, estimate: int, cap: int) -> bool:
        """Whether to walk the primary key (newest first) rather than ask GIN for every match.

        Walking reads about cap × rows / estimate rows, each decompressed; GIN fetches the
        estimate's rows, each cheaply.
        """
        settings = self.connection.settings_dict
        key = (settings.get("HOST"), settings.get("PORT"), settings.get("NAME"))
        rows, asked = _row_estimate.get(key, (0, 0.0))
        if time.monotonic() - asked > ROW_ESTIMATE_SECONDS:
            cursor.execute(ROW_ESTIMATE)
            row = cursor.fetchone()
            rows = max(0, int(row[0])) if row else 0
            _row_estimate[key] = (rows, time.monotonic())
        if rows <= 0:
            return True  # never analysed: the planner's choice
        return estimate * estimate >= WALK_COST * cap * rows

    def count(self, *, all_expr, filters, limit):
        match = tsquery(all_expr, filters)
        with self.connection.cursor() as cursor:
            if match:
                cursor.execute(COUNT_ALL, (match, filters.key_lo, filters.key_hi, limit))
            else:
                cursor.execute(COUNT_RANGE, (filters.key_lo, filters.key_hi, limit))
            return cursor.fetchone()[0]

    def similar_titles(self, *, grams, filters, limit):
        grams = list(dict.fromkeys(grams))[:30]
        useful = []
        with self.connection.cursor() as cursor:
            for gram in grams:
                expr = q.Phrase((gram,), column="grams")
                cursor.execute(
                    ESTIMATE_HEAD, (tsquery(expr, filters), filters.key_lo, filters.key_hi)
                )
                if _plan_rows(cursor.fetchone()[0]) < COMMON_GRAM_DOCS:
                    useful.append(gram)
            if not useful:
                return []
            expr = q.Or(tuple(q.Phrase((g,), column="grams") for g in useful))
            match = tsquery(expr, filters)
            cursor.execute(
                SIMILAR_HEAD, (match, filters.key_lo, filters.key_hi, tsquery(expr), limit)
            )
            return [row[0] for row in cursor.fetchall()]

    def has_meta(self, token):
        with self.connection.cursor() as cursor:
            cursor.execute(HAS_META, (render(q.Meta((token,))),))
            return cursor.fetchone() is not None

    def row_count(self):
        with self.connection.cursor() as cursor:
            cursor.execute(ROW_COUNT)
            return cursor.fetchone()[0]

    def size_bytes(self):
        with self.connection.cursor() as cursor:
            cursor.execute(SIZE)
            return cursor.fetchone()[0]


def _plan_rows(plan) -> int:
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


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


def create_tables(connection) -> None:
    with connection.cursor() as cursor:
        for sql in CREATE_SQL:
            cursor.execute(sql)


def drop_tables(connection) -> None:
    with connection.cursor() as cursor:
        for sql in DROP_SQL:
            cursor.execute(sql)
