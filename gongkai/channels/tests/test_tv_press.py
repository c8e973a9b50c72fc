"""The TV broadcast log with its yearly totals, and press records."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.channels import selectors, services
from gongkai.channels.models import Broadcast


def at(month, day, hour=19):
    return timezone.make_aware(datetime.datetime(2026, month, day, hour, 0))


def test_it_totals_item_broadcasts_adverts_and_minutes(alice, make_item, tv):
    item = make_item()
    for day in (1, 2, 3):
        services.broadcast_record(
            actor=alice, channel=tv, item=item, aired_at=at(3, day), duration_seconds=150
        )
    services.broadcast_record(
        actor=alice, channel=tv, title="文明城市公益广告", aired_at=at(3, 4), duration_seconds=30
    )
    services.broadcast_record(
        actor=alice,
        channel=tv,
        title="去年的广告",
        aired_at=at(1, 1, 0).replace(year=2025),
        duration_seconds=600,
    )
    totals = selectors.tv_totals(channel=tv, year=2026)
    assert totals == {"item_broadcasts": 3, "adverts": 1, "minutes": 8}
    line = Broadcast.objects.filter(kind="item").first()
    assert (line.title, line.programme) == (item.title, "寮步新闻")
    assert line.delivery.revision_id == item.live_revision_id


def test_the_year_follows_beijing_time(alice, tv):
    # 2025-12-31 16:30 UTC is 2026-01-01 00:30 in Beijing
    services.broadcast_record(
        actor=alice,
        channel=tv,
        title="新年公益广告",
        aired_at=datetime.datetime(2025, 12, 31, 16, 30, tzinfo=datetime.UTC),
        duration_seconds=60,
    )
    assert selectors.tv_totals(channel=tv, year=2026)["adverts"] == 1
    assert selectors.tv_totals(channel=tv, year=2025)["adverts"] == 0


def test_it_refuses_to_broadcast_an_uncleared_item(alice, make_item, tv):
    with pytest.raises(ValidationError, match="尚未通过审查"):
        services.broadcast_record(
            actor=alice,
            channel=tv,
            item=make_item(published=False),
            aired_at=at(3, 1),
            duration_seconds=60,
        )
    assert not Broadcast.objects.exists()


def test_an_advert_needs_a_title_and_a_duration(alice, tv):
    with pytest.raises(ValidationError) as caught:
        services.broadcast_record(actor=alice, channel=tv, aired_at=at(3, 1), duration_seconds=0)
    assert set(caught.value.message_dict) == {"title", "duration_seconds"}


def test_the_database_refuses_an_item_line_without_a_delivery(alice, make_item, tv):
    with pytest.raises(IntegrityError), transaction.atomic():
        Broadcast.objects.create(
            channel=tv,
            kind="item",
            item=make_item(),
            title="绕过审查",
            aired_at=at(3, 1),
            duration_seconds=60,
        )


def test_it_counts_press_conferences_releases_and_outside_articles(alice, town):
    titles = ["“三打”专项行动新闻发布会", "“学习贯彻十八大”集中采访活动"]
    for n, title in enumerate(titles):
        conference = services.press_conference_create(
            actor=alice,
            organisation=town,
            title=title,
            held_on=datetime.date(2026, 4, 1 + n),
            topics="专项行动成果\n下一步安排",
            media_attending="南方日报\n东莞日报",
        )
    assert conference.media_list == ["南方日报", "东莞日报"]
    release = services.news_release_create(
        actor=alice,
        organisation=town,
        title="寮步镇召开三打新闻发布会",
        released_on=datetime.date(2026, 4, 1),
        is_major=True,
        conference=conference,
        form="conference",
    )
    services.news_release_create(
        actor=alice, organisation=town, title="一般新闻通稿", released_on=datetime.date(2026, 4, 2)
    )
    for outlet in ("南方日报", "南方日报", "东莞日报"):
        services.outside_article_create(
            actor=alice,
            organisation=town,
            outlet=outlet,
            title="寮步镇三打成效显著",
            published_on=datetime.date(2026, 4, 3),
            release=release,
            url="https://news.example.cn/a/1",
        )
    counts = selectors.press_counts(organisation_ids=[town.pk], year=2026)
    assert counts == {
        "conferences": 2,
        "conference_titles": titles,
        "releases": 2,
        "major_releases": 1,
        "outside_articles": 3,
        "articles_by_outlet": {"南方日报": 2, "东莞日报": 1},
    }
    assert selectors.press_counts(organisation_ids=[town.pk], year=2025)["conferences"] == 0


def test_press_records_are_scoped_to_the_organisation(dave, town):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.press_conference_create(
            actor=dave, organisation=town, title="越权", held_on=datetime.date(2026, 1, 1)
        )
