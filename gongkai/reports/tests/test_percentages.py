from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from gongkai.reports.percentages import fmt, share, shares


def test_it_computes_the_seed_shares_that_the_seed_got_wrong():
    assert share(12, 1328) == Decimal("0.9")
    assert share(248, 1328) == Decimal("18.7")
    assert fmt(share(12, 1328)) == "0.9%"


def test_it_makes_the_portal_shares_sum_to_100():
    parts = shares([28, 16, 248, 12, 1024])
    assert [str(p) for p in parts] == ["2.1", "1.2", "18.7", "0.9", "77.1"]
    assert sum(parts) == Decimal("100.0")


def test_it_reproduces_the_enterprise_site_shares():
    parts = shares([5079, 1481, 1227, 2444])
    assert [str(p) for p in parts] == ["49.6", "14.5", "12.0", "23.9"]


def test_it_gives_the_missing_tenth_to_the_largest_remainder():
    # Thirds: 33.3 + 33.3 + 33.3 = 99.9 when rounded one by one; the method adds 0.1 once.
    assert [str(p) for p in shares([1, 1, 1])] == ["33.4", "33.3", "33.3"]
    assert sum(shares([1, 1, 1])) == Decimal("100.0")


def test_it_returns_zeros_for_an_empty_whole():
    assert shares([0, 0]) == [Decimal("0.0"), Decimal("0.0")]
    assert share(0, 0) == Decimal("0.0")


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=12))
def test_it_always_sums_to_100_within_a_tenth_of_each_exact_share(counts):
    parts = shares(counts)
    total = sum(counts)
    if total == 0:
        assert all(p == 0 for p in parts)
        return
    assert sum(parts) == Decimal("100.0")
    for count, part in zip(counts, parts, strict=True):
        exact = Decimal(count * 100) / Decimal(total)
        assert abs(part - exact) < Decimal("0.1")
