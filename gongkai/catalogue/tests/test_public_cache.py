"""The page cache: hits need no database; publish, change, unpublish and withdrawal show at once."""

from datetime import date
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from gongkai.catalogue import cache
from gongkai.catalogue.models import ColumnPage, DisclosureItem
from gongkai.catalogue.services import item_create, item_withdraw
from gongkai.review.testing import publish_through_review

from . import portal_fixtures
from .portal_fixtures import ENTERPRISE, GOV, info_category, publish_item

# Fixtures shared by the portal's test modules (see portal_fixtures).
portal = portal_fixtures.portal
clear_portal_cache = portal_fixtures.clear_portal_cache

pytestmark = pytest.mark.django_db

# Every public place an item appears in (relative to the government site).
PLACES = [
    "/",
    "/tzgg/",
    "/xxgk/mulu/",
    "/tzgg/feed/rss/",
    "/tzgg/feed/atom/",
    "/feed/rss/",
    "/feed/atom/",
    "/sitemap-items.xml",
    "/api/v1/items/",
    "/api/v1/items.csv",
]


def get(client, path, **extra):
    return client.get(path, **(extra or GOV))


def test_it_serves_a_second_request_from_the_cache_without_the_database(
    client, portal, django_assert_num_queries
):
    item = publish_item(portal["orgs"]["town"], [portal["columns"]["gov"]["通知公告"]])
    first = get(client, f"/xxgk/items/{item.pk}/")
    assert first["X-Gongkai-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = get(client, f"/xxgk/items/{item.pk}/")
    assert second["X-Gongkai-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_it_keeps_hosts_modes_and_languages_apart(client, portal):
    get(client, "/")
    assert get(client, "/", **ENTERPRISE)["X-Gongkai-Cache"] == "miss"
    client.cookies[cache.ELDER_COOKIE] = "1"
    elder = get(client, "/")
    assert elder["X-Gongkai-Cache"] == "miss" and 'class="elder"' in elder.content.decode()
    del client.cookies[cache.ELDER_COOKIE]
    assert get(client, "/", HTTP_ACCEPT_LANGUAGE="en")["X-Gongkai-Cache"] == "miss"
    assert get(client, "/")["X-Gongkai-Cache"] == "hit"


def test_it_never_caches_for_signed_in_staff_or_errors(client, portal, admin_user):
    get(client, "/no-such-page/")
    assert "X-Gongkai-Cache" not in get(client, "/no-such-page/")
    get(client, "/zwdt/?page=abc")
    assert "X-Gongkai-Cache" not in get(client, "/zwdt/?page=abc")
    client.force_login(admin_user)
    assert "X-Gongkai-Cache" not in get(client, "/")


def test_it_shows_a_newly_published_item_everywhere_at_once(
    client, portal, django_capture_on_commit_callbacks
):
    town, column = portal["orgs"]["town"], portal["columns"]["gov"]["通知公告"]
    for path in PLACES:
        get(client, path)
    with django_capture_on_commit_callbacks(execute=True):
        item = publish_item(town, [column], title="寮步镇关于暂停供电的通知")
    for path in PLACES:
        response = get(client, path)
        assert response["X-Gongkai-Cache"] == "miss", path
        assert f"/xxgk/items/{item.pk}/" in response.content.decode(), path
    assert get(client, f"/xxgk/items/{item.pk}/").status_code == 200


def test_it_removes_a_withdrawn_item_from_every_place_and_cache_at_once(
    client, portal, django_capture_on_commit_callbacks
):
    town, column = portal["orgs"]["town"], portal["columns"]["gov"]["通知公告"]
    item = publish_item(town, [column], title="寮步镇关于暂停供电的通知")
    places = [*PLACES, f"/xxgk/items/{item.pk}/", f"/xxgk/items/{item.pk}/print/",
              f"/api/v1/items/{item.pk}/"]  # fmt: skip
    marker = f"/xxgk/items/{item.pk}/"
    for path in places:
        assert marker in get(client, path).content.decode(), path
        assert get(client, path)["X-Gongkai-Cache"] == "hit", path
    with django_capture_on_commit_callbacks(execute=True):
        item_withdraw(actor=None, item=item, reason="停电计划取消")
    for path in places:
        body = get(client, path).content.decode()
        assert "暂停供电" not in body and marker not in body, path
    assert get(client, f"/xxgk/items/{item.pk}/").status_code == 404
    item.refresh_from_db()
    assert item.withdrawn_at is not None and item.withdrawn_reason == "停电计划取消"


def test_it_shows_a_change_to_a_live_item_at_once(
    client, portal, django_capture_on_commit_callbacks
):
    item = publish_item(
        portal["orgs"]["town"], [portal["columns"]["gov"]["通知公告"]], title="旧标题"
    )
    get(client, f"/xxgk/items/{item.pk}/")
    item.title = "新标题"
    item.save_revision()
    assert "旧标题" in get(client, f"/xxgk/items/{item.pk}/").content.decode()  # a draft: no change
    with django_capture_on_commit_callbacks(execute=True):
        publish_through_review(item)
    body = get(client, f"/xxgk/items/{item.pk}/").content.decode()
    assert "新标题" in body and "旧标题" not in body


def test_it_removes_an_unpublished_item_at_once(client, portal, django_capture_on_commit_callbacks):
    item = publish_item(portal["orgs"]["town"], [portal["columns"]["gov"]["通知公告"]])
    assert get(client, f"/xxgk/items/{item.pk}/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        item.unpublish()
    assert get(client, f"/xxgk/items/{item.pk}/").status_code == 404


def test_it_shows_a_renamed_column_at_once(client, portal, django_capture_on_commit_callbacks):
    assert "政务动态" in get(client, "/").content.decode()
    column = ColumnPage.objects.get(pk=portal["columns"]["gov"]["政务动态"].pk)
    column.title = "镇内要闻"
    with django_capture_on_commit_callbacks(execute=True):
        column.save_revision().publish()
    assert "镇内要闻" in get(client, "/").content.decode()


def test_it_invalidates_once_per_transaction(
    portal, django_capture_on_commit_callbacks, monkeypatch
):
    town, column = portal["orgs"]["town"], portal["columns"]["gov"]["通知公告"]
    calls = []
    monkeypatch.setattr(cache, "invalidate", lambda: calls.append(1))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for n in range(3):
            item_create(organisation=town, columns=[column], title=f"导入{n}",
                        created_date=date(2026, 1, 5), category=info_category())  # fmt: skip
    assert len(callbacks) > 3 and len(calls) == 1


def test_it_records_the_publication_date_on_first_publication(portal, monkeypatch):
    town, column = portal["orgs"]["town"], portal["columns"]["gov"]["通知公告"]
    item = item_create(organisation=town, columns=[column], title="新通知",
                       created_date=date(2026, 1, 5), category=info_category())  # fmt: skip
    assert item.published_date is None
    # 2026-01-05 20:00 UTC is already the 6th in Shanghai.
    moment = timezone.datetime(2026, 1, 5, 20, 0, tzinfo=ZoneInfo("UTC"))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    publish_through_review(item)
    item.refresh_from_db()
    assert item.published_date == date(2026, 1, 6)
    # A later publication keeps the first date.
    monkeypatch.setattr(timezone, "now", lambda: moment + timezone.timedelta(days=40))
    item.title = "新通知（更正）"
    item.save_revision()
    publish_through_review(item)
    item.refresh_from_db()
    assert item.published_date == date(2026, 1, 6) and item.title == "新通知（更正）"


def test_it_keeps_a_publication_date_typed_in(portal):
    item = publish_item(portal["orgs"]["town"], [portal["columns"]["gov"]["通知公告"]],
                        published_date=date(2025, 12, 1))  # fmt: skip
    assert DisclosureItem.objects.get(pk=item.pk).published_date == date(2025, 12, 1)


def test_it_does_not_date_an_item_only_scheduled(portal):
    town, column = portal["orgs"]["town"], portal["columns"]["gov"]["通知公告"]
    item = item_create(organisation=town, columns=[column], title="定时发布的通知",
                       created_date=date(2026, 1, 5), category=info_category(),
                       go_live_at=timezone.now() + timezone.timedelta(days=3))  # fmt: skip
    publish_through_review(item)
    item.refresh_from_db()
    assert not item.live and item.published_date is None


def test_it_starts_a_new_generation_when_the_old_one_is_lost(portal):
    first = cache.generation()
    assert cache.generation() == first
    cache._cache().delete(cache.GENERATION_KEY)
    assert cache.generation() != first
