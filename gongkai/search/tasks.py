"""Background work for the index (Django's Tasks API; tests run it at once).

Tasks take ids and go through services, so running one twice does the work once.
"""

from django_tasks import task

from . import services


@task()
def search_extract_attachments(*, item_id: int) -> dict:
    """Read the attachments of a just-published item and index their text."""
    result = services.search_sync_items(item_ids=[item_id], extract_missing=True)
    result.pop("pending", None)
    return result


@task()
def search_sync_column_items(*, page_path: str) -> int:
    """A page was moved: its columns may now belong to another site; re-index their items."""
    return services.search_sync_pages(page_path=page_path)
