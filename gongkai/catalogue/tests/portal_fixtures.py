"""Fixtures for the public portal's tests: the two demo sites and published items.

Building the sites makes some thirty Wagtail pages (about two seconds), so it is done once per
test module inside a transaction that is rolled back at the module's end, as Django's
`setUpTestData` does; each test runs in a savepoint inside it. Items are made through the
services (item_create) and published through the review workflow, the only way there is.
"""

import io
from datetime import date

import pytest
from django.core.cache import cache as django_cache
from django.db import transaction

from gongkai.catalogue.cache import LOCAL_PAGES
from gongkai.catalogue.demo import load_demo
from gongkai.catalogue.models import Category, DisclosureItem
from gongkai.catalogue.services import item_create
from gongkai.orgs.creditcode import make_credit_code
from gongkai.orgs.models import Organisation
from gongkai.orgs.services import organisation_create
from gongkai.review.testing import publish_through_review


@pytest.fixture(autouse=True)
def clear_portal_cache():
    # The cache lives in this process's memory: one test's pages must never serve another's.
    django_cache.clear()
    LOCAL_PAGES.clear()
    yield
    django_cache.clear()
    LOCAL_PAGES.clear()


def build_portal() -> dict:
    town = organisation_create(
        name="寮步镇人民政府",
        code="liaobu",
        kind=Organisation.Kind.GOVERNMENT,
        credit_code=make_credit_code("11441900007330001"),
    )
    office = organisation_create(
        name="寮步镇党政人大办",
        code="liaobu-dzrdb",
        kind=Organisation.Kind.OFFICE,
        parent=town,
        credit_code=make_credit_code("11441900007330002"),
    )
    village = organisation_create(
        name="寮步镇横坑村",
        code="liaobu-hengkeng",
        kind=Organisation.Kind.VILLAGE,
        parent=town,
        credit_code=make_credit_code("54441900007330003"),
    )
    data = load_demo(
        orgs={o.code: o for o in (town, office, village)}, users={}, stdout=io.StringIO()
    )
    data["orgs"] = {"town": town, "office": office, "village": village}
    return data


@pytest.fixture(scope="module")
def portal(django_db_setup, django_db_blocker):
    """Both demo sites (寮步镇人民政府网 on 127.0.0.1, 寮步企业服务网 on localhost)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        data = build_portal()
    yield data
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def info_category(code="yewu") -> Category:
    return Category.objects.get(scheme=Category.Scheme.INFO, code=code)


def publish_item(organisation, columns, **fields) -> DisclosureItem:
    fields.setdefault("title", "寮步镇关于开展安全生产大检查的通知")
    fields.setdefault("created_date", fields.get("published_date") or date(2026, 3, 2))
    fields.setdefault("category", info_category())
    item = item_create(organisation=organisation, columns=columns, **fields)
    # The only way to the public: confidentiality review and approval (gongkai.review).
    return publish_through_review(item)


GOV = {"HTTP_HOST": "127.0.0.1"}
ENTERPRISE = {"HTTP_HOST": "localhost"}
