"""The print-ready PDF of an issue: masthead across the page, items in two or three columns."""

from ...printing import item_body_html, pdf_from_template
from .layout import masthead


def issue_pdf(issue) -> bytes:
    appearances = list(
        issue.appearances.select_related("item", "item__organisation", "item__category").order_by(
            "position", "id"
        )
    )
    articles = [
        {"item": a.item, "body": item_body_html(a.item), "position": a.position}
        for a in appearances
    ]
    return pdf_from_template(
        "channels/print/issue.html",
        {
            "issue": issue,
            "channel": issue.channel,
            "masthead": masthead(issue.channel),
            "articles": articles,
        },
    )
