"""Per-month counts per channel (the annual report's chart 各渠道每月发布信息条数)."""

import datetime

from django.utils import timezone

from gongkai.channels import selectors, services
from gongkai.channels.models import Broadcast, Channel, Delivery, Post


def aware(*args):
    return timezone.make_aware(datetime.datetime(*args))


def months_of(rows, channel):
    return next(r["months"] for r in rows if r["id"] == channel.pk)


def test_it_counts_the_items_of_each_month_per_channel(
    alice,
    town,
    make_item,
    make_channel,
    screen,
    newspaper,
    tv,
    board,
    django_capture_on_commit_callbacks,
):
    first = make_item("政府采购公告一")
    second = make_item("工作方案", category_name="规划计划")
    third = make_item("土地拍卖公告", category_name="其他")
    account = make_channel(Channel.Kind.NEW_MEDIA, "寮步发布", config={"platform": "wechat"})
    with django_capture_on_commit_callbacks(execute=True):
        for item in (first, second, third):
            services.dispatch_create(actor=alice, item=item, channel=screen)
        services.dispatch_create(actor=alice, item=first, channel=board)
        post_delivery = services.dispatch_create(actor=alice, item=second, channel=account)
        services.issue_compose(
            actor=alice,
            channel=newspaper,
            number=1,
            date=datetime.date(2026, 5, 8),
            items=[first, second],
            copies=1000,
        )
        services.issue_compose(
            actor=alice,
            channel=newspaper,
            number=2,
            date=datetime.date(2026, 5, 15),
            items=[first, third],  # `first` again in May: one item in May
            copies=1000,
        )
    # Months are Shanghai's: the board's 00:30 on 1 April is still 31 March in UTC, and must
    # count in April.
    screen_sent = Delivery.objects.filter(channel=screen).order_by("id")
    Delivery.objects.filter(pk__in=[d.pk for d in screen_sent[:2]]).update(
        sent_at=aware(2026, 3, 10, 9)
    )
    Delivery.objects.filter(pk=screen_sent[2].pk).update(sent_at=aware(2026, 3, 31, 23, 30))
    Delivery.objects.filter(channel=board).update(sent_at=aware(2026, 4, 1, 0, 30))
    for day, item in ((2, second), (3, second), (4, third)):  # `second` twice in June: one
        services.broadcast_record(
            actor=alice,
            channel=tv,
            item=item,
            aired_at=aware(2026, 6, day, 19),
            duration_seconds=60,
        )
    services.broadcast_record(
        actor=alice,
        channel=tv,
        title="公益广告",
        aired_at=aware(2026, 6, 5, 19),
        duration_seconds=30,
    )
    post = Post.objects.get(delivery=post_delivery)
    services.post_mark_posted(actor=alice, post=post)
    Post.objects.filter(pk=post.pk).update(posted_at=aware(2026, 7, 1, 8))

    rows = selectors.channel_monthly_counts(organisation_ids=[town.pk], year=2026)

    march, april, may, june, july = 2, 3, 4, 5, 6
    assert months_of(rows, screen)[march] == 3 and sum(months_of(rows, screen)) == 3
    assert months_of(rows, board)[april] == 1 and sum(months_of(rows, board)) == 1
    assert months_of(rows, newspaper)[may] == 3 and sum(months_of(rows, newspaper)) == 3
    assert months_of(rows, tv)[june] == 2 and sum(months_of(rows, tv)) == 2  # adverts not
    assert months_of(rows, account)[july] == 1 and sum(months_of(rows, account)) == 1
    labels = {r["kind"]: r["kind_label"] for r in rows}
    assert labels["screen"] == "电子显示屏" and labels["new_media"] == "新媒体账号"
    assert Broadcast.objects.filter(kind=Broadcast.Kind.ADVERT).count() == 1

    # The year before has nothing; the screen's items are not counted again in 2025.
    last_year = selectors.channel_monthly_counts(organisation_ids=[town.pk], year=2025)
    assert all(sum(r["months"]) == 0 for r in last_year)


def test_it_reads_only_the_given_organisations_in_a_few_queries(
    alice, town, village, make_channel, screen, newspaper, tv, django_assert_max_num_queries
):
    village_screen = make_channel(Channel.Kind.SCREEN, "村屏", organisation=village)
    with django_assert_max_num_queries(5):
        rows = selectors.channel_monthly_counts(organisation_ids=[town.pk], year=2026)
    assert village_screen.pk not in [r["id"] for r in rows]
    assert {r["id"] for r in rows} == {screen.pk, newspaper.pk, tv.pk}
