"""Feeds, sitemaps and the open-data API: same items as the pages, nothing withdrawn."""

import csv
import io
import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from gongkai.catalogue.models import DisclosureItem
from gongkai.catalogue.services import item_withdraw

from . import portal_fixtures
from .portal_fixtures import ENTERPRISE, GOV, info_category, publish_item

# Fixtures shared by the portal's test modules (see portal_fixtures).
portal = portal_fixtures.portal
clear_portal_cache = portal_fixtures.clear_portal_cache

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def two_items(portal):
    town = portal["orgs"]["town"]
    column = portal["columns"]["gov"]["通知公告"]
    kept = publish_item(
        town, [column], title="寮步镇关于元宵节游园活动的通知", summary="游园活动安排"
    )
    gone = publish_item(town, [column], title="寮步镇关于停水的通知（有误）")
    item_withdraw(actor=None, item=gone, reason="停水时间有误")
    return kept, gone


@pytest.mark.parametrize("path", ["/tzgg/feed/rss/", "/feed/rss/"])
def test_it_lists_public_items_in_rss_and_not_withdrawn_ones(client, two_items, path):
    kept, gone = two_items
    response = client.get(path, **GOV)
    body = text(response)
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/rss+xml"
    )
    assert "<title>寮步镇关于元宵节游园活动的通知</title>" in body
    assert f"<link>http://127.0.0.1/xxgk/items/{kept.pk}/</link>" in body
    assert "游园活动安排" in body
    assert "停水" not in body


@pytest.mark.parametrize("path", ["/tzgg/feed/atom/", "/feed/atom/"])
def test_it_lists_public_items_in_atom_and_not_withdrawn_ones(client, two_items, path):
    kept, gone = two_items
    response = client.get(path, **GOV)
    body = text(response)
    assert response["Content-Type"].startswith("application/atom+xml")
    assert f'href="http://127.0.0.1/xxgk/items/{kept.pk}/"' in body
    assert "停水" not in body


def test_it_keeps_a_sites_feed_to_its_own_items(client, two_items):
    assert "元宵节" not in text(client.get("/feed/rss/", **ENTERPRISE))


def test_it_refuses_query_strings_on_feeds(client, portal):
    assert client.get("/feed/rss/?x=1", **GOV).status_code == 400


def test_it_lists_items_and_pages_in_the_sitemap_of_their_site(client, two_items):
    kept, gone = two_items
    index = text(client.get("/sitemap.xml", **GOV))
    assert (
        "http://127.0.0.1/sitemap-items.xml" in index
        and "http://127.0.0.1/sitemap-pages.xml" in index
    )
    items = text(client.get("/sitemap-items.xml", **GOV))
    assert f"<loc>http://127.0.0.1/xxgk/items/{kept.pk}/</loc>" in items
    assert f"/xxgk/items/{gone.pk}/" not in items
    pages = text(client.get("/sitemap-pages.xml", **GOV))
    assert (
        "<loc>http://127.0.0.1/</loc>" in pages
        and "<loc>http://127.0.0.1/xxgk/zhinan/</loc>" in pages
    )
    assert "qyfw" not in pages and "/jgzn/" not in pages  # the enterprise site's pages
    assert f"/xxgk/items/{kept.pk}/" not in text(client.get("/sitemap-items.xml", **ENTERPRISE))


@pytest.mark.parametrize("query", ["p=abc", "p=0"])
def test_it_answers_a_bad_sitemap_page_with_a_400(client, portal, query):
    assert client.get(f"/sitemap-items.xml?{query}", **GOV).status_code == 400


def test_it_answers_an_unknown_sitemap_with_a_404(client, portal):
    assert client.get("/sitemap-nothing.xml", **GOV).status_code == 404
    assert client.get("/sitemap-items.xml?p=5", **GOV).status_code == 404


# --- API ----------------------------------------------------------------------------------


def api(client, query="", **extra):
    response = client.get(f"/api/v1/items/{query}", **(extra or GOV))
    return response, json.loads(response.content)


@pytest.fixture
def catalogue(portal):
    orgs, cols = portal["orgs"], portal["columns"]
    return {
        "policy": publish_item(
            orgs["town"], [cols["gov"]["政策文件"]], title="寮步镇村级工程建设管理办法",
            document_number="寮府〔2025〕7号", published_date=date(2025, 4, 1),
            category=info_category("guifanxing"),
        ),
        "repealed": publish_item(
            orgs["office"], [cols["gov"]["政策文件"]], title="寮步镇旧管理办法",
            document_number="寮府〔2020〕2号", published_date=date(2020, 2, 1),
            validity=DisclosureItem.Validity.REPEALED, validity_changed_on=date(2025, 4, 1),
            category=info_category("guifanxing"),
        ),
        "village": publish_item(
            orgs["village"], [cols["gov"]["村(居)务公开"]], title="横坑村2026年3月村务公开",
            published_date=date(2026, 3, 31), category=info_category("cunju"),
        ),
        "enterprise": publish_item(
            orgs["town"], [cols["enterprise"]["企业服务"]], title="企业用工补贴申报指南",
            published_date=date(2026, 4, 2),
        ),
    }  # fmt: skip


def test_it_lists_the_public_catalogue_newest_first(client, catalogue):
    response, data = api(client)
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    assert data["count"] == 4
    assert [r["title"] for r in data["results"]] == [
        "企业用工补贴申报指南",
        "横坑村2026年3月村务公开",
        "寮步镇村级工程建设管理办法",
        "寮步镇旧管理办法",
    ]
    policy = next(r for r in data["results"] if r["id"] == catalogue["policy"].pk)
    assert policy["index_number"] == catalogue["policy"].index_number
    assert policy["document_number"] == "寮府〔2025〕7号"
    assert policy["category"] == "guifanxing" and policy["category_name"] == "规范性文件"
    assert policy["urls"] == [f"http://127.0.0.1/xxgk/items/{catalogue['policy'].pk}/"]
    enterprise = next(r for r in data["results"] if r["id"] == catalogue["enterprise"].pk)
    assert enterprise["urls"] == [f"http://localhost/xxgk/items/{catalogue['enterprise'].pk}/"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?organisation=liaobu-hengkeng", ["village"]),
        ("?category=guifanxing", ["policy", "repealed"]),
        ("?year=2025", ["policy"]),
        ("?validity=repealed", ["repealed"]),
        ("?document_number=〔2020〕", ["repealed"]),
        ("?document_number=寮府&year=2020", ["repealed"]),
    ],
)
def test_it_filters_the_catalogue(client, catalogue, query, expected):
    response, data = api(client, query)
    assert response.status_code == 200
    assert sorted(r["id"] for r in data["results"]) == sorted(catalogue[k].pk for k in expected)
    assert data["count"] == len(expected)


def test_it_filters_by_site_and_column(client, portal, catalogue):
    site = portal["sites"]["enterprise"]
    _, data = api(client, f"?site={site.pk}")
    assert [r["id"] for r in data["results"]] == [catalogue["enterprise"].pk]
    column = portal["columns"]["gov"]["村(居)务公开"]
    _, data = api(client, f"?column={column.pk}")
    assert [r["id"] for r in data["results"]] == [catalogue["village"].pk]


def test_it_filters_by_updated_since(client, catalogue):
    DisclosureItem.objects.filter(pk=catalogue["repealed"].pk).update(
        updated_at=timezone.now() - timedelta(days=30)
    )
    since = (timezone.localdate() - timedelta(days=1)).isoformat()
    _, data = api(client, f"?updated_since={since}")
    assert catalogue["repealed"].pk not in [r["id"] for r in data["results"]]
    assert data["count"] == 3
    _, data = api(client, "?updated_since=2000-01-01T00:00:00%2B08:00")
    assert data["count"] == 4


def test_it_pages_with_limit_and_offset(client, catalogue):
    response, first = api(client, "?limit=2")
    assert [r["title"] for r in first["results"]] == [
        "企业用工补贴申报指南",
        "横坑村2026年3月村务公开",
    ]
    assert first["previous"] is None and "offset=2" in first["next"] and "limit=2" in first["next"]
    _, second = api(client, "?limit=2&offset=2")
    assert [r["title"] for r in second["results"]] == [
        "寮步镇村级工程建设管理办法",
        "寮步镇旧管理办法",
    ]
    assert second["next"] is None and "offset=0" in second["previous"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?limit=101", "limit"),
        ("?limit=0", "limit"),
        ("?offset=-1", "offset"),
        ("?year=abc", "year"),
        ("?updated_since=yesterday", "updated_since"),
        ("?updated_since=2026-13-45", "updated_since"),
        ("?organisation=nowhere", "organisation"),
        ("?category=nothing", "category"),
        ("?site=99999", "site"),
        ("?column=99999999999999999999999", "column"),
        ("?validity=forever", "validity"),
        ("?document_number=%00", "document_number"),
    ],
)
def test_it_answers_bad_parameters_with_a_400_in_chinese(client, portal, query, field):
    response, data = api(client, query)
    assert response.status_code == 400
    assert data["error"] == "请求参数有误。"
    assert field in data["detail"]


def test_it_caps_the_limit_with_a_message(client, portal):
    _, data = api(client, "?limit=500")
    assert data["detail"]["limit"] == ["每页最多 100 条。"]


def test_it_exports_csv_with_the_same_filters(client, catalogue):
    response = client.get("/api/v1/items.csv?category=guifanxing", **GOV)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(content.lstrip("\ufeff"))))
    assert [row["title"] for row in rows] == ["寮步镇村级工程建设管理办法", "寮步镇旧管理办法"]
    assert rows[0]["index_number"] == catalogue["policy"].index_number
    assert rows[0]["urls"] == f"http://127.0.0.1/xxgk/items/{catalogue['policy'].pk}/"
    same = client.get("/api/v1/items/?format=csv&category=guifanxing", **GOV)
    assert same.content == response.content


def test_it_leaves_withdrawn_items_out_of_the_api(client, catalogue):
    item_withdraw(actor=None, item=catalogue["policy"], reason="文件有误")
    _, data = api(client)
    assert catalogue["policy"].pk not in [r["id"] for r in data["results"]]
    response = client.get(f"/api/v1/items/{catalogue['policy'].pk}/", **GOV)
    assert response.status_code == 404
    assert json.loads(response.content)["error"] == "该信息不存在、尚未公开或已撤回。"
    assert (
        "寮步镇村级工程建设管理办法" not in client.get("/api/v1/items.csv", **GOV).content.decode()
    )


def test_it_shows_one_item_with_its_attachments(client, catalogue):
    item = catalogue["village"]
    response = client.get(f"/api/v1/items/{item.pk}/", **GOV)
    data = json.loads(response.content)
    assert data["title"] == "横坑村2026年3月村务公开" and data["organisation"] == "liaobu-hengkeng"
    assert data["attachments"] == []


@pytest.mark.parametrize(
    "path", ["/api/v1/items/0/", "/api/v1/items/99999999999999999999999/", "/api/v2/"]
)
def test_it_answers_unknown_ids_and_addresses_with_a_404_in_chinese(client, portal, path):
    response = client.get(path, **GOV)
    assert response.status_code == 404
    assert json.loads(response.content)["error"]


def test_it_describes_sites_organisations_and_categories(client, portal):
    sites = json.loads(client.get("/api/v1/sites/", **GOV).content)["results"]
    assert {s["name"] for s in sites} == {"寮步镇人民政府网", "寮步企业服务网"}
    gov = next(s for s in sites if s["name"] == "寮步镇人民政府网")
    assert gov["url"] == "http://127.0.0.1/" and gov["id"] == portal["sites"]["gov"].pk
    shjz = next(c for c in gov["columns"] if c["title"] == "社会救助")
    assert shjz["parent"] == portal["columns"]["gov"]["业务工作"].pk
    assert shjz["statutory_basis"] == "21-8"
    orgs = json.loads(client.get("/api/v1/organisations/", **GOV).content)["results"]
    assert {
        "code": "liaobu-hengkeng",
        "name": "寮步镇横坑村",
        "kind": "village",
        "parent": "liaobu",
    } in orgs
    categories = json.loads(client.get("/api/v1/categories/", **GOV).content)["results"]
    assert {"scheme": "info", "code": "guifanxing", "name": "规范性文件"} in categories
    index = json.loads(client.get("/api/v1/", **GOV).content)
    assert index["endpoints"]["items"] == "http://127.0.0.1/api/v1/items/"
