"""The kiosk's full-text search in a browser: type or tap a quick word, read marked results,
open one, page on; markup in a title stays text; left alone, the kiosk goes home with the
search box emptied. WCAG 2.1 A/AA (axe-core) over each of these screens, as the public pages'
accessibility test does (gongkai/catalogue/tests/e2e/test_public_accessibility.py)."""

from pathlib import Path

import pytest

from .conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[4] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
BODY = (
    "<p>家庭人均收入低于本镇最低生活保障标准的，可以申请低保。</p><p>办理地点：镇社会事务局。</p>"
)


def axe_problems(page, where: str) -> list[str]:
    """axe-core over the page as it is now (the kiosk is one page; its screens are states)."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    return [
        f"{where}: {v['id']} ({v['impact']}) {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]


def test_the_kiosk_searches_the_full_text_and_forgets_it_when_left_alone(
    live_server, browser, make_item, kiosk
):
    if not AXE.exists():
        pytest.fail(f"没有找到 {AXE}：请在仓库根目录运行 npm ci（make test 会运行）。")
    kiosk.config = {"idle_seconds": 15}
    kiosk.save()
    for n in range(1, 12):
        make_item(
            f"寮步镇第{n}批低保对象公示", category_name="业务工作", summary="名单公示。", body=BODY
        )
    make_item(
        '<img src=x onerror="window.hacked=1">寮步镇低保申请指南',
        category_name="业务工作",
        summary="申请条件和办理地点。",
        body=BODY,
    )
    make_item("寮步镇政府采购公告")

    page = browser.new_page(
        viewport={"width": 1920, "height": 1080}, has_touch=True, locale="zh-CN"
    )
    page.goto(f"{live_server.url}/channels/kiosk/{kiosk.slug}/")
    page.wait_for_function("() => !document.getElementById('view-home').hidden")
    page.wait_for_timeout(500)  # data.json
    problems = axe_problems(page, "home")

    def small_targets():
        return page.evaluate(
            """() => [...document.querySelectorAll('button, input')]
                .filter(b => b.offsetParent !== null)
                .map(b => b.getBoundingClientRect())
                .filter(r => r.width < 48 || r.height < 48).length"""
        )

    assert small_targets() == 0
    topics = page.locator(".topics .topic").all_text_contents()
    assert "低保" in topics and "采购" in topics and "财政" not in topics
    box = page.locator("#search-q").bounding_box()
    assert box["height"] >= 64 and box["width"] >= 600
    assert (
        page.evaluate("parseFloat(getComputedStyle(document.getElementById('search-q')).fontSize)")
        >= 28
    )

    page.fill("#search-q", "低保")
    page.tap(".search-go")
    rows = page.locator("#search-results .row")
    rows.first.wait_for()
    assert rows.count() == 10
    assert page.locator("#search-title").text_content() == "“低保”的检索结果"
    assert page.locator("#search-summary").text_content() == "共 12 条"
    assert page.locator("#search-results mark").first.text_content() == "低保"
    # the title's markup is shown as text, and nothing from it ran or became an element
    titles = page.locator("#search-results .row .t").all_text_contents()
    second = page.locator("#search-pager button:text-is('下一页')")
    assert second.is_enabled()
    assert page.locator("#search-pager").text_content().find("第 1 页，共 2 页") >= 0
    assert small_targets() == 0
    problems += axe_problems(page, "results")
    screenshot(page, "kiosk-search")

    second.tap()
    page.wait_for_function("() => document.querySelectorAll('#search-results .row').length === 2")
    titles += page.locator("#search-results .row .t").all_text_contents()
    assert len(set(titles)) == 12
    assert '<img src=x onerror="window.hacked=1">寮步镇低保申请指南' in titles
    assert page.locator("#search-results img, #search-results script").count() == 0
    assert page.evaluate("() => window.hacked") is None

    # a result opens the kiosk's item view; 返回 comes back to the same page of results
    page.locator("#search-results .row").first.tap()
    page.locator("#item-body p").first.wait_for()
    assert "可以申请低保" in page.locator("#item-body").text_content()
    assert page.locator("#search-area").is_hidden()
    problems += axe_problems(page, "item")
    page.tap("[data-action=back]")
    page.wait_for_function("() => !document.getElementById('view-search').hidden")
    assert page.locator("#search-results .row").count() == 2

    # nothing found: a sentence saying so, and what to try
    page.fill("#search-q", "殡葬改革")
    page.press("#search-q", "Enter")
    page.locator("#search-notices .hint").wait_for()
    assert (
        page.locator("#search-notices .hint").text_content() == "没有找到与“殡葬改革”相关的信息。"
    )
    assert page.locator("#search-suggestions .tip").count() == 1
    problems += axe_problems(page, "no results")

    # a quick word searches at once
    page.tap(".topics .topic:text-is('采购')")
    page.wait_for_function(
        "() => document.getElementById('search-title').textContent === '“采购”的检索结果'"
        " && document.querySelectorAll('#search-results .row').length === 1"
    )
    assert page.input_value("#search-q") == "采购"
    assert not problems, "\n".join(problems)

    # the clear button empties the box
    page.tap("[data-action=clear-search]")
    assert page.input_value("#search-q") == ""
    page.fill("#search-q", "低保")

    # left alone: home, with the box and the results emptied for the next visitor
    page.wait_for_function("() => !document.getElementById('view-home').hidden", timeout=25000)
    assert page.input_value("#search-q") == ""
    assert page.locator("#search-results .row").count() == 0
    page.close()
