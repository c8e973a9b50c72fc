"""SQLite FTS5: the embedded default.

Two FTS5 tables of pre-segmented, space-joined tokens, with rowid = rank_key. The tokens are
already lower-cased letters and digits (text.tokens), so FTS5's `ascii` tokenizer, which only
splits at ASCII spaces and punctuation, gives the same tokens as `unicode61` at about half its
cost per insert (0.24 → 0.13 CPU-ms per item, both tables):

- search_fts_all(title, docno, summary, extra, body, attach, meta): every field; BM25 with
  column weights is the relevance;
- search_fts_head(title, docno, summary, grams, meta): the short fields and the title's
  bigrams, a small index that finds title matches without walking body postings.

FTS5 returns matches in rowid order without sorting, so `ORDER BY rowid DESC LIMIT cap` reads
only the newest `cap` entries of each posting list; ordering by bm25 instead would score every
match (120 ms at 100,000 items for a common word). The candidates are taken as rowids alone and
scored by a second statement (`_scores`), because bm25() walks every phrase's whole posting list
for its IDF: that statement leaves out filters and, on a large index, phrases in most rows.
Filters are tokens in the `meta` column (and the document-number column), so they narrow the
posting-list walk itself rather than the capped result; the year is a rowid range. A filter
group of many tokens is checked on the candidates instead (`_select`).

The tables store their content (SQLite 3.40 has no contentless delete), which roughly doubles
the text on disk; see docs/search.md.
"""

import json
import math
import time

from .. import query as q
from .base import (
    ALL_FIELDS,
    KEY_SHIFT,
    MAX_KEY,
    Candidate,
    CandidateSet,
    Filters,
    SearchBackend,
    split_big_groups,
    title_probe,
)

ALL_TABLE = "search_fts_all"
HEAD_TABLE = "search_fts_head"
TOKENIZE = "ascii"

HEAD_ONLY_FIELDS = ("grams",)  # the head table's other fields are in ALL_FIELDS
ALL_COLUMNS = ("title", "docno", "summary", "extra", "body", "attach", "meta")
ALL_WEIGHTS = (10.0, 10.0, 4.0, 2.0, 1.0, 0.5, 0.0)
HEAD_COLUMNS = ("title", "docno", "summary", "grams", "meta")
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
# Candidates: rowids only, newest first. bm25() is left to SCORE_* (see `_scores`).
SELECT_ALL = (
    "SELECT rowid FROM search_fts_all WHERE search_fts_all MATCH %s AND rowid BETWEEN %s AND %s "
    "ORDER BY rowid DESC LIMIT %s"
)
SELECT_HEAD = (
    "SELECT rowid FROM search_fts_head WHERE search_fts_head MATCH %s AND rowid BETWEEN %s AND %s "
    "ORDER BY rowid DESC LIMIT %s"
)
# The stored columns of given rows, for scoring them (see `_scores`), as UTF-8 bytes: turning
# 400 rows' text into Python strings cost more than reading them, and bytes are counted in
# the same way (every token is space-separated).
CONTENT = {
    ALL_TABLE: "SELECT id, CAST(c0 AS BLOB), CAST(c1 AS BLOB), CAST(c2 AS BLOB), "
    "CAST(c3 AS BLOB), CAST(c4 AS BLOB), CAST(c5 AS BLOB), CAST(c6 AS BLOB) "
    "FROM search_fts_all_content WHERE id IN (SELECT value FROM json_each(%s))",
    HEAD_TABLE: "SELECT id, CAST(c0 AS BLOB), CAST(c1 AS BLOB), CAST(c2 AS BLOB), "
    "CAST(c3 AS BLOB), CAST(c4 AS BLOB) "
    "FROM search_fts_head_content WHERE id IN (SELECT value FROM json_each(%s))",
}
# How many rows hold a phrase, counted up to a limit (see `_doc_freq`).
COUNT_PHRASE = {
    ALL_TABLE: "SELECT count(*) FROM (SELECT 1 FROM search_fts_all WHERE search_fts_all MATCH %s "
    "LIMIT %s)",
    HEAD_TABLE: "SELECT count(*) FROM (SELECT 1 FROM search_fts_head WHERE search_fts_head "
    "MATCH %s LIMIT %s)",
}
# The newest matches of one phrase, and how many rows those span (see `_doc_freq`).
NEWEST_MATCHES = {
    ALL_TABLE: "SELECT min(rowid), count(*) FROM (SELECT rowid FROM search_fts_all "
    "WHERE search_fts_all MATCH %s ORDER BY rowid DESC LIMIT %s)",
    HEAD_TABLE: "SELECT min(rowid), count(*) FROM (SELECT rowid FROM search_fts_head "
    "WHERE search_fts_head MATCH %s ORDER BY rowid DESC LIMIT %s)",
}
ROWS_FROM = {
    ALL_TABLE: "SELECT count(*) FROM (SELECT 1 FROM search_fts_all_docsize WHERE id >= %s LIMIT %s)",
    HEAD_TABLE: "SELECT count(*) FROM (SELECT 1 FROM search_fts_head_docsize WHERE id >= %s LIMIT %s)",
}
# Two subqueries: SQLite reads min() or max() alone from the end of the b-tree, both together
# by scanning every row.
KEY_RANGE = {
    ALL_TABLE: "SELECT (SELECT min(id) FROM search_fts_all_docsize), "
    "(SELECT max(id) FROM search_fts_all_docsize)",
    HEAD_TABLE: "SELECT (SELECT min(id) FROM search_fts_head_docsize), "
    "(SELECT max(id) FROM search_fts_head_docsize)",
}
# FTS5's "averages" record (block 1 of the data table) starts with the row count, a varint.
AVERAGES = {
    ALL_TABLE: "SELECT block FROM search_fts_all_data WHERE id = 1",
    HEAD_TABLE: "SELECT block FROM search_fts_head_data WHERE id = 1",
}
HEAD_META = (
    "SELECT id, c4 FROM search_fts_head_content WHERE id IN (SELECT value FROM json_each(%s))"
)
SELECT_EXCLUDED = (
    "SELECT rowid FROM search_fts_all WHERE search_fts_all MATCH %s "
    "AND rowid IN (SELECT value FROM json_each(%s))"
)
COUNT_ALL = (
    "SELECT count(*) FROM (SELECT 1 FROM search_fts_all WHERE search_fts_all MATCH %s "
    "AND rowid BETWEEN %s AND %s LIMIT %s)"
)
# The newest titles sharing a useful bigram; ranked in Python by how many they share (ordering
# by bm25 here scored every match: 40-80 ms at 1,000,000 items).
SIMILAR_HEAD = (
    "SELECT rowid, grams FROM search_fts_head WHERE search_fts_head MATCH %s "
    "AND rowid BETWEEN %s AND %s ORDER BY rowid DESC LIMIT %s"
)
ROW_COUNT = "SELECT count(*) FROM search_fts_head"
# Browsing by year alone: no MATCH, just the newest rows in the range.
SELECT_RANGE = "SELECT rowid, 0.0 FROM search_fts_head WHERE rowid BETWEEN %s AND %s ORDER BY rowid DESC LIMIT %s"
COUNT_RANGE = (
    "SELECT count(*) FROM (SELECT 1 FROM search_fts_head WHERE rowid BETWEEN %s AND %s LIMIT %s)"
)
# Whether anything at all matches (see `_surely_empty`).
EXISTS = {
    ALL_TABLE: "SELECT 1 FROM search_fts_all WHERE search_fts_all MATCH %s "
    "AND rowid BETWEEN %s AND %s LIMIT 1",
    HEAD_TABLE: "SELECT 1 FROM search_fts_head WHERE search_fts_head MATCH %s "
    "AND rowid BETWEEN %s AND %s LIMIT 1",
}
HAS_META = "SELECT 1 FROM search_fts_head WHERE search_fts_head MATCH %s LIMIT 1"
SIZE = (
    "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search_fts_all%' "
    "OR name LIKE 'search_fts_head%'"
)
# FTS5 settings while loading from empty, and after. Without automerge, FTS5 still merges 16
# segments of a level at once ("crisis" merge); 64 rewrites each posting fewer times. A
# 16 MB pending-terms hash writes one segment per committed batch instead of several
# (the default, 1 MB, fills in about 300 items). At 200,000 items: 0.335 → 0.288 CPU-ms per
# item for loading and the final merge together.
BULK_CONFIG = {"automerge": 0, "crisismerge": 64, "hashsize": 16 * 1024 * 1024}
NORMAL_CONFIG = {"automerge": 4, "crisismerge": 16, "hashsize": 1024 * 1024}
SET_CONFIG = [
    "INSERT INTO search_fts_all(search_fts_all, rank) VALUES (%s, %s)",
    "INSERT INTO search_fts_head(search_fts_head, rank) VALUES (%s, %s)",
]


def _set_config(cursor, config: dict) -> None:
    for sql in SET_CONFIG:
        for name, value in config.items():
            cursor.execute(sql, (name, value))


OPTIMIZE_ALL = "INSERT INTO search_fts_all(search_fts_all) VALUES ('optimize')"
OPTIMIZE_HEAD = "INSERT INTO search_fts_head(search_fts_head) VALUES ('optimize')"

# How many documents a bigram may be in and still help find similar titles.
COMMON_GRAM_DOCS = 20_000
SIMILAR_POOL = 2000

# Ranking computes BM25 itself (see `_scores`) from document frequencies (`_doc_freq`): counted
# exactly below EXACT_DF rows, else estimated from how many rows the newest DF_ESTIMATE_SAMPLE
# matches span. A phrase in more than COMMON_SHARE of the rows has no weight in BM25; on an index
# of more than SMALL_TABLE rows such phrases are left out of scoring (and of `_surely_empty`'s
# walk), below it every phrase is scored and counts are not kept between searches.
COMMON_SHARE = 0.5
SMALL_TABLE = 100_000
EXACT_DF = 1_000
DF_ESTIMATE_SAMPLE = 20
DF_SECONDS = 600
DF_CACHE_SIZE = 50_000
_df_cache: dict = {}
# BM25 as FTS5's bm25() computes it (fts5_aux.c): k1, b.
BM25_K1 = 1.2
BM25_B = 0.75
# A filter group of more OR-ed tokens than this (an organisation and all its sub-units) is
# costly to merge in FTS5; when the words alone are selective enough it is checked on the
# candidates' stored meta column instead (see `_post_filter`).
BIG_META_GROUP = 8
META_OVERFETCH = 3


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


def _score_phrases(node):
    """(tokens, column) of each phrase bm25() would score in a tree: a NEAR group's words each
    count on their own (their instances are not limited to the NEAR window here)."""
    if node is None or isinstance(node, q.Meta):
        return
    if isinstance(node, q.Tok):
        yield (node.token,), None
    elif isinstance(node, q.Phrase):
        yield tuple(node.tokens), node.column
    elif isinstance(node, q.And | q.Or):
        for part in node.parts:
            yield from _score_phrases(part)
    elif isinstance(node, q.Near):
        for token in node.tokens:
            yield (token,), None


def _render_phrase(tokens, column) -> str:
    """A scored phrase as FTS5 renders it elsewhere (so `_doc_freq` keeps one entry for it)."""
    if len(tokens) == 1 and column is None:
        return render(q.Tok(tokens[0]))
    return render(q.Phrase(tuple(tokens), column=column))


def _prune(node, common):
    """A looser tree without common phrases (common(fts5 phrase) is true), for scoring.

    It matches every row the whole tree matches (a common phrase counts as matching anything),
    and few others, so the scoring statement walks little more than the candidates.
    """
    if node is None or isinstance(node, q.Meta):
        return None
    if isinstance(node, q.Tok | q.Phrase):
        return None if common(render(node)) else node
    if isinstance(node, q.And):
        return q.and_(_prune(part, common) for part in node.parts)
    if isinstance(node, q.Or):
        parts = [_prune(part, common) for part in node.parts]
        return None if None in parts else q.or_(parts)
    if isinstance(node, q.Near):
        kept = tuple(t for t in node.tokens if not common(_quote(t)))
        if len(kept) == len(node.tokens):
            return node
        return q.and_(q.Tok(t) for t in kept)
    raise TypeError(f"unknown query node {node!r}")


def _passing(cursor, keys, groups) -> list[int]:
    """The keys (order kept) whose row carries a token of every group."""
    if not keys:
        return []
    cursor.execute(HEAD_META, (json.dumps(keys),))
    meta = {key: set((tokens or "").split()) for key, tokens in cursor.fetchall()}
    sets = [set(group) for group in groups]
    return [k for k in keys if k in meta and all(meta[k] & group for group in sets)]


def _varints(blob: bytes) -> list[int]:
    """Every SQLite varint in blob (as FTS5 writes them), in order."""
    out, value, length = [], 0, 0
    for byte in blob:
        length += 1
        if length == 9:  # the ninth byte carries 8 bits
            out.append((value << 8) | byte)
            value = length = 0
            continue
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            out.append(value)
            value = length = 0
    return out


def _averages(cursor, table) -> tuple[int, list[int]]:
    """(rows, tokens per column over all rows): FTS5's averages record, as bm25() reads it."""
    try:
        cursor.execute(AVERAGES[table])
        row = cursor.fetchone()
    except Exception:  # an FTS5 that stores it differently: treat the index as large
        return SMALL_TABLE + 1, []
    if not row or not row[0]:
        return 0, []
    values = _varints(bytes(row[0]))
    return values[0], values[1:]


def _stats(cursor, table, memo: dict) -> tuple[int, list[int]]:
    """`_averages`, read once per search."""
    key = ("averages", table)
    if key not in memo:
        memo[key] = _averages(cursor, table)
    return memo[key]


def _rows(cursor, table, memo: dict) -> int:
    """Rows in an FTS5 table, from its averages record (count(*) would read every row)."""
    return _stats(cursor, table, memo)[0]


def _doc_freq(cursor, table, phrase: str, memo: dict) -> int:
    """How many rows hold phrase (an FTS5 expression): exact up to EXACT_DF, else estimated.

    bm25() counts this by walking the phrase's whole posting list, in every statement: 20-25 ms
    for a word in every one of 1,000,000 rows. Here a phrase in fewer than EXACT_DF rows is
    counted (a short walk); a commoner one is estimated from its newest DF_ESTIMATE_SAMPLE
    matches and how many rows those span. On a large index the counts are kept for DF_SECONDS in this
    process (a word's share of the rows changes slowly), per database and index size. A phrase
    of several words is not counted (FTS5 checks positions match by match): see `_scores`.
    """
    key = (table, phrase)
    if key in memo:
        return memo[key]
    rows = _rows(cursor, table, memo)
    # Only a large index's counts are kept: a small one is counted in no time, and its counts
    # change with every item.
    keep = rows > SMALL_TABLE
    cache_key = (cursor.db.settings_dict.get("NAME"), table, phrase)
    cached = _df_cache.get(cache_key) if keep else None
    now = time.monotonic()
    if cached is not None and now - cached[2] < DF_SECONDS and abs(cached[1] - rows) <= rows // 100:
        memo[key] = cached[0]
        return cached[0]
    cursor.execute(COUNT_PHRASE[table], (phrase, EXACT_DF))
    found = cursor.fetchone()[0]
    if found >= EXACT_DF:
        cursor.execute(NEWEST_MATCHES[table], (phrase, DF_ESTIMATE_SAMPLE))
        oldest, sampled = cursor.fetchone()
        span = _rows_from(cursor, table, oldest, rows, memo)
        found = max(EXACT_DF, min(rows, round(sampled * rows / span)))
    if keep:
        if len(_df_cache) >= DF_CACHE_SIZE:
            _df_cache.clear()
        _df_cache[cache_key] = (found, rows, now)
    memo[key] = found
    return found


def _span_rows(rows: int) -> int:
    """Rows the newest DF_ESTIMATE_SAMPLE matches of a phrase in EXACT_DF rows would span."""
    return max(1, DF_ESTIMATE_SAMPLE * rows // EXACT_DF)


def _rows_from(cursor, table, oldest: int, rows: int, memo: dict) -> int:
    """How many rows have a rowid of oldest or more: counted up to `_span_rows`, beyond that
    estimated from the days they cover (the rowid begins with the publication day) as a share
    of the days the whole index covers."""
    limit = _span_rows(rows)
    cursor.execute(ROWS_FROM[table], (oldest, limit))
    counted = cursor.fetchone()[0]
    if counted < limit:
        return max(1, counted)
    if ("keys", table) not in memo:
        cursor.execute(KEY_RANGE[table])
        memo["keys", table] = cursor.fetchone()
    low, high = memo["keys", table]
    if low is None or high is None:
        return max(1, counted)
    first, last, since = low >> KEY_SHIFT, high >> KEY_SHIFT, oldest >> KEY_SHIFT
    share = (last - since + 1) / (last - first + 1)
    return max(limit, min(rows, round(rows * share)))


def _common(cursor, table, phrase: str, memo: dict) -> bool:
    """Whether phrase is in more than COMMON_SHARE of the rows (bm25 gives it no weight)."""
    return _doc_freq(cursor, table, phrase, memo) > COMMON_SHARE * _rows(cursor, table, memo)


def _surely_empty(cursor, table, expr, filters: Filters, memo: dict) -> bool:
    """Whether a cheap looser query proves that expr (with filters) matches nothing.

    FTS5 intersects an AND by seeking every part's posting list in turn, and a part in nearly
    every row (工作, the town's name) makes a walk that finds nothing cost 10-35 ms at 1,000,000
    rows. On a large index the query without its common phrases (`_prune`: it matches every
    row the query matches) is tried first, up to its first match; when it has none, neither
    has the query, and the walk is skipped. The answer is exact either way: False only means
    "not proven empty", and the full query then runs as before.
    """
    if expr is None:
        return False
    if _rows(cursor, table, memo) <= SMALL_TABLE:
        return False
    common = lambda phrase: _common(cursor, table, phrase, memo)  # noqa: E731
    loose = _prune(expr, common)
    if loose is None or loose == expr:
        return False
    groups = [
        group
        for group in filters.meta
        if len(group) <= BIG_META_GROUP and not common(render(q.Meta(group)))
    ]
    loose_filters = Filters(
        meta=groups, docno=filters.docno, key_lo=filters.key_lo, key_hi=filters.key_hi
    )
    cursor.execute(
        EXISTS[table], (match_string(loose, loose_filters), filters.key_lo, filters.key_hi)
    )
    return cursor.fetchone() is None


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
                # In rowid order: FTS5 writes its pending terms out as a new segment whenever a
                # rowid is lower than the one before, and a rebuild reads items in id order,
                # not by publication day (the rowid). Unsorted, a batch of 1,000 items of mixed
                # days became ~500 tiny segments to merge: 0.55 → 0.2 CPU-ms per item.
                rows = sorted(rows, key=lambda row: row[0])
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
            _set_config(cursor, BULK_CONFIG)

    def bulk_end(self, *, cleared=False):
        # Merge the b-tree segments a large load leaves behind: fewer segments, faster reads.
        with self.connection.cursor() as cursor:
            _set_config(cursor, NORMAL_CONFIG)
            cursor.execute(OPTIMIZE_ALL)
            cursor.execute(OPTIMIZE_HEAD)

    def candidates(self, *, all_expr, head_expr, exclude, filters, cap, head_probe=None):
        lo, hi = filters.key_lo, filters.key_hi
        narrow, big = split_big_groups(filters, BIG_META_GROUP)
        found: dict[int, Candidate] = {}
        memo: dict = {}
        with self.connection.cursor() as cursor:
            all_keys, kept_share = self._select(
                cursor, ALL_TABLE, all_expr, exclude, filters, narrow, big, cap, memo
            )
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
                    head_keys, _share = self._select(
                        cursor, HEAD_TABLE, probe, exclude, filters, narrow, big, cap, memo
                    )
                if probe is None or len(head_keys) < cap:
                    head_keys, _share = self._select(
                        cursor, HEAD_TABLE, head_expr, exclude, filters, narrow, big, cap, memo
                    )
            all_scores = self._scores(cursor, ALL_TABLE, all_expr, filters, all_keys, memo)
            head_scores = self._scores(cursor, HEAD_TABLE, head_expr, filters, head_keys, memo)
            for key in all_keys:
                found[key] = Candidate(
                    rank_key=key, all_score=all_scores.get(key, 0.0), in_all=True
                )
            head_only = []
            for key in head_keys:
                cand = found.get(key)
                if cand is None:
                    cand = found[key] = Candidate(rank_key=key)
                    head_only.append(key)
                cand.head_score = head_scores.get(key, 0.0)
                cand.in_head = True
            if exclude is not None and head_only:
                # The head list only saw the short fields; an excluded word may be in the body.
                cursor.execute(SELECT_EXCLUDED, (render(exclude), json.dumps(head_only)))
                for (key,) in cursor.fetchall():
                    found.pop(key, None)
            capped = len(all_keys) >= cap or len(head_keys) >= cap
            count = len(found)
            if capped:
                estimate = None
                if kept_share is None and len(all_keys) >= cap:
                    estimate = self._estimate(cursor, all_keys, filters, memo)
                if estimate is not None:
                    count = max(count, estimate)
                elif kept_share is None:
                    match = match_string(all_expr, filters, exclude)
                    count = max(count, self._count(cursor, match, lo, hi, cap * 10))
                else:
                    # Counted without the big filter group, scaled by the share of the
                    # fetched rows that passed it: an estimate, like every capped count.
                    match = match_string(all_expr, narrow, exclude)
                    loose = self._count(cursor, match, lo, hi, cap * 10)
                    count = max(count, round(loose * kept_share))
        return CandidateSet(candidates=list(found.values()), capped=capped, count=count)

    def _select(self, cursor, table, expr, exclude, filters, narrow, big, cap, memo):
        """Rank keys of the newest cap matches, and the share of rows that passed `big`.

        With a big filter group (see BIG_META_GROUP) the words are run without it over
        META_OVERFETCH times the rows and the group is checked on the stored meta column; the
        rows kept are exactly the newest matches of the full query when enough of them pass or
        every match was seen. Otherwise the full query runs (share None).
        """
        lo, hi = filters.key_lo, filters.key_hi
        if _surely_empty(cursor, table, expr, filters, memo):
            return [], None
        if big:
            limit = cap * META_OVERFETCH
            keys = self._run_select(
                cursor, table, match_string(expr, narrow, exclude), lo, hi, limit
            )
            kept = _passing(cursor, keys, big)
            if len(kept) >= cap or len(keys) < limit:
                share = len(kept) / len(keys) if keys else 0.0
                return kept[:cap], share
        keys = self._run_select(cursor, table, match_string(expr, filters, exclude), lo, hi, cap)
        return keys, None

    @staticmethod
    def _run_select(cursor, table, match, lo, hi, limit):
        if match:
            cursor.execute(
                SELECT_ALL if table == ALL_TABLE else SELECT_HEAD, (match, lo, hi, limit)
            )
        else:
            cursor.execute(SELECT_RANGE, (lo, hi, limit))
        return [row[0] for row in cursor.fetchall()]

    def _scores(self, cursor, table, expr, filters, keys, memo) -> dict[int, float]:
        """BM25 (higher is better) of the rows under keys, over the query's phrases.

        The same formula and column weights as FTS5's bm25(), computed here from the rows'
        stored columns: bm25() walks every phrase's whole posting list for its IDF in every
        statement (10-60 ms per common word at 1,000,000 rows), while the document
        frequencies come from `_doc_freq` (counted or estimated once, then kept). Filters other
        than the document number carry no weight and are left out, as before.
        """
        if not keys:
            return {}
        phrases = list(dict.fromkeys(_score_phrases(expr)))
        if filters.docno is not None:
            phrases += [
                (tokens, "docno")
                for tokens, _column in dict.fromkeys(_score_phrases(filters.docno))
            ]
        if not phrases:
            return {}
        rows, totals = _stats(cursor, table, memo)
        columns = ALL_COLUMNS if table == ALL_TABLE else HEAD_COLUMNS
        weights = ALL_WEIGHTS if table == ALL_TABLE else HEAD_WEIGHTS
        if rows <= 0 or len(totals) != len(columns):
            return {}
        avgdl = sum(totals) / rows or 1.0
        idfs = []
        by_column: dict[int, list] = {}  # column → [(phrase, b" tokens ", weight)]
        for tokens, column in phrases:
            if len(tokens) == 1:
                df = _doc_freq(cursor, table, _render_phrase(tokens, column), memo)
            else:
                # No more rows than its rarest word (an upper bound, cheap to count).
                df = min(
                    _doc_freq(cursor, table, _render_phrase((t,), column), memo) for t in tokens
                )
            idf = math.log((rows - df + 0.5) / (df + 0.5))
            if idf <= 0:
                # In more than half the rows: bm25() gives it 1e-6. On a large index that is
                # next to nothing beside any other phrase and it is not counted (a query of
                # such words alone then ranks by date); on a small one it still orders rows.
                if rows > SMALL_TABLE:
                    continue
                idf = 1e-6
            idfs.append(idf)
            needle = (" " + " ".join(tokens) + " ").encode()
            for i, name in enumerate(columns):
                if weights[i] and (column is None or column == name):
                    by_column.setdefault(i, []).append((len(idfs) - 1, needle, weights[i]))
        if not idfs:
            return {}
        cursor.execute(CONTENT[table], (json.dumps(keys),))
        out = {}
        k1, b = BM25_K1, BM25_B
        for key, *values in cursor.fetchall():
            length = sum(v.count(b" ") + 1 for v in values if v)
            norm = k1 * (1 - b + b * length / avgdl)
            freq = [0.0] * len(idfs)
            for i, wanted in by_column.items():
                value = values[i]
                if not value:
                    continue
                padded = b" " + value + b" "
                for n, needle, weight in wanted:
                    hits = padded.count(needle)
                    if hits:
                        freq[n] += weight * hits
            out[key] = sum(
                idf * f * (k1 + 1) / (f + norm) for idf, f in zip(idfs, freq, strict=True) if f
            )
        return out

    @staticmethod
    def _estimate(cursor, keys, filters, memo) -> int | None:
        """How many rows match, from how many rows the newest matches (keys) span.

        Counting the matches of a capped query walked up to ten times the cap through the
        intersection (20-60 ms at 1,000,000 rows) for a number shown as "about". On a large
        index without a year range, the share of matching rows among the rows from the
        oldest candidate on (`_rows_from`) is taken for the whole index. None: count instead.
        """
        rows = _rows(cursor, ALL_TABLE, memo)
        if rows <= SMALL_TABLE or filters.key_lo > 0 or filters.key_hi < MAX_KEY:
            return None
        span = _rows_from(cursor, ALL_TABLE, min(keys), rows, memo)
        return max(len(keys), min(rows, round(len(keys) * rows / span)))

    @staticmethod
    def _count(cursor, match, lo, hi, limit) -> int:
        if match:
            cursor.execute(COUNT_ALL, (match, lo, hi, limit))
        else:
            cursor.execute(COUNT_RANGE, (lo, hi, limit))
        return cursor.fetchone()[0]

    def count(self, *, all_expr, filters, limit):
        with self.connection.cursor() as cursor:
            if _surely_empty(cursor, ALL_TABLE, all_expr, filters, {}):
                return 0
            return self._count(
                cursor, match_string(all_expr, filters), filters.key_lo, filters.key_hi, limit
            )

    def similar_titles(self, *, grams, filters, limit):
        grams = list(dict.fromkeys(grams))
        if not grams:
            return []
        useful = []
        memo: dict = {}
        with self.connection.cursor() as cursor:
            for gram in grams[:30]:
                # How common the bigram is in all titles, as ranking counts it (kept between
                # searches on a large index): counting each bigram up to COMMON_GRAM_DOCS
                # within the filters cost 2-3 ms a bigram at 1,000,000 items.
                docs = _doc_freq(cursor, HEAD_TABLE, _render_phrase((gram,), "grams"), memo)
                if 0 < docs < COMMON_GRAM_DOCS:
                    useful.append(gram)
            if not useful:
                return []
            expr = q.Or(tuple(q.Phrase((g,), column="grams") for g in useful))
            cursor.execute(
                SIMILAR_HEAD,
                (match_string(expr, filters), filters.key_lo, filters.key_hi, SIMILAR_POOL),
            )
            wanted = set(useful)
            shared = [
                (len(wanted & set((row_grams or "").split())), key)
                for key, row_grams in cursor.fetchall()
            ]
        shared.sort(reverse=True)
        return [key for _n, key in shared[:limit]]

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
