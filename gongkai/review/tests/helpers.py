"""Numbers that pass (or deliberately fail) their check digits, for the tests."""

from gongkai.orgs.creditcode import id_number_check_char


def make_id(first17: str) -> str:
    return first17 + id_number_check_char(first17)


def bad_id(first17: str) -> str:
    good = id_number_check_char(first17)
    wrong = "0" if good != "0" else "1"
    return first17 + wrong


def luhn_complete(body: str) -> str:
    """Append the Luhn check digit."""
    for check in "0123456789":
        candidate = body + check
        total = 0
        for i, ch in enumerate(reversed(candidate)):
            n = int(ch)
            if i % 2:
                n *= 2
                if n > 9:
                    n -= 9
            total += n
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable")


def luhn_broken(body: str) -> str:
    good = luhn_complete(body)
    last = str((int(good[-1]) + 1) % 10)
    return good[:-1] + last


# Born 1985-06-15 in Dongguan (4419); serial 123.
ID_A = make_id("44190019850615123")
# Born 1949-12-31 in Beijing Chaoyang; check character X.
ID_X = make_id("11010519491231002")
ID_BAD = bad_id("44190019850615123")
CARD_16 = luhn_complete("622202123456789")
CARD_19 = luhn_complete("623456789012345678")
CARD_BAD = luhn_broken("622202123456789")
