"""Browser journeys: headless Debian Chromium driven by Playwright, against live_server.

Playwright's sync API runs an event loop in this thread; Django refuses database access from
a thread with a running loop unless told it is safe (it is: the loop only drives the browser).
"""

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO = Path(__file__).resolve().parents[4]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "var" / "screenshots"


def ensure_base_data():
    """The rows migrations make (Wagtail's root page and locale, the seeded categories).

    A transactional test empties every table when it ends; serialized_rollback should put
    the migrations' rows back, but does not reliably when other test modules ran before in
    the same process, so the tests make sure of them here.
    """
    import importlib

    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Locale, Page

    Locale.objects.get_or_create(language_code="zh-hans")
    if Page.get_first_root_node() is None:
        Page.add_root(
            instance=Page(
                title="Root", slug="root", content_type=ContentType.objects.get_for_model(Page)
            )
        )
    importlib.import_module("gongkai.catalogue.migrations.0002_seed_categories").seed(apps, None)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"没有找到 {CHROMIUM}：请安装 Debian 的 chromium 软件包（make test 会安装）。")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"没有找到 {AXE}：请在仓库根目录运行 npm ci（make test 会运行）。")
    return AXE.read_text(encoding="utf-8")
