"""Where the report's figures come from: the other apps' selectors, and nothing else.

This module only calls them and puts their answers into the report's shape; the rules of
counting (what a case carried over is, which item is in force) stay in the apps that own them.
The one count made here is the per-site count of the 2008 report, which is about the sites'
structure (pages) rather than any app's rules: an item counts once per site it is shown on.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import CharField, Q
from django.db.models.functions import Cast, Substr
from django.utils import timezone

from gongkai.orgs.models import Organisation

from .formats import y2021

# The applications app calls the row of 3.其他 under （六） "other", like its group; the
# report keys them apart.
OUTCOME_ROW_KEY = {"other": "other_other"}
# The appeals app's kinds, in the order of the report's groups (y2021.APPEAL_GROUPS).
APPEAL_KINDS = ["reconsideration", "suit_direct", "suit_after_reconsideration"]


@dataclass(frozen=True)
class Scope:
    organisation: Organisation
    include_subtree: bool
    ids: tuple[int, ...]
    year: int
    # True when `ids` is every organisation: the filter on the owner can then be left out,
    # which lets the database read the year's items by date alone (a city-wide report).
    everything: bool = False


# ---- Catalogue ----------------------------------------------------------------------------


def regulatory(scope: Scope) -> dict:
    from gongkai.catalogue.selectors import regulatory_counts

    counts = regulatory_counts(organisation_ids=list(scope.ids), year=scope.year)
    return {
        kind: {key: int(counts[kind][key]) for key in ("issued", "repealed", "in_force")}
        for kind in ("rule", "normative")
    }


def year_end_instant(year: int) -> datetime:
    """The first instant after the year, in the platform's time zone (Asia/Shanghai)."""
    return datetime(year + 1, 1, 1, tzinfo=timezone.get_default_timezone())


def _public_items_of(scope: Scope):
    """Items published in the year and public at its end.

    An item withdrawn after the year ended was public all through it and still counts: the
    report describes the year, and a locked period must not change when an item is withdrawn
    later for confidentiality (issue #8; withdrawal is never refused).
    """
    from gongkai.catalogue.models import DisclosureItem

    items = DisclosureItem.objects.filter(live=True, published_date__year=scope.year).filter(
        Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=year_end_instant(scope.year))
    )
    if scope.everything:
        return items
    return items.filter(organisation_id__in=list(scope.ids))


def _site_homes():
    """Live site home pages with their 政府信息公开 section (or None) and column ids."""
    from gongkai.catalogue.models import ColumnPage
    from gongkai.catalogue.models.pages import DisclosureSectionPage, SiteHomePage

    homes = list(SiteHomePage.objects.live().order_by("path"))
    sections = {
        page.path[: len(page.path) - page.steplen]: page
        for page in DisclosureSectionPage.objects.all()
    }
    columns = list(ColumnPage.objects.values_list("id", "path"))
    out = []
    for home in homes:
        section = sections.get(home.path)
        out.append(
            {
                "home": home,
                "section": section,
                "columns": [cid for cid, path in columns if path.startswith(home.path)],
                "portal_columns": [cid for cid, path in columns if path.startswith(section.path)]
                if section
                else [],
            }
        )
    return out


def _category_names() -> dict[int, tuple[int, str]]:
    from gongkai.catalogue.models import Category

    return {
        c.pk: (c.sort_order, c.name) for c in Category.objects.filter(scheme=Category.Scheme.INFO)
    }


def _ordered(counts: dict[int, int], names: dict) -> list[tuple[str, int]]:
    return [
        (names[cat][1], n) for cat, n in sorted(counts.items(), key=lambda kv: names[kv[0]]) if n
    ]


def site_figures(scope: Scope) -> dict:
    """Per site: items of the year shown on it, by category and by month; its 政府信息公开
    section's items by category.

    The disclosure portal (信息公开门户网站) of a site is the columns below its 政府信息公开
    section (DisclosureSectionPage). A site whose portal published items in the year is a
    government website, reported under 镇政府网站 with its portal's items by category; any
    other site (e.g. an enterprise-service site, whose columns are outside any section) is
    reported on its own, by category. An item counts once per site however many of its
    columns show it, and `government_total` counts it once however many government sites
    show it.

    One query reads the year's placements (item, column, category, month) — about 90,000 rows
    for a city of a million items — and the per-site sets are made here: a site is a subtree
    of pages, which a GROUP BY cannot express without one query per site.
    """

    homes = _site_homes()
    names = _category_names()
    site_of: dict[int, int] = {}
    portal_of: dict[int, int] = {}
    for index, home in enumerate(homes):
        for cid in home["columns"]:
            site_of.setdefault(cid, index)
        for cid in home["portal_columns"]:
            portal_of.setdefault(cid, index)
    on_site = [dict() for _h in homes]  # item id → (category, month)
    in_portal = [set() for _h in homes]
    # From the item side: one join to the placements (no second look-up of the item), and
    # no filter on the column (an IN list of columns makes SQLite probe the placement index
    # once per column for every item); columns outside any site are skipped below. The month
    # is cut from the ISO date text in SQL, which is cheaper than converting 90,000 dates.
    month = Substr(Cast("published_date", output_field=CharField()), 6, 2)
    rows = (
        _public_items_of(scope)
        .annotate(month=month)
        .values_list("id", "columns", "category_id", "month")
    )
    for item_id, column_id, category_id, month_text in list(rows):
        index = site_of.get(column_id)
        if index is None:
            continue
        on_site[index][item_id] = (category_id, int(month_text))
        if column_id in portal_of:
            in_portal[portal_of[column_id]].add(item_id)
    sites, by_site_months, government = [], {}, set()
    shown: dict[int, tuple[int, int]] = {}  # every item on any site, for the category chart
    for index, home in enumerate(homes):
        items = on_site[index]
        if not items:
            continue
        shown.update(items)
        categories: dict[int, int] = defaultdict(int)
        months = [0] * 12
        for category_id, month in items.values():
            categories[category_id] += 1
            months[month - 1] += 1
        entry = {
            "name": home["home"].title,
            "is_government": bool(in_portal[index]),
            "count": len(items),
            "categories": _ordered(categories, names),
            "portal": None,
        }
        if in_portal[index]:
            government.update(items)
            portal: dict[int, int] = defaultdict(int)
            for item_id in in_portal[index]:
                portal[items[item_id][0]] += 1
            entry["portal"] = {"name": home["section"].title, "categories": _ordered(portal, names)}
        sites.append(entry)
        by_site_months[entry["name"]] = months
    by_category_months: dict[str, list[int]] = {}
    for category_id, month in shown.values():
        name = names[category_id][1]
        by_category_months.setdefault(name, [0] * 12)[month - 1] += 1
    ordered = sorted(by_category_months, key=lambda name: _category_order(names, name))
    return {
        "sites": sites,
        "government_total": len(government),
        "by_site_months": by_site_months,
        "by_category_months": {name: by_category_months[name] for name in ordered},
    }


def _category_order(names: dict, name: str) -> tuple:
    for order, category_name in names.values():
        if category_name == name:
            return (order, name)
    return (10**6, name)


def order_categories(counts: dict[str, int]) -> list[tuple[str, int]]:
    from gongkai.catalogue.models import Category

    order = {
        name: index
        for index, name in enumerate(
            Category.objects.filter(scheme=Category.Scheme.INFO).values_list("name", flat=True)
        )
    }
    return sorted(counts.items(), key=lambda kv: (order.get(kv[0], 10**6), kv[0]))


def monthly(scope: Scope, sites: dict) -> dict:
    """Per month: items on the sites by site, on the other channels by kind, and by category.

    `by_channel` has one series per website (its title), then one per kind of channel (the
    channels app's label, e.g. 电子显示屏).
    """
    by_channel = dict(sites["by_site_months"])
    by_channel.update(channel_months(scope))
    return {"by_channel": by_channel, "by_category": sites["by_category_months"]}


def report_column_for(*, organisation: Organisation):
    """The 年度报告 column (ColumnPage kind="report") of the organisation's own site."""
    from gongkai.catalogue.models import ColumnPage
    from gongkai.catalogue.models.pages import SiteHomePage

    homes = list(SiteHomePage.objects.filter(organisation=organisation).order_by("path"))
    for home in homes:
        column = (
            ColumnPage.objects.filter(path__startswith=home.path, kind=ColumnPage.Kind.REPORT)
            .order_by("path")
            .first()
        )
        if column is not None:
            return column
    return None


# ---- Applications -------------------------------------------------------------------------


def request_table(scope: Scope) -> dict:
    """The section-三 table as {row key: {column key: n}}, group totals added."""
    from gongkai.applications.selectors import application_report_table

    rows = application_report_table(
        organisation=scope.organisation, year=scope.year, include_subtree=scope.include_subtree
    )
    table: dict[str, dict[str, int]] = {}
    for row in rows:
        if row.values is None:
            continue
        key = row.key
        if row.level == 2:
            key = OUTCOME_ROW_KEY.get(key, key)
        table[key] = {col: int(row.values.get(col, 0)) for col in y2021.COLUMN_KEYS}
    for group, _label, subs in y2021.GROUPS:
        if subs:
            table[group] = {
                col: sum(table[sub][col] for sub, _l in subs) for col in y2021.COLUMN_KEYS
            }
    missing = {"new", "carried_in", "results_total", "carried_out", *y2021.OUTCOME_ROW_KEYS} - set(
        table
    )
    if missing:
        raise LookupError(f"applications table lacks rows: {sorted(missing)}")
    return table


def request_summary(scope: Scope, table: dict | None = None) -> dict:
    from gongkai.applications.selectors import replied_on_time_count

    table = table or request_table(scope)
    timing = replied_on_time_count(
        organisation=scope.organisation, year=scope.year, include_subtree=scope.include_subtree
    )
    return {
        "received": table["new"]["total"],
        "carried_in": table["carried_in"]["total"],
        "answered": table["results_total"]["total"],
        "on_time": int(timing["on_time"] or 0),
        "carried_out": table["carried_out"]["total"],
        "outcomes": [
            {"key": group, "label": str(label), "count": table[group]["total"]}
            for group, label, _subs in y2021.GROUPS
        ],
    }


def processing_fees(scope: Scope) -> Decimal:
    from gongkai.applications.selectors import fees_collected

    return Decimal(
        fees_collected(
            organisation=scope.organisation, year=scope.year, include_subtree=scope.include_subtree
        )
    )


# ---- Channels -----------------------------------------------------------------------------

# The order the 2008 report prints the channels in (the seed: screen, newspaper, TV …).
CHANNEL_ORDER = [
    "screen",
    "kiosk",
    "notice_board",
    "newspaper",
    "magazine",
    "tv",
    "new_media",
    "webhook",
]


def channels(scope: Scope) -> dict:
    """Channels other than websites (counted per site above), and the press records."""
    from gongkai.channels.selectors import channel_counts

    counts = channel_counts(organisation_ids=list(scope.ids), year=scope.year)
    rows = [
        row
        for row in counts["channels"]
        if row["kind"] in CHANNEL_ORDER
        and any(
            row[k]
            for k in ("items", "issues", "appearances", "item_broadcasts", "adverts", "posts")
        )
    ]
    rows.sort(key=lambda row: CHANNEL_ORDER.index(row["kind"]))
    out = []
    for row in rows:
        out.append(
            {
                "kind": row["kind"],
                "kind_label": str(row["kind_label"]),
                "name": row["name"],
                "items": int(row["items"]),
                "categories": [
                    {"name": name, "count": int(n)} for name, n in row["by_category"].items()
                ],
                "issues": int(row["issues"]),
                "copies": int(row["copies"]),
                "appearances": int(row["appearances"]),
                "broadcasts": int(row["item_broadcasts"]),
                "adverts": int(row["adverts"]),
                "minutes": int(row["minutes"]),
                "posts": int(row["posts"]),
            }
        )
    press = counts["press"]
    return {
        "channels": out,
        "press": {
            "conferences": [{"title": title} for title in press["conference_titles"]],
            "releases": int(press["releases"]),
            "major_releases": int(press["major_releases"]),
            "outside_articles": int(press["outside_articles"]),
            "articles_by_outlet": {k: int(v) for k, v in press["articles_by_outlet"].items()},
        },
    }


def channel_months(scope: Scope) -> dict[str, list[int]]:
    """Monthly series for the channels other than websites: one line per kind of channel
    (电子显示屏, 触摸屏查询机, 公告栏, 报纸, 杂志, 电视台, 新媒体账号, 接口推送 — the channels
    app's labels), the kinds of section 二's channel table, in its order.

    A kind's line is the sum of its channels' monthly counts (channels.selectors
    .channel_monthly_counts), as the table lists each channel's items; kinds with nothing in
    the year are left out. Websites are drawn per site from the catalogue (site_figures).
    """
    from gongkai.channels.selectors import channel_monthly_counts

    series: dict[str, tuple[str, list[int]]] = {}
    for row in channel_monthly_counts(organisation_ids=list(scope.ids), year=scope.year):
        if row["kind"] not in CHANNEL_ORDER:
            continue
        _label, months = series.setdefault(row["kind"], (row["kind_label"], [0] * 12))
        for index, count in enumerate(row["months"]):
            months[index] += count
    return {
        label: months
        for kind, (label, months) in sorted(
            series.items(), key=lambda kv: CHANNEL_ORDER.index(kv[0])
        )
        if any(months)
    }


# ---- Appeals ------------------------------------------------------------------------------


def appeals(scope: Scope) -> dict:
    """The 15 numbers of section 四: three groups × 结果维持/纠正/其他/尚未审结/总计."""
    from gongkai.appeals.selectors import appeal_report_numbers

    numbers = appeal_report_numbers(
        organisation=scope.organisation, year=scope.year, include_subtree=scope.include_subtree
    )
    return {
        group: {key: int(numbers.groups[kind][key]) for key, _label in y2021.APPEAL_COLUMNS}
        for (group, _label), kind in zip(y2021.APPEAL_GROUPS, APPEAL_KINDS, strict=True)
    }
