"""信息处理费: the arithmetic of 《政府信息公开信息处理费管理办法》 (国办函〔2020〕109号, RULES.md §3).

Pure functions on whole yuan. The platform computes a fee from its records (how many requests
the applicant made this month, how many pages are given); nobody types an amount.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FeeBasis(models.TextChoices):
    # 第三条: 按件 or 按量, both progressive (超额累进); one basis per request, never both.
    PIECE = "piece", _("按件计收")
    PAGE = "page", _("按量计收")


# 第四条 按件: per applicant, per calendar month, cumulative.
PIECE_FREE = 10  # 1–10 free
PIECE_FIRST_BAND_END = 30  # 11–30: 100 元/件
PIECE_FIRST_RATE = 100
PIECE_BAND = 10  # from 31, each further band of 10 adds 100 元/件
PIECE_STEP = 100

# 第五条 按量: (last page of the band, 元 per page); ≥201 pages at 40 元.
PAGE_BANDS = ((30, 0), (100, 10), (200, 20), (None, 40))


def piece_rate(n: int) -> int:
    """The fee for the n-th request of the month (n counts from 1)."""
    if n < 1:
        raise ValueError("n counts from 1")
    if n <= PIECE_FREE:
        return 0
    if n <= PIECE_FIRST_BAND_END:
        return PIECE_FIRST_RATE
    return PIECE_FIRST_RATE + PIECE_STEP * (1 + (n - PIECE_FIRST_BAND_END - 1) // PIECE_BAND)


def piece_fee_total(count: int) -> int:
    """What `count` requests in one calendar month cost together: 35 → 3,000 元."""
    return sum(piece_rate(n) for n in range(1, count + 1))


def piece_fee(*, earlier_in_month: int, pieces: int = 1) -> int:
    """The fee for a request of `pieces` units after `earlier_in_month` earlier ones."""
    if earlier_in_month < 0 or pieces < 1:
        raise ValueError("earlier_in_month ≥ 0 and pieces ≥ 1")
    return piece_fee_total(earlier_in_month + pieces) - piece_fee_total(earlier_in_month)


def page_fee(pages: int) -> int:
    """250 pages → 70×10 + 100×20 + 50×40 = 4,700 元."""
    if pages < 0:
        raise ValueError("pages ≥ 0")
    total, start = 0, 0
    for end, rate in PAGE_BANDS:
        top = pages if end is None else min(pages, end)
        if top > start:
            total += (top - start) * rate
        if end is None or pages <= end:
            break
        start = end
    return total


def fee_for(*, basis: str, earlier_in_month: int = 0, pieces: int = 1, pages: int = 0) -> int:
    if basis == FeeBasis.PIECE:
        return piece_fee(earlier_in_month=earlier_in_month, pieces=pieces)
    if basis == FeeBasis.PAGE:
        return page_fee(pages)
    raise ValueError(f"unknown fee basis {basis!r}")
