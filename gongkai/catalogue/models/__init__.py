from .items import Category, DisclosureItem, IndexNumberSequence, ItemAttachment, ItemStatus
from .pages import (
    CataloguePage,
    ColumnPage,
    DisclosureSectionPage,
    GuidePage,
    SiteHomePage,
    StatutoryBasis,
    StatutoryContentPage,
)

__all__ = [
    "CataloguePage",
    "Category",
    "ColumnPage",
    "DisclosureItem",
    "DisclosureSectionPage",
    "GuidePage",
    "IndexNumberSequence",
    "ItemAttachment",
    "ItemStatus",
    "SiteHomePage",
    "StatutoryBasis",
    "StatutoryContentPage",
]

# Connect the portal's receivers (publication date, cache invalidation) once the models exist.
from .. import signals as _signals  # noqa: E402, F401
