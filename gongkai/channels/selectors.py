"""Reads for channels: what a screen or kiosk shows, what an editor may pick, and the yearly
counts per channel for the annual report (seed 二)."""

from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from gongkai.catalogue.models import ColumnPage, DisclosureItem
from gongkai.orgs.selectors import organisation_ancestors, organisation_subtree_ids
from gongkai.review.clearance import LIVE_REVISION_CLEARED

from .models import (
    Broadcast,
    Channel,
    Delivery,
    Issue,
    IssueAppearance,
    NewsRelease,
    NoticePrint,
    OutsideArticle,
    Post,
    PressConference,
)
from .pinyin import initials_match, title_initials
from .printing import item_body_paragraphs

# The rule of services.item_is_cleared_for_channels as a query, for lists (screens, kiosks,
# pickers). The two must say the same; tests/test_gate.py checks that they do.
CLEARED = (
    Q(
        live=True,
        withdrawn_at__isnull=True,
        live_revision__isnull=False,
        has_unpublished_changes=False,
        disclosure_mode=DisclosureItem.DisclosureMode.PROACTIVE,
    )
    & LIVE_REVISION_CLEARED
)


def items_cleared_for_channels() -> QuerySet[DisclosureItem]:
    return DisclosureItem.objects.filter(CLEARED)


def items_cleared_in_channel_tree(*, channel: Channel) -> QuerySet[DisclosureItem]:
    """Cleared items of the channel's organisation and the organisations below it."""
    org_ids = organisation_subtree_ids(organisations=[channel.organisation_id])
    return items_cleared_for_channels().filter(organisation_id__in=org_ids)


# --- items ----------------------------------------------------------------------------------


def public_root_url() -> str:
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    root = site.root_url if site else settings.WAGTAILADMIN_BASE_URL
    return root.rstrip("/")


def item_public_url(*, item: DisclosureItem, root: str | None = None) -> str:
    """The item's public address: its own page when the catalogue has one, else its column."""
    getter = getattr(item, "get_absolute_url", None)
    path = ""
    if callable(getter):
        try:
            path = getter() or ""
        except Exception:  # the catalogue's public pages may not be routed on this install
            path = ""
    if path.startswith(("http://", "https://")):
        return path
    if path:
        return (root if root is not None else public_root_url()) + path
    column = next(iter(item.columns.all()), None)
    if column is not None:
        return column.get_full_url() or ""
    return ""


def item_as_dict(*, item: DisclosureItem, root: str | None = None) -> dict:
    published = item.published_on
    return {
        "id": item.pk,
        "index_number": item.index_number or "",
        "title": item.title,
        "summary": item.summary,
        "document_number": item.document_number,
        "category": item.category.name if item.category_id else "",
        "publisher": item.publisher_name,
        "published_date": published.isoformat() if published else None,
        "url": item_public_url(item=item, root=root),
    }


def channels_for_item(*, item: DisclosureItem) -> QuerySet[Channel]:
    """Active channels that may carry the item: its organisation's and its ancestors'."""
    owners = [
        item.organisation_id,
        *(o.pk for o in organisation_ancestors(organisation=item.organisation)),
    ]
    return (
        Channel.objects.filter(organisation_id__in=owners, active=True)
        .select_related("organisation")
        .order_by("sort_order", "kind", "id")
    )


def item_deliveries(*, item: DisclosureItem) -> QuerySet[Delivery]:
    return (
        Delivery.objects.filter(item=item)
        .select_related("channel", "requested_by")
        .order_by("-created_at", "-id")
    )


# --- screens and kiosks ---------------------------------------------------------------------


def channel_items_on_show(*, channel: Channel, days: int, limit: int, now=None):
    """Cleared items sent to this channel within `days`, most recently sent first."""
    now = now or timezone.now()
    sent_here = Q(
        deliveries__channel=channel,
        deliveries__status=Delivery.Status.SENT,
    )
    return (
        items_cleared_for_channels()
        .annotate(last_sent=Max("deliveries__sent_at", filter=sent_here))
        .filter(last_sent__gte=now - timedelta(days=days))
        .select_related("category", "organisation")
        .prefetch_related("columns")
        .order_by("-last_sent", "-id")[:limit]
    )


def screen_feed(*, channel: Channel, now=None) -> dict:
    """What a screen shows, as JSON for our page and for third-party screen controllers."""
    now = now or timezone.now()
    root = public_root_url()
    items = channel_items_on_show(
        channel=channel,
        days=channel.option("days_shown"),
        limit=channel.option("max_items"),
        now=now,
    )
    return {
        "channel": {"name": channel.name, "slug": channel.slug},
        "generated_at": timezone.localtime(now).isoformat(),
        "interval_seconds": channel.option("interval_seconds"),
        "poll_seconds": channel.option("poll_seconds"),
        "items": [item_as_dict(item=item, root=root) for item in items],
    }


def kiosk_data(*, channel: Channel) -> dict:
    """The kiosk's whole catalogue in one small document: browsed and filtered on the device."""
    items = list(
        items_cleared_in_channel_tree(channel=channel)
        .select_related("category", "organisation")
        .order_by("-published_date", "-id")[: channel.option("max_items")]
    )
    ids = [i.pk for i in items]
    featured = {i.pk for i in channel_items_on_show(channel=channel, days=3650, limit=50)}
    through = DisclosureItem.columns.through
    columns_of = defaultdict(list)
    column_titles = {}
    for row in through.objects.filter(disclosureitem_id__in=ids, columnpage__live=True).values(
        "disclosureitem_id", "columnpage_id", "columnpage__title"
    ):
        columns_of[row["disclosureitem_id"]].append(row["columnpage_id"])
        column_titles[row["columnpage_id"]] = row["columnpage__title"]
    categories = {}
    rows = []
    for item in items:
        initials = title_initials(item.title)
        published = item.published_on
        if item.category_id not in categories:
            categories[item.category_id] = {
                "id": item.category_id,
                "name": item.category.name,
                "sort": item.category.sort_order,
                "count": 0,
            }
        categories[item.category_id]["count"] += 1
        rows.append(
            {
                "id": item.pk,
                "title": item.title,
                "initials": initials,
                "letter": initials[:1] or "#",
                "category_id": item.category_id,
                "category": item.category.name,
                "columns": columns_of.get(item.pk, []),
                "publisher": item.publisher_name,
                "published_date": published.isoformat() if published else None,
                "index_number": item.index_number or "",
                "document_number": item.document_number,
                "summary": item.summary,
                "featured": item.pk in featured,
            }
        )
    column_counts = defaultdict(int)
    for row in rows:
        for column_id in row["columns"]:
            column_counts[column_id] += 1
    return {
        "channel": {"name": channel.name, "slug": channel.slug},
        "idle_seconds": channel.option("idle_seconds"),
        "generated_at": timezone.localtime().isoformat(),
        "categories": sorted(categories.values(), key=lambda c: (c["sort"], c["id"])),
        "columns": sorted(
            (
                {"id": cid, "name": column_titles[cid], "count": n}
                for cid, n in column_counts.items()
            ),
            key=lambda c: (-c["count"], c["name"]),
        ),
        "letters": sorted({row["letter"] for row in rows if row["letter"] != "#"}),
        "items": rows,
    }


def kiosk_filter(
    rows: list[dict],
    *,
    letters: str = "",
    category_id: int | None = None,
    column_id: int | None = None,
) -> list[dict]:
    """The kiosk's filters (the page's JavaScript applies the same rules on the device)."""
    return [
        row
        for row in rows
        if (not letters or initials_match(row["initials"], letters))
        and (category_id is None or row["category_id"] == category_id)
        and (column_id is None or column_id in row["columns"])
    ]


def kiosk_item(*, channel: Channel, item_id: int) -> dict | None:
    item = (
        items_cleared_in_channel_tree(channel=channel)
        .filter(pk=item_id)
        .select_related("category", "organisation")
        .first()
    )
    if item is None:
        return None
    data = item_as_dict(item=item)
    data["paragraphs"] = item_body_paragraphs(item)
    return data


# --- editors' pickers and logs --------------------------------------------------------------


def issue_candidates(*, channel: Channel, days: int = 120) -> list[DisclosureItem]:
    """Cleared items an editor may put in an issue: those sent to this paper and not yet
    printed come first, then the organisation tree's recent items."""
    since = timezone.localdate() - timedelta(days=days)
    printed = IssueAppearance.objects.filter(issue__channel=channel).values("item_id")
    waiting = Q(deliveries__channel=channel, deliveries__status=Delivery.Status.SENT) & ~Q(
        pk__in=printed
    )
    return list(
        items_cleared_in_channel_tree(channel=channel)
        .filter(waiting | Q(published_date__gte=since))
        .annotate(waiting=Count("deliveries", filter=waiting))
        .select_related("category", "organisation")
        .order_by("-waiting", "-published_date", "-id")
        .distinct()[:300]
    )


def cleared_items_for_channel(*, channel: Channel, days: int = 120) -> QuerySet[DisclosureItem]:
    """Recent cleared items of the channel's tree, for pickers (the TV log's item list)."""
    since = timezone.localdate() - timedelta(days=days)
    return (
        items_cleared_in_channel_tree(channel=channel)
        .filter(published_date__gte=since)
        .order_by("-published_date", "-id")
    )


def issue_next_number(*, channel: Channel, year: int) -> int:
    last = Issue.objects.filter(channel=channel, date__year=year).aggregate(n=Max("number"))["n"]
    return (last or 0) + 1


def year_range(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_default_timezone()
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


def broadcast_totals(broadcasts) -> dict[int, dict]:
    """Per TV channel: item broadcasts, adverts and their minutes (one grouped query)."""
    totals = defaultdict(
        lambda: {"item_broadcasts": 0, "adverts": 0, "item_seconds": 0, "advert_seconds": 0}
    )
    for value in broadcasts.values("channel_id", "kind").annotate(
        n=Count("id"), seconds=Sum("duration_seconds")
    ):
        row = totals[value["channel_id"]]
        if value["kind"] == Broadcast.Kind.ITEM:
            row["item_broadcasts"], row["item_seconds"] = value["n"], value["seconds"] or 0
        else:
            row["adverts"], row["advert_seconds"] = value["n"], value["seconds"] or 0
    for row in totals.values():
        row["item_minutes"] = _minutes(row["item_seconds"])
        row["advert_minutes"] = _minutes(row["advert_seconds"])
        row["minutes"] = _minutes(row["item_seconds"] + row["advert_seconds"])
    return totals


def tv_totals(*, channel: Channel, year: int) -> dict:
    start, end = year_range(year)
    totals = broadcast_totals(
        Broadcast.objects.filter(channel=channel, aired_at__gte=start, aired_at__lt=end)
    ).get(channel.pk, {})
    return {key: totals.get(key, 0) for key in ("item_broadcasts", "adverts", "minutes")}


def _minutes(seconds: int) -> int:
    # Whole minutes, rounded half up, as the report prints them.
    return (seconds + 30) // 60


# --- yearly counts --------------------------------------------------------------------------


def _channel_row(channel: Channel) -> dict:
    return {
        "id": channel.pk,
        "name": channel.name,
        "kind": channel.kind,
        "kind_label": str(Channel.Kind(channel.kind).label),
        "organisation_id": channel.organisation_id,
        "items": 0,
        "by_category": {},
        "issues": 0,
        "copies": 0,
        "appearances": 0,
        "item_broadcasts": 0,
        "adverts": 0,
        "minutes": 0,
        "item_minutes": 0,
        "advert_minutes": 0,
        "posts": 0,
        "notices_printed": 0,
    }


def _add_categories(rows: dict, values, *, channel: str = "channel_id") -> None:
    """Add `values` rows (channel, item__category__name, items) to the per-channel counts."""
    for value in values:
        row = rows[value[channel]]
        name = value["item__category__name"] or ""
        row["by_category"][name] = row["by_category"].get(name, 0) + value["items"]
        row["items"] += value["items"]


def _distinct_items_by_category(queryset, *, channel: str = "channel_id"):
    return queryset.values(channel, "item__category__name").annotate(
        items=Count("item_id", distinct=True)
    )


def channel_counts(*, organisation_ids, year: int) -> dict:
    """Per channel of these organisations, what went out in `year`; and the press records.

    "Items" are distinct items, by their 信息类别: for a screen, kiosk, notice board or webhook,
    items sent; for a website, items published in its column (and the columns below it); for a
    paper, items printed; for TV, items broadcast; for a new-media account, items posted.
    Every figure is one SQL aggregate over the records, never a number typed in.
    """
    org_ids = list(organisation_ids)
    start, end = year_range(year)
    channels = list(
        Channel.objects.filter(organisation_id__in=org_ids)
        .select_related("column")
        .order_by("organisation_id", "sort_order", "kind", "id")
    )
    rows = {c.pk: _channel_row(c) for c in channels}
    by_kind = defaultdict(list)
    for channel in channels:
        by_kind[channel.kind].append(channel)

    delivered_kinds = [
        Channel.Kind.SCREEN,
        Channel.Kind.KIOSK,
        Channel.Kind.NOTICE_BOARD,
        Channel.Kind.WEBHOOK,
    ]
    delivered = [c.pk for k in delivered_kinds for c in by_kind[k]]
    delivered += [c.pk for c in by_kind[Channel.Kind.WEBSITE] if c.column_id is None]
    _add_categories(
        rows,
        _distinct_items_by_category(
            Delivery.objects.filter(
                channel_id__in=delivered,
                status=Delivery.Status.SENT,
                sent_at__gte=start,
                sent_at__lt=end,
            )
        ),
    )

    for channel in by_kind[Channel.Kind.WEBSITE]:
        if channel.column_id is None:
            continue
        subtree = ColumnPage.objects.filter(path__startswith=channel.column.path)
        website_items = DisclosureItem.objects.filter(
            columns__in=subtree,
            published_date__gte=start.date(),
            published_date__lt=end.date(),
            live=True,
        ).filter(
            # As the item stood at the year's end: one withdrawn later was published that year.
            Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=end)
        )
        _add_categories(
            rows,
            (
                {
                    "channel_id": channel.pk,
                    "item__category__name": value["category__name"],
                    "items": value["items"],
                }
                for value in website_items.values("category__name").annotate(
                    items=Count("id", distinct=True)
                )
            ),
        )

    papers = [c.pk for k in (Channel.Kind.NEWSPAPER, Channel.Kind.MAGAZINE) for c in by_kind[k]]
    for value in (
        Issue.objects.filter(channel_id__in=papers, date__year=year)
        .values("channel_id")
        .annotate(issues=Count("id"), copies=Sum("copies"))
    ):
        rows[value["channel_id"]]["issues"] = value["issues"]
        rows[value["channel_id"]]["copies"] = value["copies"] or 0
    appearances = IssueAppearance.objects.filter(
        issue__channel_id__in=papers, issue__date__year=year
    )
    for value in appearances.values("issue__channel_id").annotate(n=Count("id")):
        rows[value["issue__channel_id"]]["appearances"] = value["n"]
    _add_categories(
        rows,
        _distinct_items_by_category(appearances, channel="issue__channel_id"),
        channel="issue__channel_id",
    )

    tv = [c.pk for c in by_kind[Channel.Kind.TV]]
    broadcasts = Broadcast.objects.filter(channel_id__in=tv, aired_at__gte=start, aired_at__lt=end)
    for channel_id, totals in broadcast_totals(broadcasts).items():
        for key in (
            "item_broadcasts",
            "adverts",
            "minutes",
            "item_minutes",
            "advert_minutes",
        ):
            rows[channel_id][key] = totals[key]
    _add_categories(rows, _distinct_items_by_category(broadcasts.filter(kind=Broadcast.Kind.ITEM)))

    accounts = [c.pk for c in by_kind[Channel.Kind.NEW_MEDIA]]
    posted = Post.objects.filter(
        channel_id__in=accounts,
        status=Post.Status.POSTED,
        posted_at__gte=start,
        posted_at__lt=end,
    )
    for value in posted.values("channel_id").annotate(n=Count("id")):
        rows[value["channel_id"]]["posts"] = value["n"]
    _add_categories(rows, _distinct_items_by_category(posted))

    for value in (
        NoticePrint.objects.filter(channel_id__in=rows, printed_at__gte=start, printed_at__lt=end)
        .values("channel_id")
        .annotate(n=Sum("copies"))
    ):
        rows[value["channel_id"]]["notices_printed"] = value["n"] or 0

    for row in rows.values():
        row["by_category"] = dict(
            sorted(row["by_category"].items(), key=lambda kv: (-kv[1], kv[0]))
        )
    return {
        "year": year,
        "channels": [rows[c.pk] for c in channels],
        "press": press_counts(organisation_ids=org_ids, year=year),
    }


def _months_of(values, rows: dict, *, channel: str = "channel_id") -> None:
    for value in values:
        if value["month"]:
            rows[value[channel]]["months"][value["month"] - 1] += value["items"]


def channel_monthly_counts(*, organisation_ids, year: int) -> list[dict]:
    """Per channel of these organisations, the items that went out in each month of `year`.

    The monthly view of channel_counts, by the same records: items sent to a screen, kiosk,
    notice board, webhook or column-less website (Delivery.sent_at); printed in a paper's
    issues (the issue's date); broadcast on TV (Broadcast.aired_at, items only, not adverts);
    posted on a new-media account (Post.posted_at). Each month counts distinct items, so an
    item sent twice in March is one, and one sent in March and in May is one in each. Months
    are in the platform's time zone (Asia/Shanghai). Websites with a column are counted from
    the catalogue by the reports app (per site) and have no series here.

    Returns [{"id", "name", "kind", "kind_label", "organisation_id", "months": [12 ints]}]
    in the channels' order; at most five queries (the channels, then one GROUP BY per kind).
    """
    org_ids = list(organisation_ids)
    start, end = year_range(year)
    channels = list(
        Channel.objects.filter(organisation_id__in=org_ids).order_by(
            "organisation_id", "sort_order", "kind", "id"
        )
    )
    rows = {
        c.pk: {
            "id": c.pk,
            "name": c.name,
            "kind": c.kind,
            "kind_label": str(Channel.Kind(c.kind).label),
            "organisation_id": c.organisation_id,
            "months": [0] * 12,
        }
        for c in channels
    }
    by_kind = defaultdict(list)
    for channel in channels:
        by_kind[channel.kind].append(channel.pk)
    distinct_items = Count("item_id", distinct=True)

    delivered = [
        *by_kind[Channel.Kind.SCREEN],
        *by_kind[Channel.Kind.KIOSK],
        *by_kind[Channel.Kind.NOTICE_BOARD],
        *by_kind[Channel.Kind.WEBHOOK],
        *(c.pk for c in channels if c.kind == Channel.Kind.WEBSITE and c.column_id is None),
    ]
    if delivered:
        _months_of(
            Delivery.objects.filter(
                channel_id__in=delivered,
                status=Delivery.Status.SENT,
                sent_at__gte=start,
                sent_at__lt=end,
            )
            .annotate(month=ExtractMonth("sent_at", tzinfo=start.tzinfo))
            .values("channel_id", "month")
            .annotate(items=distinct_items)
            .order_by(),
            rows,
        )
    papers = [*by_kind[Channel.Kind.NEWSPAPER], *by_kind[Channel.Kind.MAGAZINE]]
    if papers:
        _months_of(
            IssueAppearance.objects.filter(issue__channel_id__in=papers, issue__date__year=year)
            .annotate(month=ExtractMonth("issue__date"))
            .values("issue__channel_id", "month")
            .annotate(items=distinct_items)
            .order_by(),
            rows,
            channel="issue__channel_id",
        )
    if by_kind[Channel.Kind.TV]:
        _months_of(
            Broadcast.objects.filter(
                channel_id__in=by_kind[Channel.Kind.TV],
                kind=Broadcast.Kind.ITEM,
                aired_at__gte=start,
                aired_at__lt=end,
            )
            .annotate(month=ExtractMonth("aired_at", tzinfo=start.tzinfo))
            .values("channel_id", "month")
            .annotate(items=distinct_items)
            .order_by(),
            rows,
        )
    if by_kind[Channel.Kind.NEW_MEDIA]:
        _months_of(
            Post.objects.filter(
                channel_id__in=by_kind[Channel.Kind.NEW_MEDIA],
                status=Post.Status.POSTED,
                posted_at__gte=start,
                posted_at__lt=end,
            )
            .annotate(month=ExtractMonth("posted_at", tzinfo=start.tzinfo))
            .values("channel_id", "month")
            .annotate(items=distinct_items)
            .order_by(),
            rows,
        )
    return [rows[c.pk] for c in channels]


def press_counts(*, organisation_ids, year: int) -> dict:
    """Seed 二(六): conferences (named), news releases (major ones counted apart), and the
    articles placed in outside media, by outlet."""
    org_ids = list(organisation_ids)
    conferences = list(
        PressConference.objects.filter(organisation_id__in=org_ids, held_on__year=year)
        .order_by("held_on", "id")
        .values_list("title", flat=True)
    )
    releases = NewsRelease.objects.filter(
        organisation_id__in=org_ids, released_on__year=year
    ).aggregate(all=Count("id"), major=Count("id", filter=Q(is_major=True)))
    outlets = {
        row["outlet"]: row["n"]
        for row in OutsideArticle.objects.filter(
            organisation_id__in=org_ids, published_on__year=year
        )
        .values("outlet")
        .annotate(n=Count("id"))
        .order_by("-n", "outlet")
    }
    return {
        "conferences": len(conferences),
        "conference_titles": conferences,
        "releases": releases["all"],
        "major_releases": releases["major"],
        "outside_articles": sum(outlets.values()),
        "articles_by_outlet": outlets,
    }


# --- the kiosk's full-text search (issue #7) ------------------------------------------------

KIOSK_SEARCH_PER_PAGE = 10
# Hits are read from the search in batches and the ones the kiosk may not show are dropped (an
# item public on the website but not cleared for channels: changed since its review, or not
# 主动公开). A batch of several kiosk pages means one search per page when nothing is dropped.
KIOSK_SEARCH_BATCH = 50
KIOSK_SEARCH_MAX_PAGE = 1000


def _kiosk_search_row(*, hit=None, item=None) -> dict:
    """An item as the kiosk's list and detail view read it (the keys of kiosk_data's rows),
    with the search's marked title and snippet when it is a hit."""
    from django.utils.html import escape

    item = hit.item if hit is not None else item
    published = item.published_on
    return {
        "id": item.pk,
        "title": item.title,
        "title_html": str(hit.title_html) if hit is not None else str(escape(item.title)),
        "snippet_html": str(hit.snippet_html or "") if hit is not None else "",
        "matched_in": hit.matched_in if hit is not None else "",
        "category": item.category.name if item.category_id else "",
        "publisher": item.publisher_name,
        "published_date": published.isoformat() if published else None,
        "index_number": item.index_number or "",
        "document_number": item.document_number,
        "summary": item.summary,
    }


def kiosk_search(
    *, channel: Channel, query: str, page: int = 1, per_page: int = KIOSK_SEARCH_PER_PAGE
) -> dict:
    """Full-text search over exactly what this kiosk shows: the cleared items of its
    organisation and the organisations below it (the rule of kiosk_data and kiosk_item).

    Whatever was typed, the answer is a page of hits or an empty page with a hint in Chinese
    (`hint`), never an exception: the search app cleans the text (gongkai.search.query).
    """
    import math

    from django.utils.translation import gettext as _

    from gongkai.search.query import parse
    from gongkai.search.selectors import search_items

    page = min(max(1, int(page)), KIOSK_SEARCH_MAX_PAGE)
    per_page = max(1, min(int(per_page), KIOSK_SEARCH_BATCH))
    parsed = parse(query)
    if parsed.is_empty:
        # Nothing to search for (empty, punctuation, only -excluded words). search_items would
        # list the whole scope newest first, as it does for filters without words; the kiosk
        # has browsing for that and says instead what to type.
        return {
            "query": parsed.text,
            "page": 1,
            "per_page": per_page,
            "num_pages": 0,
            "total": 0,
            "total_is_estimate": False,
            "has_previous": False,
            "has_next": False,
            "items": [],
            "suggestions": [],
            "notices": parsed.notices,
            "hint": _(
                "检索词中没有可以检索的文字（只有标点或符号），请换个说法，或点下面的常用词。"
            )
            if parsed.text
            else _("请输入要查找的词语，或点下面的常用词。"),
        }
    need = page * per_page + 1  # one more than this page says whether there is a next one
    scope = {"organisation": channel.organisation_id}
    shown_here = items_cleared_in_channel_tree(channel=channel)
    kept, dropped, batch, first, results = [], 0, 1, None, None
    while True:
        results = search_items(query=query, filters=scope, page=batch, per_page=KIOSK_SEARCH_BATCH)
        first = first or results
        allowed = set(
            shown_here.filter(pk__in=[hit.item.pk for hit in results.hits]).values_list(
                "pk", flat=True
            )
        )
        for hit in results.hits:
            if hit.item.pk in allowed:
                kept.append(hit)
            else:
                dropped += 1
        if len(kept) >= need or not results.has_next:
            break
        batch += 1
    exhausted = not results.has_next
    if exhausted and not results.total_is_estimate:
        total, estimate = len(kept), False
    else:
        total = max(len(kept), results.total - dropped)
        estimate = results.total_is_estimate or dropped > 0
    notices = list(dict.fromkeys(first.notices))
    if first.capped_at is not None:
        # The search page's notice suggests its filters; the kiosk has none.
        count = {"count": first.capped_at}
        generic = (
            _("结果较多，只列出最相关的前%(count)d条；可以增加检索词或使用筛选条件缩小范围。")
            % count
        )
        notices = [n for n in notices if n != generic] + [
            _("结果较多，只列出最相关的前%(count)d条；可以增加检索词缩小范围。") % count
        ]
    last_page = max(1, math.ceil(len(kept) / per_page)) if exhausted else page
    if page > last_page:
        notices.append(_("没有这一页，已显示最后一页。"))
        page = last_page
    window = kept[(page - 1) * per_page : page * per_page]
    # Only the best-ranked candidates can be paged to (the search's cap, 400 by default).
    reachable = len(kept) if exhausted else min(total, results.num_pages * KIOSK_SEARCH_BATCH)
    num_pages = math.ceil(reachable / per_page) if reachable else 0
    hint = ""
    suggestions = []
    if not kept:
        hint = _("没有找到与“%(query)s”相关的信息。") % {"query": first.query}
        suggestions = _kiosk_search_suggestions(first.suggestions, shown_here=shown_here)
    return {
        "query": first.query,
        "page": page,
        "per_page": per_page,
        "num_pages": max(num_pages, page if window else 0),
        "total": total,
        "total_is_estimate": estimate,
        "has_previous": page > 1,
        "has_next": len(kept) > page * per_page,
        "items": [_kiosk_search_row(hit=hit) for hit in window],
        "suggestions": suggestions,
        "notices": notices,
        "hint": hint,
    }


def _kiosk_search_suggestions(suggestions, *, shown_here) -> list[dict]:
    """The search's suggestions the kiosk can act on: fewer words, and similar titles that the
    kiosk itself shows. Widening the search beyond the kiosk's own items is not offered."""
    from django.utils.translation import gettext as _

    similar_ids = [s.item.pk for s in suggestions if s.kind == "similar_title" and s.item]
    similar = {
        item.pk: item
        for item in shown_here.filter(pk__in=similar_ids).select_related("category", "organisation")
    }
    out = []
    for suggestion in suggestions:
        if suggestion.kind == "fewer_words" and suggestion.query:
            out.append(
                {"kind": "fewer_words", "label": suggestion.label, "query": suggestion.query}
            )
        elif suggestion.kind == "similar_title" and suggestion.item:
            item = similar.get(suggestion.item.pk)
            if item is not None:
                row = _kiosk_search_row(item=item)
                out.append({"kind": "similar_title", "label": item.title, "item": row})
    out.append(
        {
            "kind": "tip",
            "label": _(
                "检查错别字，换一个更常用的说法，或减少检索词；也可以按信息类别、栏目浏览。"
            ),
        }
    )
    return out


def kiosk_search_topics(*, channel: Channel) -> list[str]:
    """The kiosk's quick-search words (option `topics`) that find something on this kiosk:
    a button that leads to "nothing found" is no help in a lobby."""
    from .options import kiosk_topics

    return [
        word
        for word in kiosk_topics(channel.option("topics"))
        if kiosk_search(channel=channel, query=word, per_page=1)["items"]
    ]
