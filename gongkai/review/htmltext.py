"""HTML to plain text for scanning: block elements become line breaks, table cells tabs.

Comments and the alt/title attributes are kept: they are published with the page even if a
browser does not show them.
"""

import re
from html.parser import HTMLParser

_BLOCK = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer form h1 h2 h3 "
    "h4 h5 h6 header hr li main nav ol p pre section table tbody thead tfoot tr ul".split()
)
_CELL = frozenset({"td", "th"})
_SKIP = frozenset({"script", "style", "template"})
_ATTRS = ("alt", "title")


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self._skip += 1
        elif tag in _BLOCK:
            self.parts.append("\n")
        elif tag in _CELL:
            self.parts.append("\t")
        for name, value in attrs:
            if name in _ATTRS and value:
                self.parts.append(f" {value} ")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)

    def handle_comment(self, data):
        self.parts.append(f"\n{data}\n")


def html_to_text(html: str) -> str:
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    # One line per block, no empty lines: line N of the text is the Nth paragraph.
    lines = (line.rstrip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line.strip())


_HTML_TAG = re.compile(
    r"<(?:!doctype\s+html|html|head|body|p|div|br|span|table|tr|td|h[1-6]|ul|ol|li|strong|em|b|a)"
    r"\b[^>]*>",
    re.IGNORECASE,
)


def looks_like_html(text: str) -> bool:
    return bool(_HTML_TAG.search(text[:8192]))
