"""《寮步报》《香市经济》: a sent delivery puts the item on the paper's list of cleared items (待刊);
an issue is composed from cleared items (services.issue_compose) and printed from here."""

from .. import Sent
from .docx import issue_docx
from .pdf import issue_pdf

__all__ = ["issue_docx", "issue_pdf", "send"]


def send(delivery) -> Sent:
    return Sent()
