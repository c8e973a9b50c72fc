"""Channels benchmark: the demo's 2012 records, the yearly counts and an issue's PDF and Word.

Makes its own throw-away test database (SQLite by default, PostgreSQL with DATABASE_URL), loads
the channels demo (which creates the items it needs), then times:
  - load_demo (bulk-created 2012 records)
  - channel_counts for 2012 (what the annual report asks)
  - the screen feed and the kiosk data
  - rendering a 17-item A3 three-column issue to PDF and to Word

Run:  DJANGO_SETTINGS_MODULE=gongkai.settings.test .venv/bin/python bench/channels_bench.py
"""

import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def timed(label, func, repeat=1):
    times = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - started)
    rows.append((label, repeat, statistics.median(times) * 1000))
    return result


rows: list[tuple[str, int, float]] = []
POOL = int(os.environ.get("BENCH_ITEMS", "1328"))  # the seed's 2012 portal items


def make_pool(town, user, count: int) -> dict:
    """`count` published 2012 items with revisions, written in bulk (the bench's data)."""
    import datetime

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from wagtail.models import Revision

    from gongkai.catalogue.models import Category, DisclosureItem

    now = timezone.now()
    categories = list(Category.objects.filter(scheme="info"))
    items = [
        DisclosureItem(
            organisation=town,
            title=f"2012年政府信息第{n}号",
            summary="演示",
            category=categories[n % len(categories)],
            created_date=datetime.date(2012, 1, 1) + datetime.timedelta(days=n % 366),
            published_date=datetime.date(2012, 1, 1) + datetime.timedelta(days=n % 366),
            index_number=f"{town.credit_code}/2012-{n + 1:05d}",
            live=True,
        )
        for n in range(count)
    ]
    DisclosureItem.objects.bulk_create(items)
    content_type = ContentType.objects.get_for_model(DisclosureItem)
    revisions = Revision.objects.bulk_create(
        Revision(
            content_type=content_type,
            base_content_type=content_type,
            object_id=str(item.pk),
            content=item.serializable_data(),
            user=user,
            object_str=item.title,
            created_at=now,
        )
        for item in items
    )
    for item, revision in zip(items, revisions, strict=True):
        item.live_revision_id = item.latest_revision_id = revision.pk
    DisclosureItem.objects.bulk_update(items, ["live_revision", "latest_revision"])
    by_category = {}
    for item in items:
        by_category.setdefault(item.category.name, []).append(item)
    return by_category


def main():
    from django.contrib.auth import get_user_model

    from gongkai.channels import selectors
    from gongkai.channels.demo import load_demo
    from gongkai.channels.integrations.newspaper import issue_docx, issue_pdf
    from gongkai.channels.models import Channel, Issue
    from gongkai.orgs.creditcode import make_credit_code
    from gongkai.orgs.models import Organisation

    town = Organisation.objects.create(
        name="寮步镇人民政府",
        code="liaobu",
        kind="government",
        credit_code=make_credit_code("11441900007331188"),
    )
    user = get_user_model().objects.create_superuser("bench", password="x")
    pool = timed(
        f"make {POOL} published 2012 items (bench data)", lambda: make_pool(town, user, POOL)
    )
    timed(
        f"load_demo with {POOL} items of 2012",
        lambda: load_demo(
            orgs={"liaobu": town},
            users={"gkb_admin": user},
            items_by_category=pool,
            stdout=io.StringIO(),
        ),
    )
    counts = timed(
        "channel_counts(2012)",
        lambda: selectors.channel_counts(organisation_ids=[town.pk], year=2012),
        repeat=20,
    )
    screen = Channel.objects.get(slug="plaza")
    kiosk = Channel.objects.get(slug="hall-kiosk")
    timed("screen_feed", lambda: selectors.screen_feed(channel=screen), repeat=20)
    timed("kiosk_data", lambda: selectors.kiosk_data(channel=kiosk), repeat=20)
    issue = Issue.objects.filter(date__year=2012).order_by("date").first()
    pdf = timed(
        f"issue PDF ({issue.appearances.count()} items, A3, 3 columns)",
        lambda: issue_pdf(issue),
        repeat=3,
    )
    docx = timed("issue Word", lambda: issue_docx(issue), repeat=3)

    print(f"\n{'step':<48} {'runs':>5} {'median ms':>10}")
    for label, repeat, ms in rows:
        print(f"{label:<48} {repeat:>5} {ms:>10.1f}")
    paper = next(r for r in counts["channels"] if r["kind"] == "newspaper")
    tv = next(r for r in counts["channels"] if r["kind"] == "tv")
    print(
        f"\n2012: paper {paper['issues']} issues / {paper['copies']} copies / "
        f"{paper['appearances']} appearances; TV {tv['item_broadcasts']} + {tv['adverts']} adverts, "
        f"{tv['minutes']} min; PDF {len(pdf) // 1024} KiB, Word {len(docx) // 1024} KiB"
    )


if __name__ == "__main__":
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        main()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
