"""Chinese by default, English on request: the public portal, its page cache, the admin, and
the message catalogues in gongkai/locale that make English possible."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from wagtail.users.models import UserProfile

from gongkai.catalogue import cache
from gongkai.orgs.models import Role

from . import portal_fixtures
from .portal_fixtures import GOV, publish_item

# Fixtures shared by the portal's test modules (see portal_fixtures).
portal = portal_fixtures.portal
clear_portal_cache = portal_fixtures.clear_portal_cache

LOCALE = Path(settings.BASE_DIR) / "gongkai" / "locale"


def text(response) -> str:
    return response.content.decode()


def get(client, path, **extra):
    return client.get(path, **{**GOV, **extra})


# --- the public portal ---------------------------------------------------------------------


@pytest.mark.django_db
def test_it_serves_chinese_when_the_visitor_asks_for_nothing(client, portal):
    body = text(get(client, "/"))
    assert '<html lang="zh-hans"' in body
    for chinese in ["跳到主要内容", "长辈版", ">首页</a>", "网站栏目", "RSS 订阅", "开放数据接口"]:
        assert chinese in body
    assert "Skip to main content" not in body
    # The switch to English is offered, labelled in English, and keeps the current page.
    assert 'href="/language/?language=en&amp;next=%2F"' in body
    assert 'hreflang="en" rel="nofollow">English</a>' in body


@pytest.mark.django_db
def test_a_browser_set_to_english_still_gets_the_chinese_site(client, portal):
    """Only the visitor's choice on the site switches the language, never the browser's."""
    body = text(get(client, "/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"))
    assert '<html lang="zh-hans"' in body and "跳到主要内容" in body
    assert "Skip to main content" not in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "ask",
    [
        {"HTTP_COOKIE": "django_language=en"},
        {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9", "HTTP_COOKIE": "django_language=en"},
    ],
    ids=["cookie", "cookie-beats-browser"],
)
def test_it_serves_the_home_page_in_english_to_who_asks(client, portal, ask):
    body = text(get(client, "/", **ask))
    assert '<html lang="en"' in body
    for english in [
        "Skip to main content",
        "Senior mode",
        ">Home</a>",
        'aria-label="Government Information Disclosure"',
        "RSS feed",
        "Open data API",
    ]:
        assert english in body, english
    for chinese in ["跳到主要内容", ">首页</a>", "RSS 订阅", "开放数据接口"]:
        assert chinese not in body, chinese
    # The content stays as the editors wrote it.
    assert "寮步镇人民政府网" in body


@pytest.mark.django_db
def test_it_shows_an_item_page_in_english(client, portal):
    item = publish_item(
        portal["orgs"]["town"],
        [portal["columns"]["gov"]["通知公告"]],
        document_number="寮府〔2026〕3号",
    )
    path = f"/xxgk/items/{item.pk}/"
    chinese = text(get(client, path))
    assert "索引号" in chinese and "发布机构" in chinese and "Index No." not in chinese
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = text(get(client, path))
    for label in ["Index No.", "Publishing body", "Date of creation", "Document No.", "Validity"]:
        assert f'<th scope="row">{label}</th>' in body, label
    assert "Print this page" in body and "Columns:" in body
    assert item.title in body and "寮府〔2026〕3号" in body and item.index_number in body


@pytest.mark.django_db
def test_it_switches_to_english_and_back_on_the_same_page(client, portal):
    response = get(client, "/language/?language=en&next=/tzgg/")
    assert response.status_code == 302 and response["Location"] == "/tzgg/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    english = text(get(client, "/tzgg/"))
    assert '<html lang="en"' in english and "You are here" in english
    # The way back is labelled in Chinese, whatever the current language.
    assert 'href="/language/?language=zh-hans&amp;next=%2Ftzgg%2F"' in english
    assert 'lang="zh-hans" hreflang="zh-hans" rel="nofollow">中文</a>' in english
    get(client, "/language/?language=zh-hans&next=/tzgg/")
    chinese = text(get(client, "/tzgg/"))
    assert '<html lang="zh-hans"' in chinese and "当前位置" in chinese


@pytest.mark.django_db
def test_it_never_serves_a_cached_page_in_the_other_language(client, portal):
    first = get(client, "/tzgg/")
    assert first["X-Gongkai-Cache"] == "miss" and "当前位置" in text(first)
    assert get(client, "/tzgg/")["X-Gongkai-Cache"] == "hit"

    # The browser's language is not a choice: the Chinese page, from the cache.
    by_browser = get(client, "/tzgg/", HTTP_ACCEPT_LANGUAGE="en")
    assert by_browser["X-Gongkai-Cache"] == "hit" and "当前位置" in text(by_browser)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    by_cookie = get(client, "/tzgg/")
    assert by_cookie["X-Gongkai-Cache"] == "miss" and "You are here" in text(by_cookie)
    assert get(client, "/tzgg/")["X-Gongkai-Cache"] == "hit"

    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    again = get(client, "/tzgg/")
    assert again["X-Gongkai-Cache"] == "hit" and "当前位置" in text(again)
    assert "You are here" not in text(again)
    # The elder mode and the language are independent parts of the key.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.cookies[cache.ELDER_COOKIE] = "1"
    elder = get(client, "/tzgg/")
    assert elder["X-Gongkai-Cache"] == "miss" and "Leave senior mode" in text(elder)


@pytest.mark.django_db
def test_it_answers_a_missing_page_in_the_visitors_language(client, portal):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = get(client, "/no-such-page/")
    assert response.status_code == 404 and "Page not found" in text(response)
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert "页面不存在" in text(get(client, "/no-such-page/"))


# --- the admin -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_shows_the_admin_in_the_language_staff_chose(client, portal, make_user):
    alice = make_user("alice", roles=[(Role.ADMIN, portal["orgs"]["town"])])
    client.force_login(alice)
    chinese = text(client.get("/admin/"))
    assert '<html lang="zh-hans"' in chinese and "控制面板" in chinese
    assert "政府信息公开工作年度报告" in chinese  # the annual report panel (gongkai.reports)

    # Staff choose English in their account settings (Wagtail's own preference).
    account = text(client.get("/admin/account/"))
    assert 'name="locale-preferred_language"' in account and '<option value="en">English' in account
    response = client.post(
        "/admin/account/",
        {
            "name_email-last_name": "林",
            "name_email-first_name": "爱丽",
            "name_email-email": "alice@liaobu.example.gov.cn",
            "locale-preferred_language": "en",
            "locale-current_time_zone": "",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
        },
    )
    assert response.status_code == 302
    profile = UserProfile.get_for_user(alice)
    assert profile.preferred_language == "en"

    english = text(client.get("/admin/"))
    assert '<html lang="en"' in english
    assert "Dashboard" in english  # Wagtail's own catalogue
    assert "Annual Report on Government Information Disclosure" in english
    assert "Confidentiality review" in english and "Disclosure on Application" in english
    assert "政府信息公开工作年度报告" not in english and "控制面板" not in english
    # A user who chose nothing gets Chinese, whatever the browser asks for.
    profile.preferred_language = ""
    profile.save()
    assert '<html lang="zh-hans"' in text(client.get("/admin/"))
    assert '<html lang="zh-hans"' in text(client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en"))


# --- the catalogues ------------------------------------------------------------------------

PLACEHOLDER = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdfr]|%[sdfr]|%%|\{[^{}]*\}|<[^>]+>")


def _unescape(value: str) -> str:
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), value)


def _po_entries(path: Path) -> dict[str, str]:
    """msgid (with its context, as in a .mo: 'ctx\\x04id') -> msgstr, from a .po file."""
    entries, current, field = {}, {}, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("#~"):
            continue
        match = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
        if match:
            field = match.group(1)
            current[field] = _unescape(match.group(2))
        elif line.startswith('"') and field:
            current[field] += _unescape(line[1:-1])
        elif not line.strip() and current:
            if current.get("msgid"):
                key = current["msgid"]
                if "msgctxt" in current:
                    key = f"{current['msgctxt']}\x04{key}"
                entries[key] = current.get("msgstr", current.get("msgstr[0]", ""))
            current, field = {}, None
    return entries


def test_every_message_has_an_english_translation_that_is_compiled():
    po = _po_entries(LOCALE / "en" / "LC_MESSAGES" / "django.po")
    assert len(po) > 1000
    missing = [msgid for msgid, msgstr in po.items() if not msgstr]
    assert missing == [], f"{len(missing)} 条未翻译，例如 {missing[:3]}"
    text_po = (LOCALE / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    flags = re.findall(r"^#,.*$", text_po, re.MULTILINE)
    assert [flag for flag in flags if "fuzzy" in flag] == []
    # The compiled file is what Django reads: it must hold every entry (run `make messages`).
    with (LOCALE / "en" / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    singular = {k if isinstance(k, str) else k[0] for k in compiled if k != ""}
    assert set(po) - {""} <= singular, "django.mo 已过期：请运行 make messages"


def test_every_english_translation_keeps_the_placeholders():
    with (LOCALE / "en" / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    bad = []
    for key, translated in compiled.items():
        # Plural forms are stored under (singular msgid, form number).
        msgid = (key[0] if isinstance(key, tuple) else key).split("\x04")[-1]
        if msgid and sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(translated)):
            bad.append((msgid, translated))
    assert bad == []
    assert any(isinstance(key, tuple) for key in compiled)  # the plural entries were checked


def test_the_chinese_catalogue_leaves_the_source_strings_in_place():
    with (LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert compiled.info()["plural-forms"] == "nplurals=1; plural=0;"
    assert compiled.gettext("政府信息公开") == "政府信息公开"
