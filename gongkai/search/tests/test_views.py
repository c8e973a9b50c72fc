"""The public page and the JSON API."""

import json

import pytest
from django.urls import reverse


@pytest.fixture
def item(publish):
    return publish(
        "关于做好安全生产工作的通知",
        summary="做好汛期安全生产工作。",
        document_number="东府办函〔2012〕53号",
    )


def test_it_shows_results_with_marks_on_the_page(client, item):
    response = client.get(reverse("search:search"), {"q": "安全生产"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<mark>安全生产</mark>" in body
    assert "找到 1 条结果" in body
    assert response["Cache-Control"].startswith("max-age=0")


def test_it_shows_a_form_and_tips_before_searching(client, item):
    response = client.get(reverse("search:search"))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'role="search"' in body and "检索小技巧" in body
    assert "找到" not in body


@pytest.mark.parametrize(
    "params",
    [
        {"q": ""},
        {"q": "\"'<>;--"},
        {"q": "安全" * 200},
        {"q": "安全", "year": "abc", "organisation": "x", "category": "99999", "page": "-1"},
        {"q": "安全", "validity": "nope", "column": "1e9", "scope": "weird"},
        {"q": 'AND OR NOT NEAR * ^ : " ( ) - +'},
    ],
)
def test_it_never_errors_on_bad_parameters(client, item, params):
    response = client.get(reverse("search:search"), params)
    assert response.status_code == 200
    api = client.get(reverse("search:api"), params)
    assert api.status_code == 200
    json.loads(api.content)


def test_it_suggests_links_when_nothing_matches(client, item):
    response = client.get(reverse("search:search"), {"q": "安全生产 飞机场"})
    body = response.content.decode()
    assert "您可以试试" in body
    assert "q=%E5%AE%89%E5%85%A8%E7%94%9F%E4%BA%A7" in body  # ?q=安全生产


def test_it_answers_json(client, item):
    response = client.get(reverse("search:api"), {"q": "东府办函[2012]53号", "per_page": "500"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["total"] == 1 and data["per_page"] == 50
    result = data["results"][0]
    assert result["id"] == item.pk
    assert result["document_number_html"] == "<mark>东府办函〔2012〕53号</mark>"
    assert result["organisation"]["name"] == item.organisation.name
    assert set(data) >= {"query", "total", "page", "num_pages", "results", "suggestions"}


def test_it_filters_in_json_and_reports_bad_values(client, item):
    data = client.get(
        reverse("search:api"), {"q": "安全生产", "year": "2023", "organisation": "bad"}
    ).json()
    assert data["total"] == 0
    assert any("发布机构" in notice for notice in data["notices"])
    data = client.get(
        reverse("search:api"), {"q": "安全生产", "docno": "东府办函(2012)53号"}
    ).json()
    assert [r["id"] for r in data["results"]] == [item.pk]


def test_it_searches_with_debug_on_as_make_run_does(client, item, settings):
    # DEBUG makes Django format every SQL statement for its query log; the backends' raw SQL
    # must use Django's %s placeholders for that to work (make run serves with DEBUG on).
    settings.DEBUG = True
    response = client.get(reverse("search:search"), {"q": "安全生产"})
    assert response.status_code == 200
    assert "<mark>安全生产</mark>" in response.content.decode()


def test_a_quoted_query_is_shown_with_nested_quotes(client, item):
    # Chinese nests quotation marks: “‘安全生产’ 飞机场”, not ““安全生产” 飞机场”.
    response = client.get(reverse("search:search"), {"q": "“安全生产” 飞机场"})
    body = response.content.decode()
    assert "<title>“‘安全生产’ 飞机场”的检索结果" in body
    assert "没有找到与“‘安全生产’ 飞机场”相符的信息。" in body
    assert "““" not in body and "””" not in body
    found = client.get(reverse("search:search"), {"q": '"安全生产"'}).content.decode()
    assert "<title>“‘安全生产’”的检索结果" in found and "<mark>安全生产</mark>" in found


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("安全生产", "安全生产"),
        ("“消防工作”", "‘消防工作’"),
        ('"消防工作" "通知"', "‘消防工作’ ‘通知’"),
        ("“防汛” 工作", "‘防汛’ 工作"),
    ],
)
def test_nested_quotes(query, shown):
    from gongkai.search.selectors import nested_quotes

    assert nested_quotes(query) == shown
