"""Document numbers (文号) as one canonical token, however the brackets are typed.

东府办函〔2012〕53号 is typed as 东府办函[2012]53号, 东府办函【2012】第53号, 东府办函（2012）53号,
东府办函(2012)53号 and 东府办函［2012］53号; all become the token 东府办函2012h53. Numbers without
a year (粤府令第262号) become 粤府令h262. The token is alphanumeric, so both FTS5's tokenizer
and our tsvector literals keep it whole.

The agency part of a query cannot be told from the words before it (关于东府办函〔2012〕53号),
so the index holds the token for every ending of the agency (东府办函…, 府办函…, 办函…, 函…)
and the year-and-serial alone (2012h53); a query asks for any ending of two characters or more
of what was typed, and the item whose whole agency matches ranks first.
"""

import re
from dataclasses import dataclass

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# After folding (text.fold): （）［］ are () []; 〔〕【】〖〗 stay as they are; ﹝﹞ become 〔〕.
OPEN = "〔【〖\\[(<《"
CLOSE = "〕】〗\\])>》"
MAX_AGENCY = 12

DOCNO_RE = re.compile(
    rf"(?P<agency>[{CJK}A-Za-z]{{0,{MAX_AGENCY}}})\s*"
    rf"(?:[{OPEN}]\s*(?P<year>(?:19|20)\d{{2}})\s*[{CLOSE}]\s*(?:第\s*)?(?P<num>\d{{1,6}})\s*号?"
    rf"|(?P<year2>(?:19|20)\d{{2}})\s*年?\s*(?:第\s*)?(?P<num2>\d{{1,6}})\s*号"
    rf"|(?<=[{CJK}])第\s*(?P<num3>\d{{1,6}})\s*号)"
)


@dataclass(frozen=True)
class DocNumber:
    agency: str
    year: str
    number: str

    @property
    def serial(self) -> str:
        return f"{self.year}h{self.number}" if self.year else f"h{self.number}"

    @property
    def token(self) -> str:
        return f"{self.agency}{self.serial}"

    @property
    def display(self) -> str:
        if self.year:
            return f"{self.agency}〔{self.year}〕{self.number}号"
        return f"{self.agency}第{self.number}号"

    def index_tokens(self) -> list[str]:
        """Every ending of the agency with the serial, and the serial alone."""
        tokens = [f"{self.agency[i:]}{self.serial}" for i in range(len(self.agency))]
        if self.year:
            tokens.append(self.serial)
        return tokens

    def query_tokens(self) -> list[str]:
        """Endings of two characters or more of the agency as typed (any one must match)."""
        if not self.agency:
            return [self.serial]
        if len(self.agency) == 1:
            return [self.token]
        return [f"{self.agency[i:]}{self.serial}" for i in range(len(self.agency) - 1)]


def normalise(text: str) -> str:
    from .text import fold

    return fold(text).lower()


def _from_match(match: re.Match) -> DocNumber | None:
    agency, year, num, year2, num2, num3 = match.group(
        "agency", "year", "num", "year2", "num2", "num3"
    )
    agency = agency or ""
    year = year or year2 or ""
    number = num or num2 or num3
    if number is None:
        return None
    if num3 is not None and not agency:
        return None
    if not agency and not year:
        return None
    return DocNumber(agency=agency, year=year, number=str(int(number)))


# Where a document number can end: cheap to find, so the full pattern (whose optional agency
# would otherwise be tried at every character of a long body) runs only near these. Every
# branch starts with one literal character (each opening bracket, 19 and 20 of a year, 第)
# so that the regex engine skips, in C, every position that cannot start one: the same
# matches as [〔【…]…|(?:19|20)…|第… at 40% of the cost over a body.
_YEAR = r"\d{2}\s*年?\s*(?:第\s*)?\d{1,6}\s*号"
ANCHOR_RE = re.compile(
    "|".join(
        [rf"{re.escape(o)}\s*(?:19|20)\d{{2}}\s*[{CLOSE}]" for o in "〔【〖[(<《"]
        + [rf"{century}{_YEAR}" for century in ("19", "20")]
        + [r"第\s*\d{1,6}\s*号"]
    )
)


def find(text: str) -> list[tuple[DocNumber, int, int]]:
    """Document numbers in text, with their span in the normalised (folded, lower) text."""
    norm = normalise(text)
    found = []
    done = 0
    for anchor in ANCHOR_RE.finditer(norm):
        if anchor.start() < done:
            continue
        start = max(done, anchor.start() - MAX_AGENCY - 2)
        for match in DOCNO_RE.finditer(norm, start, min(len(norm), anchor.end() + 12)):
            if match.end() <= anchor.start() or match.start() >= anchor.end():
                continue
            docno = _from_match(match)
            if docno is not None:
                found.append((docno, match.start(), match.end()))
                done = match.end()
                break
    return found


def parse(text: str) -> list[DocNumber]:
    return [docno for docno, _start, _end in find(text)]


def canonical(text: str) -> str:
    """The canonical token of the first document number in text, or ""."""
    numbers = parse(text)
    return numbers[0].token if numbers else ""
