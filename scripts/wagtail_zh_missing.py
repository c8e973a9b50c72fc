#!/usr/bin/env python
"""Maintain gongkai's supplementary Chinese catalogue for Wagtail's admin.

Wagtail ships incomplete zh_Hans catalogues, so parts of the admin stay in English. This script
lists, for the installed Wagtail version, every message (msgctxt, msgid and plural forms
included) that Wagtail's English catalogues define but its zh_Hans catalogue leaves missing,
empty or fuzzy, and writes them to gongkai/locale_wagtail/zh_Hans/LC_MESSAGES/<domain>.po.
Translations already in that file are kept, so after a Wagtail upgrade only the new messages are
left to translate (msgstr ""); messages Wagtail now translates itself are dropped.

Only the Wagtail apps in settings.INSTALLED_APPS are covered (--all-apps for every app Wagtail
ships). A message that another installed Wagtail app already translates is filled in with that
translation, so the same English reads the same everywhere.

Usage (from the repository root):
    .venv/bin/python scripts/wagtail_zh_missing.py           # update the .po files
    .venv/bin/python scripts/wagtail_zh_missing.py --check   # exit 1 if out of date or untranslated
then translate the entries with an empty msgstr and run `make messages` to compile.
"""

import argparse
import os
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "gongkai" / "locale_wagtail" / "zh_Hans" / "LC_MESSAGES"
DOMAINS = ("django", "djangojs")
HEADER_COMMENT = (
    "gongkai 为 Wagtail 管理后台补充的简体中文译文：Wagtail 自带的 zh_Hans 目录中缺失、为空\n"
    "或标记为 fuzzy 的条目。由 scripts/wagtail_zh_missing.py 生成和更新，请只填写或修改 msgstr，\n"
    "再运行 make messages 编译。"
)


def wagtail_apps(all_apps):
    """(label, path) of the Wagtail apps whose catalogues count, in INSTALLED_APPS order."""
    import wagtail

    if all_apps:
        base = Path(wagtail.__file__).parent
        found = sorted(p.parent.parent.parent for p in base.glob("**/locale/en/LC_MESSAGES"))
        return [(str(p.relative_to(base.parent)).replace(os.sep, "."), p) for p in found]
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings.dev")
    import django
    from django.apps import apps

    django.setup()
    return [
        (config.name, Path(config.path))
        for config in apps.get_app_configs()
        if config.name == "wagtail" or config.name.startswith("wagtail.")
    ]


def key(entry):
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


def is_translated(entry):
    if entry.obsolete or "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def translation_of(entry):
    """The entry's translation as (msgstr, msgstr_plural) for a one-plural-form language."""
    if entry.msgid_plural:
        return "", {0: entry.msgstr_plural.get(0, "")}
    return entry.msgstr, {}


def load(path):
    return polib.pofile(str(path), wrapwidth=0) if path.exists() else None


def build(domain, apps, existing):
    """The supplementary catalogue for one domain and the number of untranslated entries."""
    catalogues = []  # (label, path, en, zh)
    for label, path in apps:
        en = load(path / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po")
        if en is not None:
            zh = load(path / "locale" / "zh_Hans" / "LC_MESSAGES" / f"{domain}.po")
            catalogues.append((label, path, en, zh))

    # What the installed Wagtail apps already translate (the first app in INSTALLED_APPS wins,
    # as at run time) and their fuzzy suggestions.
    wagtail_done, wagtail_fuzzy = {}, {}
    for _label, _path, _en, zh in catalogues:
        for entry in zh or []:
            if is_translated(entry):
                wagtail_done.setdefault(key(entry), entry)
            elif "fuzzy" in entry.flags and not entry.obsolete:
                wagtail_fuzzy.setdefault(key(entry), entry)

    ours = {key(e): e for e in existing} if existing is not None else {}
    out = polib.POFile(wrapwidth=0)
    out.header = HEADER_COMMENT
    out.metadata = {
        "Project-Id-Version": "gongkai",
        "PO-Revision-Date": "",
        "Last-Translator": "gongkai",
        "Language-Team": "gongkai",
        **(existing.metadata if existing is not None else {}),
        "Language": "zh_Hans",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=1; plural=0;",
    }
    seen = {}
    for label, _path, en, zh in catalogues:
        zh_keys = {key(e) for e in zh or [] if is_translated(e)}
        prefix = label.replace(".", "/")
        for source in en:
            if source.obsolete or not source.msgid or key(source) in zh_keys:
                continue
            where = sorted({f"{prefix}/{file}" for file, _line in source.occurrences})
            if key(source) in seen:  # the same message missing in two apps: one entry
                entry = seen[key(source)]
                entry.occurrences.extend((w, "") for w in where if (w, "") not in entry.occurrences)
                continue
            entry = polib.POEntry(
                msgctxt=source.msgctxt,
                msgid=source.msgid,
                msgid_plural=source.msgid_plural,
                comment=source.comment,
                occurrences=[(w, "") for w in where],
                flags=[f for f in source.flags if f != "fuzzy"],
            )
            previous = ours.get(key(source))
            elsewhere = wagtail_done.get(key(source))
            suggestion = wagtail_fuzzy.get(key(source))
            if previous is not None and (previous.msgstr or any(previous.msgstr_plural.values())):
                entry.msgstr, entry.msgstr_plural = translation_of(previous)
                entry.tcomment = previous.tcomment
                if "fuzzy" in previous.flags:
                    entry.flags.append("fuzzy")
            elif elsewhere is not None:
                entry.msgstr, entry.msgstr_plural = translation_of(elsewhere)
            elif suggestion is not None:
                entry.msgstr, entry.msgstr_plural = translation_of(suggestion)
                entry.flags.append("fuzzy")
            else:
                entry.msgstr, entry.msgstr_plural = translation_of(entry)
            seen[key(source)] = entry
            out.append(entry)
    for entry in out:
        entry.occurrences.sort()
    untranslated = sum(1 for e in out if not is_translated(e))
    return out, untranslated


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if a file is out of date or has untranslated entries",
    )
    parser.add_argument(
        "--all-apps", action="store_true", help="cover every Wagtail app, not only installed ones"
    )
    args = parser.parse_args(argv)

    apps = wagtail_apps(args.all_apps)
    problems = 0
    for domain in DOMAINS:
        path = OUT_DIR / f"{domain}.po"
        existing = load(path)
        catalogue, untranslated = build(domain, apps, existing)
        text = str(catalogue)
        if not text.endswith("\n"):
            text += "\n"
        current = path.read_text(encoding="utf-8") if path.exists() else None
        kept = {key(e) for e in catalogue}
        dropped = sum(1 for e in existing or [] if key(e) not in kept)
        print(
            f"{path.relative_to(ROOT)}: {len(catalogue)} 条，其中未翻译 {untranslated} 条"
            + (f"，已不再需要 {dropped} 条" if dropped else "")
        )
        if args.check:
            if current != text:
                print("  与已安装的 Wagtail 不一致，请运行 scripts/wagtail_zh_missing.py")
                problems += 1
            if untranslated:
                problems += 1
        elif current != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
