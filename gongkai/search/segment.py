"""Chinese word segmentation with rjieba, and the dictionary the index is built with.

jieba's stock dictionary does not know local place names: 寮步镇 comes out as 寮 / 步镇, so a
citizen typing 寮步 would find nothing in the bodies. We therefore add, once per process,
a small dictionary of disclosure terms (data/gongkai_dict.txt), the names of our
organisations and the place names inside them (寮步镇 → 寮步镇, 寮步), and an operator's word
list (GONGKAI_SEARCH_USER_DICT). Index and queries must be segmented with the same dictionary,
so a rebuild is advised after the dictionary grows (docs/search.md).

We use our own `rjieba.Jieba` instance, so other apps' use of the module-level dictionary
neither changes nor is changed by ours.
"""

import logging
import re
import threading
from pathlib import Path

import rjieba
from django.conf import settings

logger = logging.getLogger(__name__)

DICT_FILE = Path(__file__).resolve().parent / "data" / "gongkai_dict.txt"
# Frequency given to added words: high enough that jieba prefers them to its own splits.
ADDED_WORD_FREQ = 50_000

# 寮步镇人民政府 → 寮步镇; 东莞市寮步镇横坑村 → 东莞市, 寮步镇, 横坑村.
PLACE_RE = re.compile(r"[\u4e00-\u9fff]{2,6}?(?:省|市|区|县|镇|乡|街道|社区|村|居委会)")
PLACE_SUFFIXES = ("居委会", "街道", "社区", "省", "市", "区", "县", "镇", "乡", "村")

_lock = threading.Lock()
_jieba: rjieba.Jieba | None = None


def place_words(name: str) -> set[str]:
    """The name, the places it contains and their stems (寮步镇 → 寮步)."""
    words = set()
    name = (name or "").strip()
    if 2 <= len(name) <= 30:
        words.add(name)
    for match in PLACE_RE.finditer(name):
        place = match.group(0)
        words.add(place)
        for suffix in PLACE_SUFFIXES:
            if place.endswith(suffix) and len(place) - len(suffix) >= 2:
                words.add(place[: -len(suffix)])
                break
    return words


def _dictionary_words() -> set[str]:
    words: set[str] = set()
    for path in (DICT_FILE, getattr(settings, "GONGKAI_SEARCH_USER_DICT", None)):
        if not path:
            continue
        try:
            for line in Path(path).read_text(encoding="utf-8").splitlines():
                word = line.split("#", 1)[0].strip().split(" ")[0]
                if word:
                    words.add(word)
        except OSError:
            logger.warning("search: cannot read dictionary %s", path)
    try:
        from gongkai.orgs.models import Organisation

        for name, short in Organisation.objects.values_list("name", "short_name"):
            words |= place_words(name)
            words |= place_words(short)
    except Exception:  # the table may not exist yet (migrate, a fresh checkout)
        logger.info("search: organisation names not added to the dictionary", exc_info=True)
    return words


def jieba() -> rjieba.Jieba:
    global _jieba
    if _jieba is None:
        with _lock:
            if _jieba is None:
                instance = rjieba.Jieba()
                for word in sorted(_dictionary_words()):
                    instance.add_word(word, ADDED_WORD_FREQ, None)
                _jieba = instance
    return _jieba


def add_words(words) -> None:
    """Add words to this process's dictionary (an organisation was created or renamed)."""
    instance = jieba()
    with _lock:
        for word in words:
            if word and not instance.has_word(word):
                instance.add_word(word, ADDED_WORD_FREQ, None)


def reset() -> None:
    """Forget the dictionary; the next call reloads it (tests, after organisations change)."""
    global _jieba
    with _lock:
        _jieba = None


def cut(text: str) -> list[str]:
    """Precise mode: each character belongs to exactly one word."""
    return jieba().cut(text)


def cut_for_search(text: str) -> list[str]:
    """Search mode: words plus the dictionary words inside long words (中华人民共和国 → 中华, 人民…)."""
    return jieba().cut_for_search(text)
