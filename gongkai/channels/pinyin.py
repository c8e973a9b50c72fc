"""Pinyin initials for the kiosk's letter index (拼音首字母检索).

pypinyin does the character → pinyin work (with its phrase dictionary for heteronyms such as
长/行/重); we keep only what a finger can press: the initial of each Chinese character and each
Latin letter, upper-case. Digits and punctuation are skipped, so 《寮步报》 files under L and
"2012年寮步镇…" under N.
"""

from pypinyin import Style, lazy_pinyin


def title_initials(title: str) -> str:
    # A run of non-Chinese text comes back whole; a Latin word counts by its first letter.
    tokens = lazy_pinyin(title, style=Style.FIRST_LETTER, errors=lambda chunk: chunk.split())
    letters = []
    for token in tokens:
        if not token:
            continue
        first = token[0]
        if first.isascii() and first.isalpha():
            letters.append(first.upper())
    return "".join(letters)


def initials_match(initials: str, letters: str) -> bool:
    """Pressing L then B finds titles whose initials begin with LB."""
    return initials.startswith(letters.upper())
