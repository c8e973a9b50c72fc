"""The 2008-era format: per-site, per-channel and per-category counts and shares, numbered in
order, from the seed's own figures (websites) and a small set of channel records."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from gongkai.channels.models import (
    Broadcast,
    Channel,
    Delivery,
    Issue,
    IssueAppearance,
    NewsRelease,
    OutsideArticle,
    PressConference,
)
from gongkai.reports.figures import report_data

SH = ZoneInfo("Asia/Shanghai")


def at(day):
    return datetime.combine(day, time(10), tzinfo=SH)


@pytest.fixture
def seed_websites(town, site, enterprise_site, place_items):
    """The seed's 2012 website figures: 1,986 on the town site, 1,328 of them in the portal."""
    place_items(
        town,
        site["portal"],
        {"规范性文件": 28, "规划计划": 16, "业务工作": 248, "统计数据": 12, "其他": 1024},
    )
    place_items(town, site["news"], {"其他": 1986 - 1328})
    place_items(
        town,
        enterprise_site["column"],
        {"机构职能": 5079, "政府文件": 1481, "村(居)委会": 1227, "其他": 2444},
    )


@pytest.fixture
def channel_records(town, site, place_items):
    items = place_items(town, site["portal"], {"政府采购": 2, "其他": 1}, on=date(2012, 5, 5))
    revisions = [item.save_revision() for item in items]
    screen = Channel.objects.create(
        organisation=town, kind="screen", name="镇政府电子屏幕", slug="plaza"
    )
    paper = Channel.objects.create(
        organisation=town, kind="newspaper", name="《寮步报》", slug="paper"
    )
    tv = Channel.objects.create(organisation=town, kind="tv", name="寮步镇电视台", slug="tv")

    def deliver(channel, item, revision):
        return Delivery.objects.create(
            item=item,
            channel=channel,
            revision=revision,
            status="sent",
            sent_at=at(date(2012, 5, 6)),
        )

    for item, revision in zip(items, revisions, strict=True):
        deliver(screen, item, revision)
    for n, day in enumerate([date(2012, 5, 10), date(2012, 5, 17)]):
        issue = Issue.objects.create(
            channel=paper, number=n + 1, date=day, copies=10000, page_size="A3", columns=3
        )
        item, revision = items[n], revisions[n]
        IssueAppearance.objects.create(
            issue=issue, item=item, delivery=deliver(paper, item, revision)
        )
    Broadcast.objects.create(
        channel=tv,
        kind="item",
        item=items[0],
        delivery=deliver(tv, items[0], revisions[0]),
        title="新闻",
        aired_at=at(date(2012, 5, 7)),
        duration_seconds=120,
    )
    for n in range(3):
        Broadcast.objects.create(
            channel=tv,
            kind="advert",
            title=f"公益广告{n}",
            aired_at=at(date(2012, 6, 1)),
            duration_seconds=60,
        )
    for title in ("“三打”专项行动新闻发布会", "第四届漫博会集中采访活动"):
        PressConference.objects.create(organisation=town, title=title, held_on=date(2012, 8, 1))
    NewsRelease.objects.create(
        organisation=town, title="重大新闻", released_on=date(2012, 8, 2), is_major=True
    )
    OutsideArticle.objects.create(
        organisation=town, outlet="南方日报", title="报道", published_on=date(2012, 8, 3)
    )


def test_it_reproduces_the_seed_website_figures_with_correct_shares(town, seed_websites):
    data = report_data(organisation=town, year=2012, fmt="2008", include_subtree=False)
    web = data["tables"]["websites"]
    assert web["total"] == 1986
    assert web["portal"]["total"] == 1328
    assert [(c["name"], c["count"], c["share"]) for c in web["portal"]["categories"]] == [
        ("规范性文件", 28, "2.1"),
        ("规划计划", 16, "1.2"),
        ("业务工作", 248, "18.7"),
        ("统计数据", 12, "0.9"),
        ("其他", 1024, "77.1"),
    ]
    assert web["portal"]["share_sum"] == "100.0"
    (enterprise,) = web["other_sites"]
    assert enterprise["total"] == 10231
    assert [c["share"] for c in enterprise["categories"]] == ["49.6", "14.5", "12.0", "23.9"]
    proactive = next(s for s in data["sections"] if s["key"] == "proactive")
    first, second = proactive["subsections"]
    assert first["number"] == "（一）" and second["number"] == "（二）"
    assert "发布政务信息1986条" in first["text"]
    assert "统计数据类信息12条，占0.9%" in first["text"]
    assert "业务工作类信息248条，占18.7%" in first["text"]
    assert second["heading"] == "寮步企业服务网主动公开政府信息情况"
    assert "机构职能类信息5079条，占49.6%" in second["text"]
    assert not [c for c in data["checks"] if c["cell"].startswith("websites")]


def test_it_numbers_the_channels_in_order_and_names_the_conferences(town, channel_records):
    data = report_data(organisation=town, year=2012, fmt="2008", include_subtree=False)
    subs = next(s for s in data["sections"] if s["key"] == "proactive")["subsections"]
    assert [s["number"] for s in subs] == ["（一）", "（二）", "（三）", "（四）", "（五）"]
    assert [s["heading"] for s in subs][1:] == [
        "镇政府电子屏幕主动公开政府信息情况",
        "《寮步报》主动公开政府信息情况",
        "寮步镇电视台主动公开政府信息情况",
        "召开新闻发布会主动公开政府信息",
    ]
    screen, paper, tv, press = (s["text"] for s in subs[1:])
    assert screen == "共发布政务信息3条，其中政府采购类信息2条，其他类信息1条。"
    assert paper == "2012年共印发2期合20000份。共刊登政府信息2条次。"
    assert tv == "共发布政府信息1条次。制作播出公益广告3条次，总播出时间5分钟。"
    assert (
        "共召开2次新闻发布会，分别是“三打”专项行动新闻发布会、第四届漫博会集中采访活动。" in press
    )
    assert "共发布重大新闻1次" in press and "在南方日报等外部媒体发稿1篇次" in press
