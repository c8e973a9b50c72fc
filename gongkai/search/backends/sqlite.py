"""SQLite FTS5: the embedded default.

Two FTS5 tables of pre-segmented, space-joined tokens (unicode61 only splits at the spaces we
put there), with rowid = rank_key:

- search_fts_all(title, docno, summary, extra, body, attach, meta): every field; BM25 with
  column weights is the relevance;
- search_fts_head(title, docno, summary, grams, meta): the short fields and the title's
  bigrams, a small index that finds title matches without walking body postings.

FTS5 returns matches in rowid order without sorting, so `ORDER BY rowid DESC LIMIT cap` reads
only the newest `cap` entries of each posting list and computes bm25() for those rows alone;
ordering by bm25 instead would score every match (120 ms at 100,000 items for a common word).
Filters are tokens in the `meta` column (and the document-number column), so they narrow the
posting-list walk itself rather than the capped result; the year is a rowid range.

The tables store their content (SQLite 3.40 has no contentless delete), which roughly doubles
the text on disk; see docs/search.md.
"""

import json

from .. import query as q
from .base import ALL_FIELDS, Candidate, CandidateSet, Filters, SearchBackend

ALL_TABLE = "search_fts_all"
HEAD_TABLE = "search_fts_head"
TOKENIZE = "unicode61 remove_diacritics 0"

HEAD_ONLY_FIELDS = ("grams",)  # the head table's other fields are in ALL_FIELDS
# title, docno, summary, extra, body, attach, meta
ALL_WEIGHTS = (10.0, 10.0, 4.0, 2.0, 1.0, 0.5, 0.0)
# title, docno, summary, grams, meta
HEAD_WEIGHTS = (4.0, 4.0, 1.0, 2.0, 0.0)

CREATE_SQL = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {ALL_TABLE} USING fts5("
    f"title, docno, summary, extra, body, attach, meta, tokenize='{TOKENIZE}')",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {HEAD_TABLE} USING fts5("
    f"title, docno, summary, grams, meta, tokenize='{TOKENIZE}')",
]
DROP_SQL = [f"DROP TABLE IF EXISTS {ALL_TABLE}", f"DROP TABLE IF EXISTS {HEAD_TABLE}"]

# Every statement is a constant; user input only ever travels as a bound parameter.
INSERT_ALL = (
    "INSERT INTO search_fts_all(rowid, title, docno, summary, extra, body, attach, meta) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
)
INSERT_HEAD = (
    "INSERT INTO search_fts_head(rowid, title, docno, summary, grams, meta) "
    "VALUES (%s, %s, %s, %s, %s, %s)"
)
DELETE_ALL = "DELETE FROM search_fts_all WHERE rowid = %s"
DELETE_HEAD = "DELETE FROM search_fts_head WHERE rowid = %s"
SELECT_ALL = (
    "SELECT rowid, bm25(search_fts_all, 10.0, 10.0, 4.0, 2.0, 1.0, 0.5, 0.0) "
    "FROM search_fts_all WHERE search_fts_all MATCH %s AND rowid BETWEEN %s AND %s "
    "ORDER BY rowid DESC LIMIT %s"
)
SELECT_HEAD = (
    "SELECT rowid, bm25(search_fts_head, 4.0, 4.0, 1.0, 2.0, 0.0) "
    "FROM search_fts_head WHERE search_fts_head MATCH %s AND rowid BETWEEN %s AND %s "
    "ORDER BY rowid DESC LIMIT %s"
)
SELECT_EXCLUDED = (
    "SELECT rowid FROM search_fts_all WHERE search_fts_all MATCH %s "
    "AND rowid IN (SELECT value FROM json_each(%s))"
)
COUNT_ALL = (
    "SELECT count(*) FROM (SELECT 1 FROM search_fts_all WHERE search_fts_all MATCH %s "
    "AND rowid BETWEEN %s AND %s LIMIT %s)"
)
COUNT_HEAD = (
    "SELECT count(*) FROM (SELECT 1 FROM search_fts_head WHERE search_fts_head MATCH %s "
    "AND rowid BETWEEN %s AND %s LIMIT %s)"
)
SIMILAR_HEAD = (
    "SELECT rowid FROM search_fts_head WHERE search_fts_head MATCH %s "
    "AND rowid BETWEEN %s AND %s ORDER BY rank LIMIT %s"
)
ROW_COUNT = "SELECT count(*) FROM search_fts_head"
# Browsing by year alone: no MATCH, just the newest rows in the range.
SELECT_RANGE = "SELECT rowid, 0.0 FROM search_fts_head WHERE rowid BETWEEN %s AND %s ORDER BY rowid DESC LIMIT %s"
COUNT_RANGE = (
    "SELECT count(*) FROM (SELECT 1 FROM search_fts_head WHERE rowid BETWEEN %s AND %s LIMIT %s)"
)
HAS_META = "SELECT 1 FROM search_fts_head WHERE search_fts_head MATCH %s LIMIT 1"
SIZE = (
    "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search_fts_all%' "
    "OR name LIKE 'search_fts_head%'"
)
AUTOMERGE_OFF = [
    "INSERT INTO search_fts_all(search_fts_all, rank) VALUES ('automerge', 0)",
    "INSERT INTO search_fts_head(search_fts_head, rank) VALUES ('automerge', 0)",
]
AUTOMERGE_ON = [
    "INSERT INTO search_fts_all(search_fts_all, rank) VALUES ('automerge', 4)",
    "INSERT INTO search_fts_head(search_fts_head, rank) VALUES ('automerge', 4)",
]
OPTIMIZE_ALL = "INSERT INTO search_fts_all(search_fts_all) VALUES ('optimize')"
OPTIMIZE_HEAD = "INSERT INTO search_fts_head(search_fts_head) VALUES ('optimize')"

# How many documents a bigram may be in and still help find similar titles.
COMMON_GRAM_DOCS = 20_000


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def render(node) -> str:
    """A query tree as an FTS5 expression; every token is quoted, so nothing is syntax."""
    if isinstance(node, q.Tok):
        return _quote(node.token)
    if isinstance(node, q.And):
        return "(" + " AND ".join(render(p) for p in node.parts) + ")"
    if isinstance(node, q.Or):
        return "(" + " OR ".join(render(p) for p in node.parts) + ")"
    if isinstance(node, q.Phrase):
        phrase = "(" + " + ".join(_quote(t) for t in node.tokens) + ")"
        return f"({node.column} : {phrase})" if node.column else phrase
    if isinstance(node, q.Near):
        slop = q.PHRASE_SLOP * max(1, len(node.tokens) - 1)
        return "NEAR(" + " ".join(_quote(t) for t in node.tokens) + f", {slop})"
    if isinstance(node, q.Meta):
        return "(meta : (" + " OR ".join(_quote(t) for t in node.tokens) + "))"
    raise TypeError(f"unknown query node {node!r}")


def match_string(expr, filters: Filters, exclude=None) -> str:
    parts = [render(expr)] if expr is not None else []
    parts += [render(q.Meta(group)) for group in filters.meta]
    if filters.docno is not None:
        parts.append(f"(docno : {render(filters.docno)})")
    match = " AND ".join(parts)
    if exclude is not None:
        match = f"({match}) NOT {render(exclude)}"
    return match


class SQLiteBackend(SearchBackend):
    vendor = "sqlite"

    def prepare(self, doc):
        fields = doc.fields
        return (
            doc.rank_key,
            *(" ".join(fields.get(name) or ()) for name in ALL_FIELDS),
            *(" ".join(fields.get(name) or ()) for name in HEAD_ONLY_FIELDS),
        )

    def write_rows(self, *, rows, remove_keys, fresh=False):
        with self.connection.cursor() as cursor:
            keys = [(key,) for key in remove_keys]
            if keys:
                cursor.executemany(DELETE_ALL, keys)
                cursor.executemany(DELETE_HEAD, keys)
            if rows:
                cursor.executemany(INSERT_ALL, [row[:8] for row in rows])
                # title, docno, summary are the all-fields row's; grams and meta follow it.
                cursor.executemany(
                    INSERT_HEAD, [(row[0], row[1], row[2], row[3], row[8], row[7]) for row in rows]
                )

    def clear(self):
        # Dropping and re-creating the tables costs a fraction of deleting every row (FTS5
        # deletes entry by entry).
        with self.connection.cursor() as cursor:
            for sql in DROP_SQL + CREATE_SQL:
                cursor.execute(sql)

    def bulk_begin(self):
        # No incremental merging while loading from empty (about 40% less work per row); the
        # segments are merged once at the end. The setting is stored in the table, so an
        # interrupted rebuild is put right by the next one (--resume ends with bulk_end too).
        with self.connection.cursor() as cursor:
            for sql in AUTOMERGE_OFF:
                cursor.execute(sql)

    def bulk_end(self, *, cleared=False):
        # Merge the b-tree segments a large load leaves behind: fewer segments, faster reads.
        with self.connection.cursor() as cursor:
            for sql in AUTOMERGE_ON:
                cursor.execute(sql)
            cursor.execute(OPTIMIZE_ALL)
            cursor.execute(OPTIMIZE_HEAD)

    def candidates(self, *, all_expr, head_expr, exclude, filters, cap, head_probe=None):
        lo, hi = filters.key_lo, filters.key_hi
        all_match = match_string(all_expr, filters, exclude)
        found: dict[int, Candidate] = {}
        with self.connection.cursor() as cursor:
            if all_match:
                cursor.execute(SELECT_ALL, (all_match, lo, hi, cap))
            else:
                cursor.execute(SELECT_RANGE, (lo, hi, cap))
            all_rows = cursor.fetchall()
            head_rows = []
            if head_expr is not None:
                probe = head_probe if head_probe not in (None, head_expr) else None
                if probe is not None:
                    cursor.execute(
                        SELECT_HEAD, (match_string(probe, filters, exclude), lo, hi, cap)
                    )
                    head_rows = cursor.fetchall()
                if probe is None or len(head_rows) < cap:
                    head_match = match_string(head_expr, filters, exclude)
                    cursor.execute(SELECT_HEAD, (head_match, lo, hi, cap))
                    head_rows = cursor.fetchall()
            for key, bm25 in all_rows:
                found[key] = Candidate(rank_key=key, all_score=-bm25, in_all=True)
            head_only = []
            for key, bm25 in head_rows:
                cand = found.get(key)
                if cand is None:
                    cand = found[key] = Candidate(rank_key=key)
                    head_only.append(key)
                cand.head_score = -bm25
                cand.in_head = True
            if exclude is not None and head_only:
                # The head list only saw the short fields; an excluded word may be in the body.
                cursor.execute(SELECT_EXCLUDED, (render(exclude), json.dumps(head_only)))
                for (key,) in cursor.fetchall():
                    found.pop(key, None)
            capped = len(all_rows) >= cap or len(head_rows) >= cap
            count = len(found)
            if capped:
                count = max(count, self._count(cursor, all_match, lo, hi, cap * 10))
        return CandidateSet(candidates=list(found.values()), capped=capped, count=count)

    @staticmethod
    def _count(cursor, match, lo, hi, limit) -> int:
        if match:
            cursor.execute(COUNT_ALL, (match, lo, hi, limit))
        else:
            cursor.execute(COUNT_RANGE, (lo, hi, limit))
        return cursor.fetchone()[0]

    def count(self, *, all_expr, filters, limit):
        with self.connection.cursor() as cursor:
            return self._count(
                cursor, match_string(all_expr, filters), filters.key_lo, filters.key_hi, limit
            )

    def similar_titles(self, *, grams, filters, limit):
        grams = list(dict.fromkeys(grams))
        if not grams:
            return []
        useful = []
        with self.connection.cursor() as cursor:
            for gram in grams[:30]:
                cursor.execute(
                    COUNT_HEAD,
                    (
                        match_string(q.Phrase((gram,), column="grams"), filters),
                        filters.key_lo,
                        filters.key_hi,
                        COMMON_GRAM_DOCS,
                    ),
                )
                docs = cursor.fetchone()[0]
                if 0 < docs < COMMON_GRAM_DOCS:
                    useful.append(gram)
            if not useful:
                return []
            expr = q.Or(tuple(q.Phrase((g,), column="grams") for g in useful))
            cursor.execute(
                SIMILAR_HEAD,
                (match_string(expr, filters), filters.key_lo, filters.key_hi, limit),
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
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(SIZE)
                return cursor.fetchone()[0]
        except Exception:  # dbstat is a compile-time option
            return None


def create_tables(connection) -> None:
    with connection.cursor() as cursor:
        for sql in CREATE_SQL:
            cursor.execute(sql)


def drop_tables(connection) -> None:
    with connection.cursor() as cursor:
        for sql in DROP_SQL:
            cursor.execute(sql)
