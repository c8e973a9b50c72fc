"""WCAG 2.1 A/AA (axe-core) over the public pages, in the normal and the 长辈版 modes.

Zero serious or critical violations are allowed. Screenshots of what was checked are saved to
var/screenshots/ for a person to look at.
"""

from datetime import date

import pytest
from django.core.files.base import ContentFile

from gongkai.catalogue.cache import ELDER_COOKIE
from gongkai.catalogue.models import DisclosureItem, ItemAttachment

from ..portal_fixtures import build_portal, info_category, publish_item
from .conftest import SCREENSHOTS, ensure_base_data

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}


def make_content(data):
    town, village = data["orgs"]["town"], data["orgs"]["village"]
    cols = data["columns"]["gov"]
    for n in range(1, 24):
        publish_item(
            town,
            [cols["政务动态"]],
            title=f"寮步镇召开第{n}次安全生产工作会议，部署近期重点工作",
            published_date=date(2026, 3, n),
        )
    publish_item(village, [cols["村(居)务公开"]], title="横坑村2026年3月村务公开",
                 published_date=date(2026, 4, 1), category=info_category("cunju"))  # fmt: skip
    old = publish_item(town, [cols["政策文件"]], title="寮步镇村级工程建设管理办法（2019年）",
                       published_date=date(2019, 5, 6), category=info_category("guifanxing"))  # fmt: skip
    return publish_item(
        town,
        [cols["政策文件"], cols["通知公告"]],
        title="寮步镇人民政府关于印发《寮步镇村级工程建设管理办法》的通知",
        summary="规范村级工程建设项目的立项、招投标、施工和验收管理。",
        document_number="寮府〔2026〕12号",
        keywords="村级工程 招投标",
        genre=DisclosureItem.Genre.NOTICE,
        category=info_category("guifanxing"),
        published_date=date(2026, 4, 8),
        effective_from=date(2026, 5, 1),
        replaced_by=None,
        body=(
            "<p>各村（社区）、镇属各单位：</p><p>《寮步镇村级工程建设管理办法》已经镇政府同意，"
            "现印发给你们，请认真贯彻执行。2019年印发的办法同时废止。</p>"
            "<h2>第一章 总则</h2><p>第一条 为规范村级工程建设管理，提高资金使用效益，制定本办法。</p>"
        ),
        attachments=[
            ItemAttachment(title="寮步镇村级工程建设管理办法", size=4096,
                           content_type="application/pdf",
                           file=ContentFile(b"%PDF-1.4\n" + b"0" * 4087, name="banfa.pdf")),
        ],
    ), old  # fmt: skip


def check_page(page, axe_source, url):
    response = page.goto(url)
    assert response is not None
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    return response.status, [
        f"{url}: {v['id']} ({v['impact']}) {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_it_passes_axe_wcag21_aa_on_the_public_pages(live_server, browser, axe_source, elder):
    ensure_base_data()
    data = build_portal()
    item, _old = make_content(data)
    from gongkai.applications.models import ApplicationDesk

    town = data["orgs"]["town"]
    ApplicationDesk.objects.create(organisation=town, prefix="LB")
    gov = live_server.url.replace("localhost", "127.0.0.1")
    enterprise = live_server.url.replace("127.0.0.1", "localhost")
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    if elder:
        context.add_cookies([{"name": ELDER_COOKIE, "value": "1", "url": gov}])
        context.add_cookies([{"name": ELDER_COOKIE, "value": "1", "url": enterprise}])
    page = context.new_page()
    urls = [
        f"{gov}/",
        f"{gov}/zwdt/",
        f"{gov}/zwdt/?page=2",
        f"{gov}/xxgk/items/{item.pk}/",
        f"{gov}/xxgk/items/{item.pk}/print/",
        f"{gov}/xxgk/",
        f"{gov}/xxgk/mulu/",
        f"{gov}/xxgk/mulu/?category=guifanxing",
        f"{gov}/xxgk/zhinan/",
        f"{gov}/xxgk/fdzdgknr/",
        f"{gov}/no-such-page/",
        f"{gov}/zwdt/?page=abc",
        f"{enterprise}/",
        f"{gov}/search/",
        f"{gov}/search/?q=%E5%85%AC%E5%91%8A",
        f"{gov}/apply/",
        f"{gov}/apply/to/{town.code}/",
        f"{gov}/apply/track/",
    ]
    problems = []
    statuses = {}
    for url in urls:
        status, found = check_page(page, axe_source, url)
        statuses[url] = status
        problems.extend(found)
    assert statuses[f"{gov}/no-such-page/"] == 404 and statuses[f"{gov}/zwdt/?page=abc"] == 400
    assert all(s == 200 for u, s in statuses.items() if "no-such" not in u and "abc" not in u)
    assert not problems, "\n".join(problems)

    # What a person sees: saved for review (var/screenshots/, not part of the pass/fail).
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    mode = "elder" if elder else "normal"
    for name, url in [
        ("home", f"{gov}/"),
        ("item", f"{gov}/xxgk/items/{item.pk}/"),
        ("catalogue", f"{gov}/xxgk/mulu/"),
        ("guide", f"{gov}/xxgk/zhinan/"),
    ]:
        page.goto(url)
        page.screenshot(path=str(SCREENSHOTS / f"{mode}-{name}.png"), full_page=True)
    context.close()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_switches_to_elder_mode_with_the_visible_link_and_back(live_server, browser):
    ensure_base_data()
    build_portal()
    gov = live_server.url.replace("localhost", "127.0.0.1")
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{gov}/zwdt/")
    page.get_by_role("link", name="长辈版").click()
    page.wait_for_load_state("load")
    assert page.url == f"{gov}/zwdt/"
    assert page.locator("html").get_attribute("class") == "elder"
    size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 20
    page.get_by_role("link", name="退出长辈版").click()
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("class") is None
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") < 20
    context.close()
