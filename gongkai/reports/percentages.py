"""Shares to one decimal, computed from counts.

The seed printed 12 of 1,328 as 2% (it is 0.9%) and 248 of 1,328 as 18% (18.7%). Shares of a
whole are rounded with the largest-remainder (Hamilton) method so that they add up to exactly
100.0; a share on its own is rounded half up. All arithmetic is on integers: no float ever
decides a tenth.
"""

from decimal import Decimal


def share(part: int, whole: int) -> Decimal:
    """One share, in percent, one decimal, rounded half up: share(12, 1328) == Decimal("0.9")."""
    if whole <= 0:
        return Decimal("0.0")
    tenths, remainder = divmod(part * 1000, whole)
    if remainder * 2 >= whole:
        tenths += 1
    return Decimal(tenths).scaleb(-1)


def shares(counts: list[int]) -> list[Decimal]:
    """Shares of a whole that sum to 100.0 (largest remainder, in tenths of a percent).

    Each count gets the floor of its exact share; the tenths still missing go to the counts
    with the largest remainders (ties: the larger count, then the earlier one).
    """
    whole = sum(counts)
    if whole <= 0:
        return [Decimal("0.0") for _ in counts]
    floors = []
    remainders = []
    for index, count in enumerate(counts):
        tenths, remainder = divmod(count * 1000, whole)
        floors.append(tenths)
        remainders.append((remainder, count, -index))
    missing = 1000 - sum(floors)
    order = sorted(range(len(counts)), key=lambda i: remainders[i], reverse=True)
    for i in order[:missing]:
        floors[i] += 1
    return [Decimal(t).scaleb(-1) for t in floors]


def fmt(value: Decimal) -> str:
    """'0.9%'."""
    return f"{value:.1f}%"
