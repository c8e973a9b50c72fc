"""The kiosk's full-text search (issue #7): what this kiosk shows and nothing else, any text
typed answered with results or a hint, pages, and titles that stay text."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gongkai.catalogue.models import DisclosureItem
from gongkai.catalogue.services import item_withdraw
from gongkai.channels import selectors
from gongkai.channels.models import Channel
from gongkai.channels.options import kiosk_topics
from gongkai.orgs.creditcode import make_credit_code
from gongkai.orgs.models import Organisation
from gongkai.orgs.services import organisation_create

BODY_DIBAO = (
    "<p>一、申请条件：家庭人均收入低于本镇最低生活保障标准的，可以申请低保。</p>"
    "<p>二、办理地点：镇社会事务局一楼窗口。</p>"
)


@pytest.fixture
def make_indexed(make_item, django_capture_on_commit_callbacks):
    """An item published the editors' way, with the search index updated after the commit
    (as it is in production)."""

    def make(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            item = make_item(*args, **kwargs)
        item.refresh_from_db()
        return item

    return make


def search(client, kiosk, **params):
    response = client.get(reverse("channels:kiosk_search", args=[kiosk.slug]), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    return json.loads(response.content)


def test_it_finds_a_published_item_by_a_word_in_its_body(client, make_indexed, kiosk):
    item = make_indexed("寮步镇社会救助办事指南", summary="社会救助的申请和办理。", body=BODY_DIBAO)
    make_indexed("寮步镇政府采购公告")
    data = search(client, kiosk, q="低保")
    assert [row["id"] for row in data["items"]] == [item.pk]
    row = data["items"][0]
    assert row["matched_in"] == "body"
    assert "<mark>低保</mark>" in row["snippet_html"]
    assert row["title"] == "寮步镇社会救助办事指南"
    # what the kiosk's detail view reads from a row
    assert row["category"] == "政府采购"
    assert row["publisher"] == "寮步镇人民政府"
    assert row["published_date"] == "2026-03-02"
    assert row["index_number"]
    assert data["total"] == 1 and data["num_pages"] == 1
    assert data["hint"] == "" and data["notices"] == []
    assert not data["has_next"] and not data["has_previous"]
    # tapping it opens the kiosk's own item view
    detail = client.get(reverse("channels:kiosk_item", args=[kiosk.slug, item.pk])).json()
    assert "可以申请低保。" in detail["paragraphs"][0]


def test_it_never_returns_what_the_kiosk_would_not_list(
    client, alice, make_indexed, kiosk, village, django_capture_on_commit_callbacks
):
    shown = make_indexed("寮步镇低保申请指南", body=BODY_DIBAO)
    in_village = make_indexed("横坑村低保名单公示", organisation=village, body=BODY_DIBAO)
    other_town = organisation_create(
        name="大朗镇人民政府",
        code="dalang",
        kind=Organisation.Kind.GOVERNMENT,
        credit_code=make_credit_code("11441900007330002"),
    )
    make_indexed("大朗镇低保申请指南", organisation=other_town, body=BODY_DIBAO)
    make_indexed(
        "依申请公开的低保资料",
        body=BODY_DIBAO,
        disclosure_mode=DisclosureItem.DisclosureMode.ON_REQUEST,
    )
    edited = make_indexed("改动后尚未重新审查的低保通知", body=BODY_DIBAO)
    edited.title = "改动后尚未重新审查的低保通知（修改稿）"
    edited.save_revision()
    withdrawn = make_indexed("已撤回的低保通知", body=BODY_DIBAO)
    # withdrawn without running the index update: the kiosk must drop it all the same
    item_withdraw(actor=alice, item=withdrawn, reason="内容有误")
    make_item_draft = make_indexed("低保草稿", body=BODY_DIBAO, published=False)

    data = search(client, kiosk, q="低保")
    assert {row["id"] for row in data["items"]} == {shown.pk, in_village.pk}
    assert data["total"] == 2

    # the public website's search does see the public-but-not-cleared ones: the kiosk's rule
    # is stricter, and it is the kiosk's rule that applies here
    from gongkai.search.selectors import search_items

    public = {hit.item.pk for hit in search_items(query="低保", per_page=50).hits}
    assert edited.pk in public
    assert make_item_draft.pk not in public

    village_kiosk = Channel.objects.create(
        organisation=village, kind=Channel.Kind.KIOSK, name="横坑村查询机", slug="hk-kiosk"
    )
    assert [row["id"] for row in search(client, village_kiosk, q="低保")["items"]] == [
        in_village.pk
    ]


def test_an_inactive_kiosk_or_another_kind_of_channel_does_not_search(client, kiosk, screen):
    url = reverse("channels:kiosk_search", args=[screen.slug])
    assert client.get(url, {"q": "低保"}).status_code == 404
    kiosk.active = False
    kiosk.save()
    url = reverse("channels:kiosk_search", args=[kiosk.slug])
    assert client.get(url, {"q": "低保"}).status_code == 404
    assert client.post(url, {"q": "低保"}).status_code == 405


BAD_QUERIES = [
    "",
    "   ",
    "低保" * 150,  # over 200 characters
    "！？。，、；：“”（）【】《》",
    "...---+++***",
    '"',
    '"低保',
    "低保”",
    "低保*",
    "^低保",
    "title:低保",
    "NEAR(低保 申请, 2)",
    "低保 AND 申请 OR NOT 通知",
    "AND",
    "OR",
    "'; DROP TABLE catalogue_disclosureitem; --",
    "1' OR '1'='1",
    "低保' UNION SELECT * FROM auth_user --",
    "%_%",
    "\\'\\\"",
    "<script>alert(1)</script>",
    "😀🏛️",
]


@pytest.mark.parametrize("raw", BAD_QUERIES)
def test_any_text_gets_results_or_a_hint_never_an_error(client, make_indexed, kiosk, raw):
    make_indexed("寮步镇低保申请指南", body=BODY_DIBAO)
    data = search(client, kiosk, q=raw)
    assert isinstance(data["items"], list)
    if data["items"]:
        assert data["hint"] == ""
        assert data["total"] >= len(data["items"])
    else:
        assert data["hint"], raw  # a sentence in Chinese saying what to do
        assert data["total"] == 0


def test_the_hints_say_what_happened(client, make_indexed, kiosk):
    make_indexed("寮步镇低保申请指南", body=BODY_DIBAO)
    assert search(client, kiosk, q="")["hint"] == "请输入要查找的词语，或点下面的常用词。"
    punctuation = search(client, kiosk, q="！？。，（）")
    assert "只有标点或符号" in punctuation["hint"]
    assert punctuation["notices"] == []  # said once, in the hint
    long = search(client, kiosk, q="低保" * 150)
    assert long["notices"] == ["检索词过长，已只按前200个字检索。"]
    assert len(long["query"]) == 200
    unpaired = search(client, kiosk, q='"低保')
    assert [row["title"] for row in unpaired["items"]] == ["寮步镇低保申请指南"]
    # SQL is only words (低保, 1, 1): nothing has them all, and the way out is offered
    sql = search(client, kiosk, q="低保' OR '1'='1")
    assert sql["items"] == [] and sql["hint"].startswith("没有找到与“低保' OR '1'='1”")
    assert any(s["kind"] == "fewer_words" for s in sql["suggestions"])
    nothing = search(client, kiosk, q="殡葬改革")
    assert nothing["items"] == []
    assert nothing["hint"] == "没有找到与“殡葬改革”相关的信息。"
    assert nothing["suggestions"][-1]["kind"] == "tip"


def test_when_nothing_matches_it_suggests_fewer_words_and_similar_titles(
    client, make_indexed, kiosk
):
    item = make_indexed("寮步镇低保申请指南", body=BODY_DIBAO)
    make_indexed(  # public on the website, not on the kiosk: never suggested here
        "寮步镇低保申请指引",
        body=BODY_DIBAO,
        disclosure_mode=DisclosureItem.DisclosureMode.ON_REQUEST,
    )
    data = search(client, kiosk, q="低保 殡葬")
    assert data["items"] == []
    fewer = [s for s in data["suggestions"] if s["kind"] == "fewer_words"]
    assert [s["query"] for s in fewer] == ["低保"]
    assert not [s for s in data["suggestions"] if s["kind"] == "drop_filters"]

    similar = search(client, kiosk, q="寮步镇低保申请须知")
    assert similar["items"] == []
    offered = [s for s in similar["suggestions"] if s["kind"] == "similar_title"]
    assert [s["item"]["id"] for s in offered] == [item.pk]
    # a suggested title opens in the kiosk's item view like a hit: it has the same fields
    assert offered[0]["item"]["title_html"] == "寮步镇低保申请指南"
    assert offered[0]["item"]["publisher"] == "寮步镇人民政府"
    assert similar["suggestions"][-1] == {
        "kind": "tip",
        "label": "检查错别字，换一个更常用的说法，或减少检索词；也可以按信息类别、栏目浏览。",
    }


def test_it_pages_through_the_results(client, make_indexed, kiosk):
    made = {make_indexed(f"寮步镇第{n}批低保对象公示", body=BODY_DIBAO).pk for n in range(1, 13)}
    first = search(client, kiosk, q="低保")
    assert first["total"] == 12 and first["num_pages"] == 2 and first["page"] == 1
    assert len(first["items"]) == 10
    assert first["has_next"] and not first["has_previous"]
    second = search(client, kiosk, q="低保", page=2)
    assert second["page"] == 2 and len(second["items"]) == 2
    assert second["has_previous"] and not second["has_next"]
    ids = [row["id"] for row in first["items"] + second["items"]]
    assert len(set(ids)) == 12 and set(ids) == made
    # a page that is not there, or not a number: the last page, or the first
    beyond = search(client, kiosk, q="低保", page=9)
    assert beyond["page"] == 2 and [r["id"] for r in beyond["items"]] == ids[10:]
    assert "没有这一页，已显示最后一页。" in beyond["notices"]
    for bad in ("abc", "-3", "0", "1e9", "99999999999999999999999"):
        data = search(client, kiosk, q="低保", page=bad)
        assert data["items"], bad


def test_it_pages_past_items_it_may_not_show(make_indexed, kiosk, monkeypatch):
    # Items public on the website but not cleared for the kiosk are dropped from the pages, and
    # the pages are still full: the search is read in batches until the page is filled.
    monkeypatch.setattr(selectors, "KIOSK_SEARCH_BATCH", 3)
    shown = set()
    for n in range(1, 6):
        shown.add(make_indexed(f"寮步镇第{n}批低保对象公示", body=BODY_DIBAO).pk)
        make_indexed(
            f"依申请公开的第{n}份低保资料",
            body=BODY_DIBAO,
            disclosure_mode=DisclosureItem.DisclosureMode.ON_REQUEST,
        )
    first = selectors.kiosk_search(channel=kiosk, query="低保", per_page=2)
    second = selectors.kiosk_search(channel=kiosk, query="低保", page=2, per_page=2)
    third = selectors.kiosk_search(channel=kiosk, query="低保", page=3, per_page=2)
    assert [len(p["items"]) for p in (first, second, third)] == [2, 2, 1]
    assert {r["id"] for p in (first, second, third) for r in p["items"]} == shown
    assert third["total"] == 5 and not third["total_is_estimate"] and not third["has_next"]


def test_markup_in_a_title_stays_text(client, make_indexed, kiosk):
    item = make_indexed(
        '<script>alert("x")</script><img src=x onerror=alert(1)>低保公示', body=BODY_DIBAO
    )
    response = client.get(reverse("channels:kiosk_search", args=[kiosk.slug]), {"q": "低保"})
    assert response["Content-Type"] == "application/json"
    row = response.json()["items"][0]
    assert row["id"] == item.pk
    # `title` is plain text (the page only ever sets it as textContent); the *_html fields are
    # escaped with nothing but <mark> added
    assert row["title"] == item.title
    assert row["title_html"] == (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
        "<mark>低保</mark>公示"
    )
    assert "<" not in row["snippet_html"].replace("<mark>", "").replace("</mark>", "")
    page = client.get(reverse("channels:kiosk", args=[kiosk.slug])).content.decode()
    assert "<script>alert" not in page


def test_the_kiosk_page_has_the_search_box_and_the_quick_words_that_find_something(
    client, make_indexed, kiosk
):
    make_indexed("寮步镇低保申请指南", body=BODY_DIBAO)
    make_indexed("寮步镇政府采购公告")
    html = client.get(reverse("channels:kiosk", args=[kiosk.slug])).content.decode()
    assert 'id="search-q"' in html and 'maxlength="200"' in html
    assert 'data-search-url="/channels/kiosk/hall-kiosk/search.json"' in html
    assert 'data-action="clear-search"' in html
    # the default words, shown only where this kiosk has something to find
    assert 'data-topic="低保"' in html and 'data-topic="采购"' in html
    assert 'data-topic="财政"' not in html

    kiosk.config = {"topics": "低保，<b>财政</b>、采购 低保"}
    kiosk.full_clean()
    kiosk.save()
    html = client.get(reverse("channels:kiosk", args=[kiosk.slug])).content.decode()
    assert html.count('data-action="topic"') == 2
    assert "<b>" not in html


def test_the_quick_words_are_a_kiosk_option_checked_when_saved(kiosk):
    assert kiosk_topics(kiosk.option("topics"))[:3] == ["低保", "补贴", "社保"]
    assert kiosk_topics(" 低保，补贴、 招聘;低保\n规划 ") == ["低保", "补贴", "招聘", "规划"]
    kiosk.config = {"topics": " ".join(f"词{n}" for n in range(13))}
    with pytest.raises(ValidationError) as caught:
        kiosk.full_clean()
    assert "最多 12 个词" in str(caught.value)
    kiosk.config = {"topics": "低" * 21}
    with pytest.raises(ValidationError, match="不超过 20 个字"):
        kiosk.full_clean()


def test_when_results_are_capped_it_does_not_suggest_filters_the_kiosk_lacks(
    client, make_indexed, kiosk, monkeypatch
):
    """The search page's notice for a capped list suggests its filters; the kiosk has none and
    says only to add words. (When search caps a list is search's own test; each backend caps
    at its own point, so here the search is made to report a cap of 3, as it words it.)"""
    from gongkai.search import selectors as search_selectors

    real = search_selectors.search_items

    def capped(**kwargs):
        results = real(**kwargs)
        results.capped_at = 3
        results.notices.append(
            "结果较多，只列出最相关的前3条；可以增加检索词或使用筛选条件缩小范围。"
        )
        return results

    monkeypatch.setattr(search_selectors, "search_items", capped)
    make_indexed("寮步镇低保工作动态", body=BODY_DIBAO)
    data = search(client, kiosk, q="低保")
    assert data["notices"] == ["结果较多，只列出最相关的前3条；可以增加检索词缩小范围。"]
