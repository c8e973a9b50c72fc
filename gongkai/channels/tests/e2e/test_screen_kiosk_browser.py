"""The screen in a browser: rotates, picks up new items by itself, and keeps its content with
a discreet offline mark when the server cannot be reached. The kiosk: big targets, pinyin
letters, back to the home screen when left alone."""

import re

import pytest

from gongkai.channels import services

from .conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_screen_rotates_updates_itself_and_survives_the_server_going_away(
    live_server, browser, alice, make_item, screen
):
    screen.config = {"interval_seconds": 3, "poll_seconds": 10}
    screen.save()
    first = make_item("寮步镇政府采购公告", category_name="政府采购")
    second = make_item("寮步镇2026年政府工作要点", category_name="规划计划")
    for item in (first, second):
        services.dispatch_create(actor=alice, item=item, channel=screen)

    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{live_server.url}/channels/screen/plaza/")
    title = page.locator("#screen-title")
    title.wait_for()
    seen = {title.text_content()}
    page.wait_for_function(
        "t => document.getElementById('screen-title').textContent !== t",
        arg=title.text_content(),
        timeout=8000,
    )
    seen.add(title.text_content())
    assert seen == {first.title, second.title}
    assert page.locator("#screen-offline").is_hidden()
    # Beijing date and time, ticking
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日", page.locator("#screen-date").text_content())
    assert re.fullmatch(r"\d{2}:\d{2}:\d{2}", page.locator("#screen-time").text_content())
    screenshot(page, "screen-online")

    # a new item is sent; nobody touches the screen; it shows up at the next poll
    third = make_item("寮步镇社区服务中心装修工程采购公告")
    services.dispatch_create(actor=alice, item=third, channel=screen)
    page.wait_for_function(
        "() => document.getElementById('screen-counter').textContent.endsWith('/ 3')",
        timeout=20000,
    )

    # the server goes away: the screen restarts and still shows the last good feed
    page.route("**/feed.json", lambda route: route.abort())
    page.reload()
    title.wait_for()
    assert title.text_content() in {first.title, second.title, third.title}
    offline = page.locator("#screen-offline")
    offline.wait_for(state="visible")
    assert "离线" in offline.text_content()
    box = offline.bounding_box()
    assert box["height"] < 60  # discreet
    screenshot(page, "screen-offline")
    page.close()


def test_the_kiosk_is_used_by_finger_and_goes_home_when_left_alone(
    live_server, browser, make_item, kiosk
):
    kiosk.config = {"idle_seconds": 15}
    kiosk.save()
    make_item("寮步镇政府采购公告", category_name="政府采购")
    make_item("横坑村村务公开", category_name="村(居)委会")
    page = browser.new_page(viewport={"width": 1080, "height": 1920}, has_touch=True)
    page.goto(f"{live_server.url}/channels/kiosk/{kiosk.slug}/")
    page.wait_for_function(
        "() => document.getElementById('view-home') && !document.getElementById('view-home').hidden"
    )
    page.wait_for_timeout(500)  # data.json

    def small_targets():
        return page.evaluate(
            """() => [...document.querySelectorAll('button')]
                .filter(b => b.offsetParent !== null)
                .map(b => b.getBoundingClientRect())
                .filter(r => r.width < 48 || r.height < 48).length"""
        )

    assert small_targets() == 0
    screenshot(page, "kiosk-home")
    page.tap("[data-action=letters]")
    page.tap("#keys button:text-is('H')")
    assert page.locator("#typed").text_content() == "H"
    rows = page.locator("#letter-results .row .t")
    rows.first.wait_for()
    assert rows.all_text_contents() == ["横坑村村务公开"]
    assert small_targets() == 0
    assert page.locator("#keys button:text-is('Z')").is_disabled()
    screenshot(page, "kiosk-letters")
    rows.first.tap()
    page.locator("#item-body p").first.wait_for()
    assert "第一段" in page.locator("#item-body").text_content()
    # left alone: back to the home screen
    page.wait_for_function("() => !document.getElementById('view-home').hidden", timeout=20000)
    page.close()
