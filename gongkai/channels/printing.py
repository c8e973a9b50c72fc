"""Print output shared by the newspaper, magazine and notice-board integrations.

WeasyPrint turns our HTML into PDF with Debian's Noto CJK fonts; python-docx writes the Word
file the printers and offices exchange. Rendering never reaches the network: an item's body
may hold any link, and a PDF build must not fetch it (no SSRF, no hanging on a dead host).
"""

import html
import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import strip_tags

FONT_STACK = '"Noto Serif CJK SC", "Noto Sans CJK SC", "Source Han Serif SC", serif'
SANS_STACK = '"Noto Sans CJK SC", "Source Han Sans SC", sans-serif'
# A made-up origin the HTML is rendered against, so that "/media/…" resolves to something we
# can recognise and read from MEDIA_ROOT without any request leaving the machine.
RENDER_BASE = "http://gongkai.print.invalid/"

_BLOCK_END = re.compile(r"</(p|div|h[1-6]|li|tr|blockquote)\s*>|<br\s*/?>", re.IGNORECASE)


def _local_fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            parts = urlsplit(url)
            media_url = settings.MEDIA_URL
            if parts.netloc == urlsplit(RENDER_BASE).netloc and parts.path.startswith(media_url):
                root = Path(settings.MEDIA_ROOT).resolve()
                path = (root / unquote(parts.path[len(media_url) :])).resolve()
                if root in path.parents and path.is_file():
                    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(
                        url, path.read_bytes(), headers={"Content-Type": content_type}
                    )
            raise ValueError(f"not loaded when printing: {url}")

    return LocalOnlyFetcher()


def pdf_from_template(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    document = render_to_string(
        template, {**context, "font_stack": FONT_STACK, "sans_stack": SANS_STACK}
    )
    return HTML(string=document, base_url=RENDER_BASE, url_fetcher=_local_fetcher()).write_pdf()


def item_body_html(item) -> str:
    """The item's body as HTML for print: Wagtail's stored form expanded, already sanitised
    by the catalogue when it was saved."""
    from wagtail.rich_text import expand_db_html

    return expand_db_html(item.body or "")


def item_body_paragraphs(item) -> list[str]:
    """The body as plain paragraphs, for Word and for the screen and kiosk."""
    text = _BLOCK_END.sub("\n", item.body or "")
    text = html.unescape(strip_tags(text))
    return [line.strip() for line in text.splitlines() if line.strip()]
