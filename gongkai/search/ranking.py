"""Relevance with a recency boost, over the capped candidates of one query.

Relevance mixes the score over every field (BM25 on SQLite, ts_rank_cd on PostgreSQL) with the
score over title, document number and summary; each is divided by its best value among the
candidates, so the two backends' different scales mean the same thing here. The recency weight
halves towards a floor every RECENCY_HALF_LIFE days: newer notices rank first among equals, but
an old document whose title is what was asked for still beats a new one that merely mentions it.
"""

from datetime import date

from django.conf import settings

from .backends.base import EPOCH, KEY_SHIFT

RECENCY_HALF_LIFE = 730  # days
RECENCY_FLOOR = 0.4
ALL_SHARE = 0.6  # the rest is the title/document number/summary score


def recency(day: date, today: date) -> float:
    half_life = getattr(settings, "GONGKAI_SEARCH_RECENCY_HALF_LIFE", RECENCY_HALF_LIFE)
    age = max(0, (today - day).days)
    return RECENCY_FLOOR + (1 - RECENCY_FLOOR) * 0.5 ** (age / half_life)


def rank(candidates, *, today: date, browse: bool = False) -> list[tuple[float, object]]:
    """(score, candidate), best first; ties go to the newer item. browse: newest first."""
    if browse:
        return [(0.0, c) for c in sorted(candidates, key=lambda c: c.rank_key, reverse=True)]
    best_all = max((c.all_score for c in candidates if c.in_all), default=0.0) or 1.0
    best_head = max((c.head_score for c in candidates if c.in_head), default=0.0) or 1.0
    half_life = getattr(settings, "GONGKAI_SEARCH_RECENCY_HALF_LIFE", RECENCY_HALF_LIFE)
    today_days = (today - EPOCH).days
    scored = []
    for cand in candidates:
        head = cand.head_score / best_head if cand.in_head else 0.0
        # A title match older than every capped all-fields candidate was not scored over all
        # fields; its title score stands in for it.
        whole = cand.all_score / best_all if cand.in_all else head
        relevance = ALL_SHARE * whole + (1 - ALL_SHARE) * head
        age = max(0, today_days - (cand.rank_key >> KEY_SHIFT))
        boost = RECENCY_FLOOR + (1 - RECENCY_FLOOR) * 0.5 ** (age / half_life)
        scored.append((relevance * boost, cand))
    scored.sort(key=lambda pair: (pair[0], pair[1].rank_key), reverse=True)
    return scored
