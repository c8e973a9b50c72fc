"""Reads over the catalogue. "Public" means live and not withdrawn."""

from django.db.models import QuerySet

from .models import DisclosureItem


def items_public() -> QuerySet[DisclosureItem]:
    return DisclosureItem.objects.filter(live=True, withdrawn_at__isnull=True)


# --- Staff-side reads (catalogue admin): where each item stands ------------------------------


def _item_content_type_id() -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(DisclosureItem).pk


def _item_revisions_scheduled():
    """An item's revisions approved and waiting for their go-live time (for a subquery)."""
    from django.db.models import CharField, OuterRef
    from django.db.models.functions import Cast
    from wagtail.models import Revision

    return Revision.objects.filter(
        base_content_type_id=_item_content_type_id(),
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
        approved_go_live_at__isnull=False,
    )


def _status_conditions() -> list[tuple[str, object]]:
    """(status, condition) in order of precedence: an item has the first status whose condition
    holds. The workflow and schedule conditions are subqueries on indexed columns, so a list
    page costs the same number of queries whatever its length."""
    from django.db.models import CharField, Exists, OuterRef, Q
    from django.db.models.functions import Cast
    from wagtail.models import WorkflowState

    from .models import ItemStatus

    states = WorkflowState.objects.filter(
        base_content_type_id=_item_content_type_id(),
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
    )
    return [
        # A withdrawal outranks everything: the item is off every public place (item_withdraw).
        (ItemStatus.WITHDRAWN, Q(withdrawn_at__isnull=False)),
        # The review workflow (gongkai/review); Wagtail keeps at most one active state per item.
        (ItemStatus.IN_REVIEW, Q(Exists(states.filter(status=WorkflowState.STATUS_IN_PROGRESS)))),
        (
            ItemStatus.SENT_BACK,
            Q(Exists(states.filter(status=WorkflowState.STATUS_NEEDS_CHANGES))),
        ),
        # Approved, waiting for its go-live time (Wagtail's approved_schedule).
        (ItemStatus.SCHEDULED, Q(Exists(_item_revisions_scheduled()))),
        (ItemStatus.EXPIRED, Q(live=False, expired=True)),
        (ItemStatus.LIVE_CHANGED, Q(live=True, has_unpublished_changes=True)),
        (ItemStatus.LIVE, Q(live=True)),
        (ItemStatus.DRAFT, Q()),
    ]


def items_with_status(queryset: QuerySet[DisclosureItem]) -> QuerySet[DisclosureItem]:
    """Annotate each item with `item_status` (an ItemStatus value) and `item_scheduled_at`
    (when an approved revision goes live, if one waits)."""
    from django.db.models import Case, CharField, Subquery, Value, When

    *ranked, (default, _everything_else) = _status_conditions()
    scheduled = _item_revisions_scheduled().order_by("approved_go_live_at")
    return queryset.annotate(
        item_status=Case(
            *[When(condition, then=Value(str(status))) for status, condition in ranked],
            default=Value(str(default)),
            output_field=CharField(),
        ),
        item_scheduled_at=Subquery(scheduled.values("approved_go_live_at")[:1]),
    )


def items_in_status(*, queryset: QuerySet[DisclosureItem], status: str) -> QuerySet[DisclosureItem]:
    """The items whose status (items_with_status) is `status`, as a filter the database can
    answer with (anti-)joins: this status's condition and none of those ranked above it."""
    above = []
    for candidate, condition in _status_conditions():
        if candidate == status:
            return queryset.filter(condition, *[~other for other in above])
        above.append(condition)
    return queryset.none()


def item_status(*, item: DisclosureItem) -> tuple[str | None, object]:
    """(status, scheduled go-live time or None) of one item, read from the database."""
    row = (
        items_with_status(DisclosureItem.objects.filter(pk=item.pk))
        .values_list("item_status", "item_scheduled_at")
        .first()
    )
    return row if row is not None else (None, None)


# --- Staff-side reads (catalogue admin, reports): time limits and regulatory counts ---------


def proactive_days() -> int:
    # 条例第二十六条: proactive disclosure within 20 working days of the information being
    # created or changed. A setting, so a stricter local rule can shorten it.
    from django.conf import settings

    return int(getattr(settings, "GONGKAI_PROACTIVE_DAYS", 20))


def item_deadline(item: DisclosureItem):
    """The last day the item may be published on time, or None if the schedule is missing."""
    from gongkai.workdays.calendar import ScheduleMissing, add_working_days

    if not item.created_date:
        return None
    try:
        return add_working_days(item.created_date, proactive_days())
    except ScheduleMissing:
        return None


def item_is_late(item: DisclosureItem, *, today=None) -> bool | None:
    """Was (or is) this item later than 条例第二十六条 allows?

    Published items compare their publication day with the deadline; unpublished ones are late
    once today is past it. None when the holiday schedule for the years involved is missing:
    staff see "无法计算", the platform never guesses. Only 主动公开 items have this limit.
    """
    from django.utils import timezone

    if item.disclosure_mode != DisclosureItem.DisclosureMode.PROACTIVE:
        return False
    deadline = item_deadline(item)
    if deadline is None:
        return None
    published = item.published_on
    if published is not None:
        return published > deadline
    return (today or timezone.localdate()) > deadline


def items_late(
    *,
    queryset: QuerySet[DisclosureItem] | None = None,
    organisation_ids=None,
    year=None,
    today=None,
) -> QuerySet[DisclosureItem]:
    """Proactive items known to be late (see item_is_late); items of a year whose schedule is
    missing are left out (they are neither late nor on time until the schedule is entered)."""
    from django.db.models import Case, DateField, F, Q, Value, When
    from django.db.models.functions import TruncDate
    from django.utils import timezone

    from gongkai.workdays.calendar import ScheduleMissing, add_working_days

    qs = DisclosureItem.objects.all() if queryset is None else queryset
    qs = qs.filter(disclosure_mode=DisclosureItem.DisclosureMode.PROACTIVE)
    if organisation_ids is not None:
        qs = qs.filter(organisation_id__in=list(organisation_ids))
    if year is not None:
        qs = qs.filter(created_date__year=year)
    days = proactive_days()
    whens = []
    for created in qs.order_by().values_list("created_date", flat=True).distinct():
        try:
            whens.append(When(created_date=created, then=Value(add_working_days(created, days))))
        except ScheduleMissing:
            continue
    if not whens:
        return qs.none()
    today = today or timezone.localdate()
    return qs.annotate(
        deadline=Case(*whens, default=None, output_field=DateField()),
        first_published_day=TruncDate("first_published_at"),
    ).filter(
        Q(deadline__isnull=False)
        & (
            Q(published_date__gt=F("deadline"))
            | Q(published_date__isnull=True, first_published_day__gt=F("deadline"))
            | Q(
                published_date__isnull=True,
                first_published_at__isnull=True,
                deadline__lt=Value(today, output_field=DateField()),
            )
        )
    )


def regulatory_counts(*, organisation_ids, year: int) -> dict:
    """年度报告 二、第二十条第（一）项: for 规章 and 行政规范性文件 of these organisations.

    Returns {"rule": {...}, "normative": {...}}, each with
      "issued":   本年制发件数 — created in the year and published;
      "repealed": 本年废止件数 — repealed, with the repeal dated in the year;
      "in_force": 现行有效件数 — published and in force at the end of the year (amended ones
                  count, they are in force as amended; not yet effective ones do not).
    Items withdrawn during the year or before are left out: a withdrawal takes an item out of
    the catalogue. One withdrawn after the year ended still counts for that year, as it stood
    then, so a report already made (and its locked period) does not change (issue #8).
    """
    from datetime import date, datetime

    from django.db.models import Count, Q
    from django.utils import timezone

    year_end = date(year, 12, 31)
    next_year = datetime(year + 1, 1, 1, tzinfo=timezone.get_default_timezone())
    kinds = DisclosureItem.RegulatoryKind
    base = (
        DisclosureItem.objects.filter(
            organisation_id__in=list(organisation_ids),
            regulatory_kind__in=[kinds.RULE, kinds.NORMATIVE],
        )
        # Implied by the line above, but SQLite uses the partial index catalogue_item_regulatory
        # only when the query repeats its condition word for word (PostgreSQL infers it).
        .exclude(regulatory_kind=kinds.NONE)
        .filter(Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=next_year))
        .filter(Q(published_date__isnull=False) | Q(first_published_at__isnull=False))
    )
    repealed = DisclosureItem.Validity.REPEALED
    rows = base.values("regulatory_kind").annotate(
        issued=Count("id", filter=Q(created_date__year=year)),
        repealed=Count("id", filter=Q(validity=repealed, validity_changed_on__year=year)),
        in_force=Count(
            "id",
            filter=Q(created_date__lte=year_end)
            & (
                Q(published_date__lte=year_end)
                | Q(published_date__isnull=True, first_published_at__date__lte=year_end)
            )
            & (Q(effective_from__isnull=True) | Q(effective_from__lte=year_end))
            & ~Q(validity=repealed, validity_changed_on__lte=year_end),
        ),
    )
    result = {
        kind: {"issued": 0, "repealed": 0, "in_force": 0} for kind in (kinds.RULE, kinds.NORMATIVE)
    }
    for row in rows:
        result[row["regulatory_kind"]] = {
            "issued": row["issued"],
            "repealed": row["repealed"],
            "in_force": row["in_force"],
        }
    return {str(k): v for k, v in result.items()}


# --- Public reads (portal pages, feeds, sitemaps, open-data API) ------------------------------
#
# An item is shown on a site when it is public (items_public) and placed in a live column of
# that site's tree. The site is given by its root page (a SiteHomePage): treebeard's
# materialised path makes "in this site" a prefix test on the column's path.

# The largest id a database integer column holds: anything above is not an id (SQLite would
# raise OverflowError and PostgreSQL a DataError, i.e. a 500, instead of a 404).
MAX_ID = 2**63 - 1


def _newest_first():
    from django.db.models import F

    # NULLS LAST on both databases (PostgreSQL puts NULLs first when descending).
    return [F("published_date").desc(nulls_last=True), "-id"]


def site_home_for_request(*, request):
    """The SiteHomePage at the root of the site the request is for, or None."""
    if hasattr(request, "_gongkai_home"):
        return request._gongkai_home
    from wagtail.models import Site

    from .models import SiteHomePage

    home = None
    site = Site.find_for_request(request)
    if site is not None:
        root = site.root_page.specific
        home = root if isinstance(root, SiteHomePage) else None
    request._gongkai_home = home
    return home


def site_home_of_page(*, page):
    """The SiteHomePage above (or at) a page, or None."""
    from .models import SiteHomePage

    return (
        SiteHomePage.objects.filter(path=page.path[: SiteHomePage.steplen * 2]).first()
        if page.depth >= 2
        else None
    )


def site_columns(*, root):
    """Live columns anywhere in a site's tree, in tree order."""
    from .models import ColumnPage

    return ColumnPage.objects.live().descendant_of(root).order_by("path")


def _site_item_ids(*, root):
    through = DisclosureItem.columns.through
    return through.objects.filter(
        columnpage__path__startswith=root.path, columnpage__live=True
    ).values("disclosureitem_id")


def items_public_on_site(*, root) -> QuerySet[DisclosureItem]:
    return items_public().filter(pk__in=_site_item_ids(root=root))


def item_public_on_site(*, root, pk: int) -> DisclosureItem | None:
    """The item if it is public and shown on this site; None otherwise (a 404 to the public)."""
    if not 0 < pk <= MAX_ID:
        return None
    # By primary key first, then one indexed look-up of its placements: the site-wide
    # subquery of items_public_on_site would scan every placement of the site.
    item = (
        items_public()
        .select_related("organisation", "category", "subject", "replaced_by")
        .filter(pk=pk)
        .first()
    )
    if item is None:
        return None
    placed = DisclosureItem.columns.through.objects.filter(
        disclosureitem_id=pk, columnpage__path__startswith=root.path, columnpage__live=True
    )
    return item if placed.exists() else None


def item_columns_on_site(*, item, root):
    """The live columns of this site that show the item, in tree order."""
    return item.columns.live().filter(path__startswith=root.path).order_by("path")


def items_public_in_column(*, column) -> QuerySet[DisclosureItem]:
    return items_public().filter(columns=column).order_by(*_newest_first())


def site_latest_by_column(*, home, per_column: int) -> list[tuple[object, list[DisclosureItem]]]:
    """The site's main columns, each with its newest items: the home page's own columns, then
    those directly in the 政府信息公开 section (without the annual-report column)."""
    from django.db.models import Q

    from .models import ColumnPage, DisclosureSectionPage

    where = Q(depth=home.depth + 1)
    for section in DisclosureSectionPage.objects.live().child_of(home):
        where |= Q(depth=section.depth + 1, path__startswith=section.path)
    columns = (
        ColumnPage.objects.live()
        .descendant_of(home)
        .filter(where)
        .exclude(kind=ColumnPage.Kind.REPORT)
        .order_by("depth", "path")
    )
    return [
        (column, list(items_public_in_column(column=column).only(*LIST_FIELDS)[:per_column]))
        for column in columns
    ]


# What a list of items shows (title, date, index number, document number, summary).
LIST_FIELDS = (
    "id",
    "title",
    "published_date",
    "created_date",
    "index_number",
    "document_number",
    "summary",
)


def items_public_filtered(
    *,
    root=None,
    organisation=None,
    column=None,
    category=None,
    year: int | None = None,
    validity: str = "",
    document_number: str = "",
    updated_since=None,
) -> QuerySet[DisclosureItem]:
    """The public catalogue narrowed by the filters the catalogue page and the API offer.

    `year` is the year of 发布日期; `updated_since` an aware datetime compared with the record's
    last change; `document_number` matches part of the 文号.
    """
    qs = items_public() if root is None else items_public_on_site(root=root)
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    if column is not None:
        qs = qs.filter(columns=column)
    if category is not None:
        qs = qs.filter(category=category)
    if year is not None:
        qs = qs.filter(published_date__year=year)
    if validity:
        qs = qs.filter(validity=validity)
    if document_number:
        qs = qs.filter(document_number__icontains=document_number)
    if updated_since is not None:
        qs = qs.filter(updated_at__gte=updated_since)
    return qs.order_by(*_newest_first())


def catalogue_facets(*, root, queryset) -> dict[str, list[dict]]:
    """Counts per organisation, column, category, year and validity of the items in `queryset`.

    Each facet is a list of {"value", "label", "count"}, largest groups first except years
    (newest first) and columns (tree order).
    """
    from django.db.models import Count
    from django.db.models.functions import ExtractYear

    from gongkai.orgs.models import Organisation

    from .models import Category, ColumnPage

    base = queryset.order_by()
    ids = base.values("pk")

    def grouped(field):
        return {
            row[field]: row["n"]
            for row in base.values(field).annotate(n=Count("id")).order_by()
            if row[field] is not None
        }

    org_counts = grouped("organisation")
    orgs = Organisation.objects.in_bulk(list(org_counts))
    category_counts = grouped("category")
    categories = Category.objects.in_bulk(list(category_counts))
    validity_counts = grouped("validity")
    year_counts = {
        row["year"]: row["n"]
        for row in base.annotate(year=ExtractYear("published_date"))
        .values("year")
        .annotate(n=Count("id"))
        .order_by()
        if row["year"] is not None
    }
    through = DisclosureItem.columns.through
    column_counts = {
        row["columnpage"]: row["n"]
        for row in through.objects.filter(
            disclosureitem__in=ids, columnpage__path__startswith=root.path, columnpage__live=True
        )
        .values("columnpage")
        .annotate(n=Count("disclosureitem"))
        .order_by()
    }
    columns = ColumnPage.objects.filter(pk__in=list(column_counts)).order_by("path")

    def by_count(rows):
        return sorted(rows, key=lambda row: (-row["count"], row["label"]))

    return {
        "organisation": by_count(
            {"value": org.code, "label": org.name, "count": org_counts[pk]}
            for pk, org in orgs.items()
        ),
        "column": [
            {"value": str(c.pk), "label": c.title, "count": column_counts[c.pk]} for c in columns
        ],
        "category": by_count(
            {"value": cat.code, "label": cat.name, "count": category_counts[pk]}
            for pk, cat in categories.items()
        ),
        "year": [
            {"value": str(year), "label": str(year), "count": year_counts[year]}
            for year in sorted(year_counts, reverse=True)
        ],
        "validity": [
            {"value": value, "label": label, "count": validity_counts[value]}
            for value, label in DisclosureItem.Validity.choices
            if value in validity_counts
        ],
    }


def item_site_urls(*, items, homes) -> dict[int, list[tuple[object, str]]]:
    """For each item, the (home page, path below it) of every site that shows it."""
    through = DisclosureItem.columns.through
    rows = through.objects.filter(
        disclosureitem_id__in=[item.pk for item in items], columnpage__live=True
    ).values_list("disclosureitem_id", "columnpage__path")
    found: dict[int, list[tuple[object, str]]] = {item.pk: [] for item in items}
    for item_id, path in rows:
        for home in homes:
            if path.startswith(home.path) and all(h is not home for h, _p in found[item_id]):
                found[item_id].append((home, home.item_path(item_id)))
    return found
