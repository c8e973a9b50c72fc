"""The plaza screen's feed and page; the kiosk's data, pinyin filter and item detail."""

import json

import pytest
from django.urls import reverse

from gongkai.catalogue.services import item_withdraw
from gongkai.channels import selectors, services
from gongkai.channels.models import Channel
from gongkai.channels.pinyin import title_initials


@pytest.fixture
def on_screen(alice, make_item, screen, django_capture_on_commit_callbacks):
    items = [
        make_item("寮步镇政府采购公告", category_name="政府采购"),
        make_item("寮步镇2026年政府工作报告", category_name="规划计划"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        for item in items:
            services.dispatch_create(actor=alice, item=item, channel=screen)
    return items


def test_it_serves_the_screen_feed_as_json(client, screen, on_screen):
    response = client.get(reverse("channels:screen_feed", args=["plaza"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "no-cache" in response["Cache-Control"]
    feed = json.loads(response.content)
    assert feed["channel"] == {"name": "市民广场电子显示屏", "slug": "plaza"}
    assert feed["interval_seconds"] == 15 and feed["poll_seconds"] == 60
    assert feed["generated_at"].endswith("+08:00")  # Beijing time
    titles = [i["title"] for i in feed["items"]]
    assert sorted(titles) == sorted(i.title for i in on_screen)
    first = feed["items"][0]
    assert set(first) >= {"id", "title", "summary", "category", "publisher", "published_date"}


def test_a_withdrawn_item_leaves_the_screen_at_once(client, alice, screen, on_screen):
    item_withdraw(actor=alice, item=on_screen[0], reason="内容更正")
    feed = client.get(reverse("channels:screen_feed", args=["plaza"])).json()
    assert [i["id"] for i in feed["items"]] == [on_screen[1].pk]


def test_the_screen_shows_only_what_was_sent_to_it(client, make_item, screen, on_screen):
    make_item("未发送到屏幕的信息")
    feed = client.get(reverse("channels:screen_feed", args=["plaza"])).json()
    assert "未发送到屏幕的信息" not in [i["title"] for i in feed["items"]]


def test_the_interval_is_configurable(client, screen):
    screen.config = {"interval_seconds": 8, "max_items": 1}
    screen.full_clean()
    screen.save()
    feed = client.get(reverse("channels:screen_feed", args=["plaza"])).json()
    assert feed["interval_seconds"] == 8


def test_it_renders_the_screen_page_with_local_script(client, screen):
    response = client.get(reverse("channels:screen", args=["plaza"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "/static/channels/screen.js" in html
    assert 'data-feed-url="/channels/screen/plaza/feed.json"' in html
    assert "http" not in html.split("<body>")[1].replace("/channels/", "")  # no CDN


def test_an_inactive_or_other_kind_of_channel_is_not_a_screen(client, screen, kiosk):
    assert client.get(reverse("channels:screen", args=[kiosk.slug])).status_code == 404
    screen.active = False
    screen.save()
    assert client.get(reverse("channels:screen_feed", args=["plaza"])).status_code == 404


@pytest.mark.parametrize(
    ("title", "initials"),
    [
        ("寮步镇政府采购公告", "LBZZFCGGG"),
        ("《寮步报》第12期", "LBBDQ"),
        ("2012年寮步镇政府工作报告", "NLBZZFGZBG"),
        ("香市经济 Weibo 发布", "XSJJWFB"),
    ],
)
def test_it_computes_pinyin_initials(title, initials):
    assert title_initials(title) == initials


def test_the_kiosk_filters_by_pinyin_initials(client, make_item, kiosk):
    make_item("寮步镇政府采购公告", category_name="政府采购")
    make_item("横坑村村务公开", category_name="村(居)委会")
    make_item("寮步镇人事任免通知", category_name="人事任免")
    make_item("草稿不应出现", published=False)
    data = selectors.kiosk_data(channel=kiosk)
    assert {i["title"] for i in data["items"]} == {
        "寮步镇政府采购公告",
        "横坑村村务公开",
        "寮步镇人事任免通知",
    }
    assert data["letters"] == ["H", "L"]
    assert [i["title"] for i in selectors.kiosk_filter(data["items"], letters="H")] == [
        "横坑村村务公开"
    ]
    by_l = {i["title"] for i in selectors.kiosk_filter(data["items"], letters="lbz")}
    assert by_l == {"寮步镇政府采购公告", "寮步镇人事任免通知"}
    assert [i["title"] for i in selectors.kiosk_filter(data["items"], letters="LBZR")] == [
        "寮步镇人事任免通知"
    ]
    response = client.get(reverse("channels:kiosk_data", args=[kiosk.slug]), {"letters": "LBZZ"})
    assert [i["title"] for i in response.json()["items"]] == ["寮步镇政府采购公告"]


def test_the_kiosk_browses_by_category_and_column(client, make_item, kiosk):
    from wagtail.models import Page

    from gongkai.catalogue.models import ColumnPage

    column = Page.get_first_root_node().add_child(
        instance=ColumnPage(title="通知公告", slug="tzgg-kiosk")
    )
    placed = make_item("寮步镇政府采购公告", category_name="政府采购")
    placed.columns.add(column)
    placed.save()
    make_item("寮步镇统计公报", category_name="统计数据")
    data = client.get(reverse("channels:kiosk_data", args=[kiosk.slug])).json()
    assert {c["name"]: c["count"] for c in data["categories"]} == {"统计数据": 1, "政府采购": 1}
    assert data["columns"] == [{"id": column.pk, "name": "通知公告", "count": 1}]
    assert data["idle_seconds"] == 90
    category_id = next(c["id"] for c in data["categories"] if c["name"] == "统计数据")
    filtered = client.get(
        reverse("channels:kiosk_data", args=[kiosk.slug]), {"category": category_id}
    ).json()
    assert [i["title"] for i in filtered["items"]] == ["寮步镇统计公报"]
    by_column = client.get(
        reverse("channels:kiosk_data", args=[kiosk.slug]), {"column": column.pk}
    ).json()
    assert [i["title"] for i in by_column["items"]] == ["寮步镇政府采购公告"]


def test_the_kiosk_item_detail_has_the_body_as_paragraphs(client, make_item, kiosk):
    item = make_item()
    draft = make_item("草稿", published=False)
    url = reverse("channels:kiosk_item", args=[kiosk.slug, item.pk])
    detail = client.get(url).json()
    assert detail["paragraphs"] == [
        "第一段：寮步镇政府采购项目公开招标。",
        "第二段：欢迎符合条件的供应商参加。",
    ]
    assert (
        client.get(reverse("channels:kiosk_item", args=[kiosk.slug, draft.pk])).status_code == 404
    )


def test_the_kiosk_page_needs_no_keyboard_and_has_an_idle_timeout(client, kiosk):
    kiosk.config = {"idle_seconds": 45}
    kiosk.save()
    html = client.get(reverse("channels:kiosk", args=[kiosk.slug])).content.decode()
    assert 'data-idle="45"' in html
    assert "user-scalable=no" in html
    # the only thing to type into is the optional search box; everything else is by finger
    assert html.count("<input") == 1 and 'id="search-q"' in html


def test_a_village_item_is_on_the_town_kiosk_but_not_the_reverse(
    village, make_item, make_channel, kiosk
):
    village_kiosk = make_channel(Channel.Kind.KIOSK, "横坑村查询机", organisation=village)
    make_item("横坑村村务公开", organisation=village, category_name="村(居)委会")
    make_item("寮步镇政府采购公告")
    assert {i["title"] for i in selectors.kiosk_data(channel=kiosk)["items"]} == {
        "横坑村村务公开",
        "寮步镇政府采购公告",
    }
    assert [i["title"] for i in selectors.kiosk_data(channel=village_kiosk)["items"]] == [
        "横坑村村务公开"
    ]
