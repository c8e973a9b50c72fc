"""Staff see Wagtail's own admin text in Chinese where Wagtail's zh_Hans catalogues leave it in
English: gongkai/locale_wagtail, kept up to date by scripts/wagtail_zh_missing.py."""

import importlib.util
import json
import re
from pathlib import Path

import polib
from django.conf import settings
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)
SUPPLEMENT = ROOT / "gongkai" / "locale_wagtail" / "zh_Hans" / "LC_MESSAGES"


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_the_empty_snippet_listing_says_so_in_chinese(client, alice, town):
    client.force_login(alice)
    url = reverse("wagtailsnippets_catalogue_disclosureitem:list") + "?status=in_review"
    html = page(client, url)
    assert "没有符合查询条件的政府信息。" in html
    assert "match your query" not in html


def test_the_account_page_shows_the_theme_preferences_in_chinese(client, alice, town):
    client.force_login(alice)
    html = page(client, reverse("wagtailadmin_account"))
    for chinese in ("主题偏好", "后台主题", "对比度", "更高对比度", "密度", "紧凑"):
        assert chinese in html, chinese
    for english in ("Theme preferences", "Admin theme", "More contrast", "Snug"):
        assert english not in html, english


def test_the_keyboard_shortcuts_of_the_dashboard_are_in_chinese(client, alice, town):
    client.force_login(alice)
    html = page(client, reverse("wagtailadmin_home"))
    for chinese in ("显示键盘快捷键", "粘贴为纯文本", "等宽（代码）", "删除线"):
        assert chinese in html, chinese
    for english in ("Show keyboard shortcuts", "Paste without formatting", "Strike-through"):
        assert english not in html, english


def test_the_admin_javascript_catalogue_has_the_missing_strings_in_chinese(client, alice):
    client.force_login(alice)
    response = client.get(reverse("wagtailadmin_javascript_catalog"))
    assert response.status_code == 200
    catalog = json.loads(
        re.search(r"const newcatalog = (\{.*?\});", response.content.decode(), re.S).group(1)
    )
    assert catalog["A network error occurred."] == "发生网络错误。"
    assert catalog["Changes have been autosaved."] == "更改已自动保存。"
    assert catalog["%(num)s error"] == ["%(num)s 个错误"]


def test_the_project_catalogue_still_comes_before_the_wagtail_supplement():
    assert [Path(p) for p in settings.LOCALE_PATHS] == [
        ROOT / "gongkai" / "locale",
        ROOT / "gongkai" / "locale_wagtail",
    ]


def load_script():
    spec = importlib.util.spec_from_file_location(
        "wagtail_zh_missing", ROOT / "scripts" / "wagtail_zh_missing.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_supplement_is_complete_for_the_installed_wagtail(capsys):
    # After a Wagtail upgrade this fails until scripts/wagtail_zh_missing.py has been run and the
    # new entries translated (docs/operator.md).
    assert load_script().main(["--check"]) == 0, capsys.readouterr().out


def test_the_compiled_supplement_matches_its_po_files():
    for domain in ("django", "djangojs"):
        po = polib.pofile(str(SUPPLEMENT / f"{domain}.po"))
        mo = polib.mofile(str(SUPPLEMENT / f"{domain}.mo"))
        compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in mo if e.msgid}
        written = {
            (e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural)
            for e in po.translated_entries()
            if e.msgid
        }
        assert compiled == written, f"{domain}.mo 未重新编译：请运行 make messages"


def test_translations_keep_every_placeholder_and_tag():
    placeholder = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w+\}")
    tag = re.compile(r"</?[a-z]+[^>]*>")
    for domain in ("django", "djangojs"):
        for entry in polib.pofile(str(SUPPLEMENT / f"{domain}.po")):
            source = entry.msgid_plural or entry.msgid
            chinese = entry.msgstr_plural[0] if entry.msgid_plural else entry.msgstr
            assert set(placeholder.findall(chinese)) == set(placeholder.findall(source)), (
                entry.msgid
            )
            assert sorted(tag.findall(chinese)) == sorted(tag.findall(entry.msgid)), entry.msgid
