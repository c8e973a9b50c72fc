"""The report as HTML: the body shared by the admin preview, the PDF and the published item."""

from django.template.loader import render_to_string

from .tables import tables_for


def body_context(data: dict, *, charts: dict[str, str] | None = None) -> dict:
    """Sections in order, each with its tables; charts are data: URIs keyed by kind."""
    tables = tables_for(data)
    sections = [
        {**section, "tables": tables.get(section["key"], [])} for section in data["sections"]
    ]
    return {"data": data, "sections": sections, "charts": charts or {}}


def render_report_body(data: dict, *, charts: dict[str, str] | None = None) -> str:
    return render_to_string("reports/report_body.html", body_context(data, charts=charts))
