"""The report as PDF (WeasyPrint): A4, CJK fonts from fonts-noto-cjk, bordered tables, page numbers."""

import base64

from django.template.loader import render_to_string

from .charts import render_all
from .html import body_context


def chart_uris(data: dict) -> dict[str, str]:
    return {
        kind: "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        for kind, png in render_all(data).items()
    }


def render_pdf(data: dict, *, charts: bool = True) -> bytes:
    from weasyprint import HTML

    context = body_context(data, charts=chart_uris(data) if charts else None)
    html = render_to_string("reports/report_pdf.html", context)
    return HTML(string=html).write_pdf()
