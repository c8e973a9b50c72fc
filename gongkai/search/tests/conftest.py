"""Published items for the search tests, created and published the way editors do it."""

from datetime import date

import pytest

from gongkai.catalogue.models import Category
from gongkai.catalogue.services import item_create
from gongkai.orgs.creditcode import make_credit_code
from gongkai.orgs.models import Organisation
from gongkai.orgs.services import organisation_create


@pytest.fixture
def category(db):
    return Category.objects.get(scheme="info", name="其他")


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what would run after the commit (the index follows commits, as in production)."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


def publish_now(item):
    """Publish the item's newest revision the only way there is: through the review workflow
    (gongkai.review's test helper runs its real steps); plain Wagtail publishing before that
    app existed."""
    try:
        from gongkai.review.testing import publish_through_review
    except ImportError:
        item.latest_revision.publish()
        return item
    return publish_through_review(item)


@pytest.fixture
def go_live(commit):
    def run(item):
        with commit():
            publish_now(item)
        item.refresh_from_db()
        return item

    return run


@pytest.fixture
def publish(town, category, commit):
    def make(
        title, *, body="", summary="", published=date(2024, 5, 6), organisation=None, **fields
    ):
        columns = fields.pop("columns", ())
        fields.setdefault("category", category)
        with commit():
            item = item_create(
                organisation=organisation or town,
                title=title,
                summary=summary,
                body=body,
                created_date=published,
                published_date=published,
                columns=columns,
                **fields,
            )
            publish_now(item)
        item.refresh_from_db()
        return item

    return make


@pytest.fixture
def make_attachment():
    """An attachment made the way the catalogue stores uploads (size, type, SHA-256)."""
    from django.core.files.base import ContentFile

    from gongkai.catalogue.models import ItemAttachment

    def make(name: str, data: bytes, title: str = ""):
        attachment = ItemAttachment(title=title or name)
        upload = ContentFile(data, name=name)
        try:
            from gongkai.catalogue.services import attachment_prepare

            return attachment_prepare(attachment=attachment, upload=upload)
        except ImportError:
            import hashlib

            attachment.sha256 = hashlib.sha256(data).hexdigest()
            attachment.size = len(data)
            attachment.file.save(name, upload, save=False)
            return attachment

    return make


@pytest.fixture
def search():
    """search_items with the result as a list of item ids (the common assertion)."""
    from gongkai.search.selectors import search_items

    def run(query="", **filters):
        return [hit.item.pk for hit in search_items(query=query, filters=filters).hits]

    return run


@pytest.fixture
def village(town):
    """A village under the town: organisation filters include sub-organisations."""
    return organisation_create(
        name="寮步镇横坑村",
        code="liaobu-hengkeng",
        kind=Organisation.Kind.VILLAGE,
        parent=town,
        credit_code=make_credit_code("11441900007330002"),
    )


@pytest.fixture
def other_town(db):
    return organisation_create(
        name="大朗镇人民政府",
        code="dalang",
        kind=Organisation.Kind.GOVERNMENT,
        credit_code=make_credit_code("11441900007330003"),
    )


@pytest.fixture(autouse=True)
def fresh_pg_statistics():
    """The PostgreSQL backend keeps the index table's statistics for a few minutes in each
    process; every test's table is its own."""
    from gongkai.search.backends import postgres

    postgres._table_stats.clear()
    postgres._element_stats.clear()
    postgres._tier_cache.clear()
