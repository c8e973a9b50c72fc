"""Word lists (敏感词库) and allow-lists (放行短语) matched with Aho-Corasick, and the text file
format both are exchanged in."""

import re
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import ahocorasick
from django.utils.translation import gettext as _

# pyahocorasick looks a character up among a trie node's children one after another, in the
# order they were first added. A 10,000-word list gives the root a couple of thousand
# children, and a character that begins no word is compared with every one of them. Adding the
# most frequent characters of Chinese text first (as the first letter of a key that can never
# occur) puts them at the front, and makes the pass three to four times faster. Once a matcher
# has seen enough text it rebuilds itself once in the order of the characters it actually saw.
COMMON_CHARS = (
    "，。、\n “”：；（）《》 0123456789"
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下"
    "过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都"
    "两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重"
    "新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想"
    "已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知"
    "较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造"
    "百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白"
    "教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集"
    "温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿"
    "千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存"
    "候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该"
    "铁价严镇村街乡"
)
_NEVER = "\U0010ffff"  # a noncharacter: never part of a document's text
_LEARN_CHARS = 200_000
_SAMPLE_CHARS = 20_000


def _has_latin(words: Iterable[str]) -> bool:
    return any(ch.isascii() and ch.isalpha() for w in words for ch in w)


class _Automaton:
    """An Aho-Corasick automaton whose root children are added in a chosen order."""

    def __init__(self, values: dict[str, object], order: str):
        rank = {ch: i for i, ch in enumerate(order)}
        far = len(rank)
        automaton = ahocorasick.Automaton()
        seen = set()
        for ch in order:
            if ch not in seen:
                seen.add(ch)
                automaton.add_word(ch + _NEVER, None)
        # Words in rank order so that deeper nodes list frequent characters first too.
        for key in sorted(values, key=lambda w: [rank.get(c, far + ord(c)) for c in w]):
            automaton.add_word(key, (len(key), values[key]))
        automaton.make_automaton()
        self.automaton = automaton

    def iter(self, text: str):
        return self.automaton.iter(text)


class _Matcher:
    def __init__(self, values: dict[str, object], *, learn: bool = True):
        self._values = values
        self._casefold = _has_latin(values)
        self.max_len = max((len(k) for k in values), default=0)
        self._automaton = _Automaton(values, COMMON_CHARS)
        self._sample: Counter | None = Counter() if learn else None
        self._sampled = 0
        self._lock = threading.Lock()

    def __len__(self):
        return len(self._values)

    def _haystack(self, text: str) -> str:
        if not self._casefold:
            return text
        lowered = text.lower()
        # A few characters change length when lowered (İ); offsets must stay true.
        return lowered if len(lowered) == len(text) else text

    def _learn(self, text: str) -> None:
        sample = self._sample
        if sample is None:
            return
        piece = text[:_SAMPLE_CHARS]
        with self._lock:
            if self._sample is None:
                return
            sample.update(piece)
            self._sampled += len(piece)
            if self._sampled < _LEARN_CHARS:
                return
            self._sample = None
        order = "".join(ch for ch, _count in sample.most_common()) + COMMON_CHARS
        self._automaton = _Automaton(self._values, order)

    def matches(self, text: str) -> list[tuple[int, int, object]]:
        """(start, end, value) of every occurrence, overlapping ones included."""
        self._learn(text)
        found = []
        for end, payload in self._automaton.iter(self._haystack(text)):
            if payload is None:
                continue
            length, value = payload
            found.append((end + 1 - length, end + 1, value))
        return found


class WordMatcher(_Matcher):
    """Sensitive words with their categories."""

    def __init__(self, entries: Iterable[tuple[str, str]]):
        values: dict[str, object] = {}
        for word, category in entries:
            key = word.lower() if _has_latin([word]) else word
            values.setdefault(key, (word, category))
        super().__init__(values)

    def find(self, text: str) -> list[tuple[int, int, str, str]]:
        """Longest words, no word inside another one found at the same place."""
        found = sorted(self.matches(text), key=lambda m: (m[0], -m[1]))
        out = []
        covered_to = -1
        for start, end, (word, category) in found:
            if end <= covered_to:
                continue
            out.append((start, end, word, category))
            covered_to = max(covered_to, end)
        return out


class PhraseMatcher(_Matcher):
    """Allowed phrases: a finding lying wholly inside one of them is not reported."""

    def __init__(self, phrases: Iterable[str]):
        # Only short windows are searched, so there is nothing to learn the order from.
        values = {(p.lower() if _has_latin([p]) else p): p for p in phrases if p}
        super().__init__(values, learn=False)

    def covers(self, text: str, start: int, end: int) -> bool:
        lo = max(0, end - self.max_len)
        window = text[lo : start + self.max_len]
        for s, e, _phrase in self.matches(window):
            if lo + s <= start and lo + e >= end:
                return True
        return False


@dataclass(frozen=True)
class Ruleset:
    """What a scan looks for beyond the built-in detectors: an organisation's words and the
    phrases its reviewers have allowed."""

    words: WordMatcher | None = None
    allowed: PhraseMatcher | None = None
    label: str = ""


# ---------------------------------------------------------------------------------------------
# The word list file: UTF-8 text, one word a line, optionally a tab and a category; # comments.
# ---------------------------------------------------------------------------------------------

MIN_WORD_LEN = 2
MAX_WORD_LEN = 100
MAX_CATEGORY_LEN = 40
_TRAILING_COMMENT = re.compile(r"\s+#.*$")


@dataclass
class ParsedWordList:
    entries: list[tuple[str, str]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def decode_word_list(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(
            _(
                "词库文件不是 UTF-8 编码（第 %(pos)s 个字节出错）。请在记事本中“另存为 UTF-8”后重试。"
            )
            % {"pos": exc.start + 1}
        ) from None


def parse_word_list(text: str | bytes) -> ParsedWordList:
    if isinstance(text, bytes):
        text = decode_word_list(text)
    text = text.removeprefix("\ufeff")
    parsed = ParsedWordList()
    seen: set[str] = set()
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        line = _TRAILING_COMMENT.sub("", line)
        word, _sep, category = line.partition("\t")
        word = word.strip()
        category = category.strip()
        if len(word) < MIN_WORD_LEN:
            parsed.errors.append((lineno, _("“%(word)s”太短：词语至少两个字。") % {"word": word}))
            continue
        if len(word) > MAX_WORD_LEN:
            parsed.errors.append(
                (lineno, _("词语超过 %(max)s 个字，已跳过。") % {"max": MAX_WORD_LEN})
            )
            continue
        if len(category) > MAX_CATEGORY_LEN:
            category = category[:MAX_CATEGORY_LEN]
        key = word.lower()
        if key in seen:
            continue
        seen.add(key)
        parsed.entries.append((word, category))
    return parsed


def format_word_list(entries: Iterable[tuple[str, str]], header: Iterable[str] = ()) -> str:
    lines = [f"# {h}" for h in header]
    lines += [f"{word}\t{category}" if category else word for word, category in entries]
    return "\n".join(lines) + "\n"
