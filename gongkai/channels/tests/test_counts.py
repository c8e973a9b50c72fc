"""Yearly counts per channel (for the annual report), on a hand-built set and on the demo."""

import datetime
import io
import time

from django.utils import timezone

from gongkai.channels import selectors, services
from gongkai.channels.models import Channel


def row(counts, name):
    return next(r for r in counts["channels"] if r["name"] == name)


def aware(*args):
    return timezone.make_aware(datetime.datetime(*args))


def test_it_counts_each_channel_by_category_and_year(
    alice,
    town,
    make_item,
    screen,
    newspaper,
    tv,
    board,
    make_channel,
    django_capture_on_commit_callbacks,
):
    procurement = make_item("政府采购公告一", category_name="政府采购")
    plan = make_item("工作方案", category_name="规划计划")
    other = make_item("土地拍卖公告", category_name="其他")
    with django_capture_on_commit_callbacks(execute=True):
        for item in (procurement, plan, other):
            services.dispatch_create(actor=alice, item=item, channel=screen)
        services.dispatch_create(actor=alice, item=plan, channel=board)
        services.issue_compose(
            actor=alice,
            channel=newspaper,
            number=1,
            date=datetime.date(2026, 1, 9),
            items=[procurement, plan],
            copies=10000,
        )
        services.issue_compose(
            actor=alice,
            channel=newspaper,
            number=2,
            date=datetime.date(2026, 1, 16),
            items=[procurement, other],
            copies=12000,
        )
        services.issue_compose(
            actor=alice,
            channel=newspaper,
            number=1,
            date=datetime.date(2025, 1, 10),
            items=[other],
            copies=9000,
        )
    for day in (1, 2):
        services.broadcast_record(
            actor=alice,
            channel=tv,
            item=plan,
            aired_at=aware(2026, 2, day, 19),
            duration_seconds=600,
        )
    services.broadcast_record(
        actor=alice,
        channel=tv,
        title="公益广告",
        aired_at=aware(2026, 2, 3, 19),
        duration_seconds=90,
    )
    delivery = services.dispatch_create(actor=alice, item=plan, channel=board, enqueue=False)
    services.notice_print(actor=alice, delivery=delivery, copies=3)
    counts = selectors.channel_counts(organisation_ids=[town.pk], year=2026)

    assert counts["year"] == 2026
    screen_row = row(counts, screen.name)
    assert screen_row["items"] == 3
    assert screen_row["by_category"] == {"其他": 1, "政府采购": 1, "规划计划": 1}
    paper = row(counts, newspaper.name)
    assert (paper["issues"], paper["copies"], paper["appearances"]) == (2, 22000, 4)
    assert paper["items"] == 3  # distinct items printed
    assert paper["by_category"] == {"其他": 1, "政府采购": 1, "规划计划": 1}
    station = row(counts, tv.name)
    assert (station["item_broadcasts"], station["adverts"], station["minutes"]) == (2, 1, 22)
    assert (station["item_minutes"], station["advert_minutes"]) == (20, 2)
    assert station["by_category"] == {"规划计划": 1}
    assert row(counts, board.name)["notices_printed"] == 3

    last_year = selectors.channel_counts(organisation_ids=[town.pk], year=2025)
    assert (row(last_year, newspaper.name)["issues"], row(last_year, screen.name)["items"]) == (
        1,
        0,
    )


def test_it_counts_in_a_few_queries(
    alice, town, screen, newspaper, tv, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        selectors.channel_counts(organisation_ids=[town.pk], year=2026)


def test_other_organisations_are_not_counted(alice, town, village, make_item, make_channel):
    village_screen = make_channel(Channel.Kind.SCREEN, "村屏", organisation=village)
    counts = selectors.channel_counts(organisation_ids=[town.pk], year=2026)
    assert village_screen.name not in [r["name"] for r in counts["channels"]]


def demo_figures(town):
    counts = selectors.channel_counts(organisation_ids=[town.pk], year=2012)
    plaza = row(counts, "市民广场电子显示屏")
    paper = row(counts, "《寮步报》")
    tv = row(counts, "寮步电视台")
    return {
        "plaza": (plaza["items"], plaza["by_category"].get("政府采购")),
        "paper": (paper["issues"], paper["copies"], paper["appearances"]),
        "tv": (tv["item_broadcasts"], tv["adverts"], tv["minutes"]),
        "press": counts["press"],
    }


SEED = {
    "plaza": (45, 6),
    "paper": (52, 520000, 839),
    "tv": (1800, 540, 24500),
}
SEED_CONFERENCES = [
    "寮步“贯彻落实市第十三次党代会精神”集中采访活动",
    "“三打”专项行动第三次集中宣传活动",
    "“三打”专项行动新闻发布会",
    "第四届漫博会集中采访活动",
    "2012中国(东莞)国际沉香文化艺术博览会暨寮步第三届香市文化旅游节新闻发布会",
    "深化农村综合改革推进镇村集体经济发展集中采访活动",
    "“学习贯彻十八大”集中采访活动",
]


def check_seed(town):
    figures = demo_figures(town)
    assert {k: figures[k] for k in SEED} == SEED
    press = figures["press"]
    assert press["conference_titles"] == SEED_CONFERENCES
    assert (press["major_releases"], press["outside_articles"]) == (45, 1500)
    assert set(press["articles_by_outlet"]) == {
        "南方日报",
        "广州日报",
        "南方都市报",
        "东莞日报",
        "东莞时报",
        "阳光网",
    }


def test_the_demo_reproduces_the_seed_figures_from_the_leads_items(alice, town, make_item):
    from gongkai.channels.demo import load_demo

    cats = ["政府采购", "规划计划", "业务工作", "统计数据", "其他", "规范性文件"]
    items_by_category = {name: [] for name in cats}
    for n in range(48):  # 8 政府采购, 40 others: enough for the screen without topping up
        name = cats[n % len(cats)]
        day = datetime.date(2012, 1, 1) + datetime.timedelta(days=n * 6)
        items_by_category[name].append(make_item(f"2012年信息{n}", category_name=name, date=day))
    # items of another year are not used for 2012 records
    items_by_category["其他"].append(make_item("本年度信息", category_name="其他"))
    started = time.monotonic()
    load_demo(
        orgs={"liaobu": town},
        users={"gkb_admin": alice},
        items_by_category=items_by_category,
        stdout=io.StringIO(),
    )
    elapsed = time.monotonic() - started
    check_seed(town)
    assert elapsed < 30, elapsed
    # the plaza screen shows something current
    feed = selectors.screen_feed(channel=Channel.objects.get(slug="plaza"))
    assert "本年度信息" in [i["title"] for i in feed["items"]]


def test_the_demo_makes_what_it_lacks(alice, town, django_capture_on_commit_callbacks):
    from gongkai.channels.demo import load_demo

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        load_demo(
            orgs={"liaobu": town}, users={"gkb_admin": alice}, items_by_category={}, stdout=out
        )
    check_seed(town)
    assert "52 期" in out.getvalue()
    kiosk = selectors.kiosk_data(channel=Channel.objects.get(slug="hall-kiosk"))
    assert any(i["featured"] for i in kiosk["items"])
    paper = Channel.objects.get(slug="liaobu-bao")
    this_year = paper.issues.filter(date__year=timezone.localdate().year).get()
    assert this_year.render_status == "done"
