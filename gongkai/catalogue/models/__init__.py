from .items import Category, DisclosureItem, IndexNumberSequence, ItemAttachment
from .pages import ColumnPage

__all__ = ["Category", "ColumnPage", "DisclosureItem", "IndexNumberSequence", "ItemAttachment"]
