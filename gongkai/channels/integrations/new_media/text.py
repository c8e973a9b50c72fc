"""Fitting an item's text to a platform's length limit.

Characters are counted one by one (a Chinese character, a letter and a URL character each count
as one). Weibo counts a link as a fixed-length short link, so this errs on the safe side.
"""

ELLIPSIS = "…"


def _cut(text: str, room: int) -> str:
    if room <= 0:
        return ""
    if len(text) <= room:
        return text
    if room == 1:
        return ELLIPSIS
    return text[: room - 1].rstrip() + ELLIPSIS


def fit_text(*, title: str, summary: str, url: str, limit: int, link_label: str) -> str:
    """【title】summary link_label url, shortened to at most `limit` characters.

    The summary gives way first, then the title; the link is kept whole whenever it fits,
    because the post's point is to send readers to the full text.
    """
    title = " ".join(title.split())
    summary = " ".join(summary.split())
    tail = f" {link_label}{url}" if url else ""
    if len(tail) > limit:
        tail = ""
    head = f"【{title}】"
    if len(head) + len(tail) > limit:
        room = limit - len(tail) - 2
        head = f"【{_cut(title, room)}】" if room > 0 else _cut(title, limit - len(tail))
        return (head + tail)[:limit]
    body = _cut(summary, limit - len(head) - len(tail))
    return head + body + tail
