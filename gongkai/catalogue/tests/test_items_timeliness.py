"""条例第二十六条: proactive disclosure within 20 working days of the information's creation."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from gongkai.catalogue.models import DisclosureItem
from gongkai.catalogue.selectors import item_deadline, item_is_late, items_late
from gongkai.review.testing import publish_through_review
from gongkai.workdays.calendar import add_working_days

from .items_factories import make_item


def _item(town, created, published=None, **fields):
    item = make_item(town, created_date=created, **fields)
    if published:
        DisclosureItem.objects.filter(pk=item.pk).update(published_date=published)
        item.refresh_from_db()
    return item


def test_it_counts_the_national_day_holidays_and_make_up_days(town):
    # Fri 2026-09-18: day 1 is the make-up Sunday 09-20; 中秋 09-25 and 国庆 10-01..07 are off;
    # Saturday 10-10 is worked. The 20th working day is Thursday 2026-10-22.
    assert add_working_days(date(2026, 9, 18), 20) == date(2026, 10, 22)
    item = _item(town, date(2026, 9, 18))
    assert item_deadline(item) == date(2026, 10, 22)


@pytest.mark.parametrize(
    ("published", "late"),
    [
        (date(2026, 10, 20), False),
        (date(2026, 10, 21), False),
        (date(2026, 10, 22), False),
        (date(2026, 10, 23), True),
    ],
)
def test_it_flags_an_item_published_after_the_twentieth_working_day(town, published, late):
    item = _item(town, date(2026, 9, 18), published)
    assert item_is_late(item) is late


def test_a_naive_count_of_calendar_weekdays_would_be_wrong(town):
    # Without the holidays, 20 weekdays after 09-18 would end on 10-16: an item published on
    # 10-20 would wrongly be flagged.
    item = _item(town, date(2026, 9, 18), date(2026, 10, 20))
    assert item_is_late(item) is False


def test_it_follows_the_setting(town, settings):
    settings.GONGKAI_PROACTIVE_DAYS = 10
    item = _item(town, date(2026, 9, 18), date(2026, 10, 20))
    assert item_deadline(item) == date(2026, 10, 9)
    assert item_is_late(item) is True


def test_an_unpublished_item_is_late_once_the_deadline_has_passed(town):
    item = _item(town, date(2026, 9, 18))
    assert item_is_late(item, today=date(2026, 10, 22)) is False
    assert item_is_late(item, today=date(2026, 10, 23)) is True


def test_publishing_records_the_first_publication_date(town):
    item = publish_through_review(_item(town, date(2026, 3, 2)))
    assert item.live
    assert item.published_date == timezone.localdate()
    assert item_is_late(item) is (item.published_date > item_deadline(item))
    # Republishing a later version keeps the first date.
    DisclosureItem.objects.filter(pk=item.pk).update(published_date=date(2026, 3, 5))
    item.refresh_from_db()
    item.title = "修改后的标题"
    item.save_revision()
    item = publish_through_review(item)
    assert item.title == "修改后的标题"
    assert item.published_date == date(2026, 3, 5)
    assert item_is_late(item) is False


def test_it_falls_back_to_the_first_publication_on_the_platform(town):
    item = _item(town, date(2026, 9, 18))
    DisclosureItem.objects.filter(pk=item.pk).update(
        first_published_at=timezone.make_aware(datetime(2026, 10, 23, 0, 30))
    )
    item.refresh_from_db()
    assert item.published_on == date(2026, 10, 23)  # Asia/Shanghai, not the UTC day
    assert item_is_late(item) is True
    assert items_late().filter(pk=item.pk).exists()


def test_it_does_not_guess_when_the_schedule_is_missing(town):
    item = _item(town, date(2026, 3, 2))
    DisclosureItem.objects.filter(pk=item.pk).update(created_date=date(2031, 5, 6))
    item.refresh_from_db()
    assert item_deadline(item) is None
    assert item_is_late(item) is None


def test_only_proactive_items_have_the_limit(town):
    item = _item(
        town,
        date(2026, 9, 18),
        date(2026, 12, 1),
        disclosure_mode=DisclosureItem.DisclosureMode.ON_REQUEST,
    )
    assert item_is_late(item) is False


def test_items_late_selects_the_same_items_as_item_is_late(town, office):
    office.credit_code = None
    cases = [
        _item(town, date(2026, 9, 18), date(2026, 10, 22)),
        _item(town, date(2026, 9, 18), date(2026, 10, 23)),
        _item(town, date(2026, 3, 2), date(2026, 3, 3)),
        _item(town, date(2026, 3, 2), date(2026, 6, 1)),
        _item(town, date(2026, 3, 2)),  # unpublished, long past the deadline
    ]
    missing = _item(town, date(2026, 3, 2))
    DisclosureItem.objects.filter(pk=missing.pk).update(created_date=date(2031, 5, 6))
    expected = {item.pk for item in cases if item_is_late(item, today=date(2026, 12, 1))}
    found = set(items_late(today=date(2026, 12, 1)).values_list("pk", flat=True))
    assert found == expected
    assert len(expected) == 3
    assert set(items_late(year=2026, organisation_ids=[office.pk])) == set()
