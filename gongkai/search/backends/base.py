"""The interface both index backends implement.

An index row holds an item's tokens in named fields (the same on both databases) and is keyed
by `rank_key` = publication day << 32 | item id, so the newest matches come first in the index's
own order and the item id is the key's low 32 bits. Ranking is designed around that order: a
common word matches most of a million items, and scoring every match costs far too much, so
each query takes at most `cap` candidates, newest first, from two lists (every field; and the
title, document number and summary alone, so an old document whose title matches is not lost
behind thousands of newer bodies), scores only those, and leaves the recency boost and the
merge to `ranking`.
"""

from dataclasses import dataclass, field
from datetime import date

KEY_SHIFT = 32
ITEM_MASK = (1 << KEY_SHIFT) - 1
EPOCH = date(1970, 1, 1)
MAX_KEY = (1 << 63) - 1

# Fields of an index row. `grams` (title bigrams) and `meta` (filter tokens) are not text a
# reader sees; `meta` never takes part in ranking.
ALL_FIELDS = ("title", "docno", "summary", "extra", "body", "attach", "meta")
HEAD_FIELDS = ("title", "docno", "summary", "grams", "meta")


def rank_key(*, day: date, item_id: int) -> int:
    days = max(0, (day - EPOCH).days)
    return (days << KEY_SHIFT) | (item_id & ITEM_MASK)


def key_item_id(key: int) -> int:
    return key & ITEM_MASK


def key_day(key: int) -> date:
    return date.fromordinal(EPOCH.toordinal() + (key >> KEY_SHIFT))


def year_key_range(year: int) -> tuple[int, int]:
    lo = rank_key(day=date(year, 1, 1), item_id=0)
    hi = rank_key(day=date(year + 1, 1, 1), item_id=0) - 1
    return lo, hi


@dataclass
class IndexDocument:
    item_id: int
    rank_key: int
    fields: dict[str, list[str]]  # field name → tokens, in order


@dataclass
class Filters:
    """Restrictions every candidate must meet, in index terms."""

    meta: list[tuple[str, ...]] = field(default_factory=list)  # AND of OR-groups of tokens
    docno: object = None  # a query tree over the document-number field
    key_lo: int = 0
    key_hi: int = MAX_KEY

    @property
    def is_empty(self) -> bool:
        return not self.meta and self.docno is None and self.key_lo == 0 and self.key_hi == MAX_KEY


def split_big_groups(filters: Filters, limit: int) -> tuple[Filters, list[tuple[str, ...]]]:
    """(the filters without their groups of more than limit tokens, those groups).

    Both backends check a big group (a town with its dozens of sub-organisations) on the rows
    the words find rather than have the index merge every token's postings.
    """
    big = [group for group in filters.meta if len(group) > limit]
    if not big:
        return filters, []
    narrow = Filters(
        meta=[group for group in filters.meta if len(group) <= limit],
        docno=filters.docno,
        key_lo=filters.key_lo,
        key_hi=filters.key_hi,
    )
    return narrow, big


def title_probe(*, head_probe, head_expr, all_expr, all_found: int, cap: int):
    """The query the title list tries first (the words alone, sparing the title-bigram query
    when they fill the cap), or None to run head_expr at once. The probe's rows are among the
    all-fields rows (the title fields are all-fields fields): when those did not reach the cap,
    neither can the probe."""
    if head_probe in (None, head_expr):
        return None
    if all_found < cap and head_probe == all_expr:
        return None
    return head_probe


@dataclass
class Candidate:
    rank_key: int
    all_score: float = 0.0  # relevance over every field (0: not matched there)
    head_score: float = 0.0  # relevance over title, document number, summary, grams
    in_all: bool = False
    in_head: bool = False

    @property
    def item_id(self) -> int:
        return key_item_id(self.rank_key)


@dataclass
class CandidateSet:
    candidates: list[Candidate]
    capped: bool  # a list hit the cap: there are more matches than were scored
    count: int  # exact when not capped, else an estimate of all matches
    timings: dict = field(default_factory=dict)


class SearchBackend:
    vendor = ""

    def __init__(self, connection):
        self.connection = connection

    # -- writing ------------------------------------------------------------------------------

    def write(self, *, docs: list[IndexDocument], remove_keys: list[int]) -> None:
        """Remove the rows under remove_keys, then store docs (each under its rank_key)."""
        self.write_rows(rows=[self.prepare(doc) for doc in docs], remove_keys=remove_keys)

    def prepare(self, doc: IndexDocument) -> tuple:
        """The values stored for doc, as a tuple of plain values starting with its rank_key.

        Pure computation, no database: a rebuild runs it in its worker processes.
        """
        raise NotImplementedError

    def write_rows(self, *, rows: list[tuple], remove_keys: list[int], fresh: bool = False):
        """Remove the rows under remove_keys, then store prepared rows.

        fresh: none of the rows is in the index (a rebuild from empty): no conflict checks.
        """
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def bulk_begin(self) -> None:
        """Before a rebuild from empty (e.g. drop secondary indexes)."""

    def bulk_end(self, *, cleared: bool = False) -> None:
        """After a rebuild (rebuild indexes, merge segments, refresh statistics).

        cleared: the rebuild started from empty (the index may be reorganised at will).
        """

    # -- reading ------------------------------------------------------------------------------

    def candidates(
        self, *, all_expr, head_expr, exclude, filters: Filters, cap: int, head_probe=None
    ):
        """Capped candidates from both lists.

        head_probe: the head query without its bigram alternatives; when it alone fills the
        cap, the costlier head_expr (phrases of title bigrams) is not run.
        """
        raise NotImplementedError

    def count(self, *, all_expr, filters: Filters, limit: int) -> int:
        """Matches over every field, counted up to limit (suggestions)."""
        raise NotImplementedError

    def similar_titles(self, *, grams: list[str], filters: Filters, limit: int) -> list[int]:
        """Rank keys of items whose titles share the most bigrams with grams."""
        raise NotImplementedError

    def has_meta(self, token: str) -> bool:
        """Whether any row carries this filter token (is a site's search worth scoping?)."""
        raise NotImplementedError

    def row_count(self) -> int:
        raise NotImplementedError

    def size_bytes(self) -> int | None:
        return None
