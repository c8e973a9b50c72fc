"""The Liaobu demo's channels (seed 一(三)) and their 2012 records (seed 二), plus a few current
ones so the screen and the kiosk show something today.

The 2012 records reproduce the seed's figures exactly when counted by
`selectors.channel_counts`: plaza screen 45 items (政府采购 6); 《寮步报》 52 weekly issues of
10,000 copies with 839 item appearances; TV 1,800 item broadcasts and 540 public-service adverts,
24,500 minutes in all; 7 named press conferences, 45 major news releases and 1,500 articles in
six outside media. Historical records are written with bulk_create (the gate's checks are for
new dispatches; these items are published and their deliveries point at their live revisions).
"""

import datetime
import itertools
from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.catalogue.models import Category, ColumnPage, DisclosureItem
from gongkai.catalogue.services import index_number_next
from gongkai.review.demo import publish_demo_item

from .models import (
    Broadcast,
    Channel,
    ChannelSelection,
    Delivery,
    Issue,
    IssueAppearance,
    NewsRelease,
    NoticePrint,
    OutsideArticle,
    Post,
    PressConference,
)
from .services import issue_render_enqueue

YEAR = 2012

# (key, kind, name, slug, config, site name and column title to place items in)
CHANNELS = [
    (
        "gov_web",
        Channel.Kind.WEBSITE,
        "人民政府网站",
        "gov-web",
        {},
        ("寮步镇人民政府网", "通知公告"),
    ),
    (
        "social_web",
        Channel.Kind.WEBSITE,
        "社工网站",
        "social-web",
        {"url": "http://shegong.liaobu.example.gov.cn/"},
        None,
    ),
    (
        "law_web",
        Channel.Kind.WEBSITE,
        "香市普法网",
        "pufa-web",
        {"url": "http://pufa.liaobu.example.gov.cn/"},
        None,
    ),
    (
        "ent_web",
        Channel.Kind.WEBSITE,
        "寮步企业服务网",
        "ent-web",
        {},
        ("寮步企业服务网", "企业服务"),
    ),
    ("plaza", Channel.Kind.SCREEN, "市民广场电子显示屏", "plaza", {"interval_seconds": 15}, None),
    (
        "hall_screen",
        Channel.Kind.SCREEN,
        "政府大楼电子屏",
        "hall-screen",
        {"interval_seconds": 10},
        None,
    ),
    ("hall_kiosk", Channel.Kind.KIOSK, "政府大楼触摸屏", "hall-kiosk", {"idle_seconds": 90}, None),
    ("paper", Channel.Kind.NEWSPAPER, "《寮步报》", "liaobu-bao", {"default_copies": 10000}, None),
    ("magazine", Channel.Kind.MAGAZINE, "《香市经济》", "xiangshi-jingji", {}, None),
    ("tv", Channel.Kind.TV, "寮步电视台", "liaobu-tv", {"programme": "寮步新闻"}, None),
    (
        "xiang_weibo",
        Channel.Kind.NEW_MEDIA,
        "香书记微博",
        "xiang-weibo",
        {"platform": "weibo"},
        None,
    ),
    (
        "youth_weibo",
        Channel.Kind.NEW_MEDIA,
        "团委微博",
        "tuanwei-weibo",
        {"platform": "weibo"},
        None,
    ),
    (
        "hall_board",
        Channel.Kind.NOTICE_BOARD,
        "政府大楼临时公告牌",
        "hall-board",
        {"location": "政府大楼一楼大堂"},
        None,
    ),
    (
        "street_board",
        Channel.Kind.NOTICE_BOARD,
        "大楼周边公告栏",
        "street-board",
        {"location": "政府大楼周边"},
        None,
    ),
]

# Seed 二(六), in the order the report names them, with plausible 2012 dates.
CONFERENCES = [
    ("寮步“贯彻落实市第十三次党代会精神”集中采访活动", datetime.date(2012, 3, 8)),
    ("“三打”专项行动第三次集中宣传活动", datetime.date(2012, 4, 20)),
    ("“三打”专项行动新闻发布会", datetime.date(2012, 5, 25)),
    ("第四届漫博会集中采访活动", datetime.date(2012, 7, 12)),
    (
        "2012中国(东莞)国际沉香文化艺术博览会暨寮步第三届香市文化旅游节新闻发布会",
        datetime.date(2012, 9, 18),
    ),
    ("深化农村综合改革推进镇村集体经济发展集中采访活动", datetime.date(2012, 10, 26)),
    ("“学习贯彻十八大”集中采访活动", datetime.date(2012, 12, 6)),
]
# 1,500 articles in the six outlets the seed names.
OUTLETS = {
    "南方日报": 230,
    "广州日报": 150,
    "南方都市报": 180,
    "东莞日报": 520,
    "东莞时报": 290,
    "阳光网": 130,
}
MEDIA = ["南方日报", "广州日报", "南方都市报", "东莞日报", "东莞时报", "阳光网", "东莞电视台"]
TOPICS = [
    "寮步镇推进“三打两建”工作",
    "寮步镇香市文化旅游节",
    "寮步镇农村综合改革",
    "寮步镇镇村集体经济发展",
    "寮步镇民生实事",
    "寮步镇招商引资",
    "寮步镇沉香产业",
    "寮步镇社会管理创新",
    "寮步镇环境整治",
    "寮步镇安全生产",
    "寮步镇教育文化",
    "寮步镇社区服务",
]
ADVERTS = [
    "文明东莞 你我共建",
    "创建全国文明城市",
    "消防安全 人人有责",
    "珍爱生命 远离毒品",
    "“三打两建”宣传",
    "节约用水 从我做起",
    "关爱留守儿童",
    "无偿献血 传递爱心",
    "文明交通 安全出行",
    "食品安全 关系你我",
    "森林防火 人人有责",
    "平安寮步 共建共享",
]

PROCUREMENT_TITLES = [
    "寮步镇政府办公设备采购项目公开招标公告",
    "寮步镇市政道路维护服务采购公告",
    "寮步镇中小学校课桌椅采购中标公告",
    "寮步镇公共照明设施采购公告",
    "寮步镇环卫车辆采购项目招标公告",
    "寮步镇社区服务中心装修工程采购公告",
]
OTHER_TITLES = [
    "寮步镇土地使用权拍卖公告",
    "寮步镇2012年政府工作方案",
    "寮步镇香市文化旅游节活动安排",
    "寮步镇“三打两建”工作动态",
]

# Figures of the seed (二): what the records below must add up to.
SCREEN_ITEMS, SCREEN_PROCUREMENT = 45, 6
ISSUES, COPIES_EACH, APPEARANCES = 52, 10000, 839
TV_ITEMS, TV_ADVERTS, TV_MINUTES = 1800, 540, 24500
RELEASES, ARTICLES = 45, 1500

# TV durations: item broadcasts take 12 minutes on average (21,600 minutes), adverts the other
# 2,900 minutes; together 24,500.
ITEM_SECONDS = [600, 720, 840]
ADVERT_SECONDS = [320] * 8 + [340]


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    tz = timezone.get_default_timezone()  # Beijing time: what the log and the counts use
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=tz)


def _spread(count: int, year: int) -> list[datetime.date]:
    """`count` days spread evenly over the year."""
    start = datetime.date(year, 1, 1)
    days = (datetime.date(year + 1, 1, 1) - start).days
    return [start + datetime.timedelta(days=(n * days) // count) for n in range(count)]


def _published(item) -> datetime.date:
    return item.published_date or item.created_date


def _pool(items_by_category, year: int) -> dict[str, list[DisclosureItem]]:
    pool = defaultdict(list)
    for name, items in items_by_category.items():
        for item in items:
            if (
                item.live_revision_id
                and item.withdrawn_at is None
                and _published(item).year == year
            ):
                pool[name].append(item)
    return pool


def _create_item(*, town, actor, users, title, category, day) -> DisclosureItem:
    """A published item of the town (for records the given set lacks). Public only through
    the confidentiality review, like every item: the demo's reviewer and approver decide."""
    with transaction.atomic():
        item = DisclosureItem(
            organisation=town,
            title=title,
            summary=title,
            category=category,
            created_date=day,
            published_date=day,
            index_number=index_number_next(organisation=town, year=day.year),
            body=f"<p>{title}。</p>",
            live=False,
        )
        item.save()
        item.save_revision(user=actor)
        publish_demo_item(item, users=users)
    item.refresh_from_db()
    return item


def _cleared_this_year(town, today) -> list[DisclosureItem]:
    from .selectors import items_cleared_for_channels

    return list(
        items_cleared_for_channels()
        .filter(organisation=town, published_date__year=today.year, published_date__lte=today)
        .select_related("category")
        .order_by("-published_date", "-id")[:8]
    )


def _top_up(pool, *, town, actor, users, category_name, need, titles, days) -> None:
    """Make sure the pool has `need` items of a category, creating the missing ones."""
    have = pool[category_name]
    if len(have) >= need:
        return
    category = Category.objects.get(scheme=Category.Scheme.INFO, name=category_name)
    for n in range(len(have), need):
        title = titles[n % len(titles)]
        if n >= len(titles):
            title = f"{title}（{n // len(titles) + 1}）"
        have.append(
            _create_item(
                town=town, actor=actor, users=users, title=title, category=category, day=days[n]
            )
        )


def _channels(town) -> dict[str, Channel]:
    from wagtail.models import Site

    sites = {s.site_name: s for s in Site.objects.select_related("root_page")}
    made = {}
    for order, (key, kind, name, slug, config, place) in enumerate(CHANNELS):
        column = None
        if place and place[0] in sites:
            root = sites[place[0]].root_page
            column = ColumnPage.objects.descendant_of(root).filter(title=place[1]).first()
        if kind == Channel.Kind.WEBSITE and column is None and not config.get("url"):
            config = {**config, "url": f"http://{slug}.liaobu.example.gov.cn/"}
        channel = Channel(
            organisation=town,
            kind=kind,
            name=name,
            slug=slug,
            column=column,
            config=config,
            sort_order=order,
        )
        channel.full_clean()
        channel.save()
        made[key] = channel
    return made


class _Deliveries:
    """One delivery per (item, channel), created in bulk at the end."""

    def __init__(self, actor):
        self.actor = actor
        self.rows: dict[tuple[int, int], Delivery] = {}

    def get(self, item, channel, sent_at) -> Delivery:
        key = (item.pk, channel.pk)
        if key not in self.rows:
            self.rows[key] = Delivery(
                item=item,
                channel=channel,
                revision_id=item.live_revision_id,
                status=Delivery.Status.SENT,
                attempts=1,
                claimed_at=sent_at,
                sent_at=sent_at,
                requested_by=self.actor,
                created_at=sent_at,
            )
        return self.rows[key]

    def save(self) -> None:
        Delivery.objects.bulk_create(self.rows.values())


# What the paper and the TV news carried (seed 二(三): 政府工作方案、政府采购、土地使用权拍卖…):
# government business, not the enterprise site's directory of 机构职能 and 村(居)委会 pages.
NEWS_CATEGORIES = ("规划计划", "政府采购", "业务工作", "规范性文件", "统计数据", "政府文件", "其他")


def _sample(pool, size: int = 400) -> list[DisclosureItem]:
    """At most `size` news-worthy items spread over the year: the town's 12,000 web items need
    not all be printed, and choosing among a few hundred keeps the demo fast."""
    news = [i for name in NEWS_CATEGORIES for i in pool.get(name, [])]
    if len(news) < size // 4:
        news = [i for items in pool.values() for i in items]
    items = sorted(news, key=lambda i: (_published(i), i.pk))
    step = max(len(items) // size, 1)
    return items[::step][:size]


def _pick(candidates, used: dict[int, int], count: int, day) -> list[DisclosureItem]:
    """`count` distinct items, those published by `day` first (least used, newest first); a
    small pool is eked out with later items so the totals still come out right."""

    def rank(item):
        return (used[item.pk], -_published(item).toordinal(), item.pk)

    ready = sorted((i for i in candidates if _published(i) <= day), key=rank)
    later = sorted((i for i in candidates if _published(i) > day), key=rank)
    chosen = (ready + later)[:count]
    for item in chosen:
        used[item.pk] += 1
    return chosen


def _screen_2012(pool, channels, deliveries) -> None:
    procurement = pool["政府采购"][:SCREEN_PROCUREMENT]
    others = [i for name, items in sorted(pool.items()) if name != "政府采购" for i in items]
    others.sort(key=lambda i: (_published(i), i.pk))
    step = max(len(others) // (SCREEN_ITEMS - SCREEN_PROCUREMENT), 1)
    chosen = procurement + others[::step][: SCREEN_ITEMS - SCREEN_PROCUREMENT]
    for item in chosen:
        day = min(_published(item) + datetime.timedelta(days=1), datetime.date(YEAR, 12, 31))
        deliveries.get(item, channels["plaza"], _at(day, 9))


def _paper_2012(pool, channels, deliveries, actor) -> None:
    paper = channels["paper"]
    candidates = _sample(pool)
    first_friday = datetime.date(YEAR, 1, 6)
    issues = [
        Issue(
            channel=paper,
            number=n + 1,
            date=first_friday + datetime.timedelta(weeks=n),
            copies=COPIES_EACH,
            page_size="A3",
            columns=3,
            composed_by=actor,
            created_at=_at(first_friday + datetime.timedelta(weeks=n), 8),
        )
        for n in range(ISSUES)
    ]
    Issue.objects.bulk_create(issues)
    # 7 issues of 17 items and 45 of 16: 839 appearances.
    extra = APPEARANCES - ISSUES * (APPEARANCES // ISSUES)
    used = defaultdict(int)
    appearances = []
    for n, issue in enumerate(issues):
        count = APPEARANCES // ISSUES + (1 if n < extra else 0)
        for position, item in enumerate(_pick(candidates, used, count, issue.date)):
            delivery = deliveries.get(item, paper, _at(issue.date, 8) - datetime.timedelta(days=2))
            appearances.append((issue, item, delivery, position))
    return appearances


def _tv_2012(pool, channels, deliveries, actor) -> list[Broadcast]:
    tv = channels["tv"]
    items = _sample(pool)
    used = defaultdict(int)
    lines = []
    slots = [(12, 0), (19, 0), (21, 30)]
    days = _spread(TV_ITEMS // 5, YEAR)  # five item broadcasts on each news day
    durations = itertools.cycle(ITEM_SECONDS)
    for day in days:
        for k, item in enumerate(_pick(items, used, 5, day)):
            hour, minute = slots[k % len(slots)]
            aired = _at(day, hour, minute + 2 * k)
            lines.append(
                Broadcast(
                    channel=tv,
                    kind=Broadcast.Kind.ITEM,
                    item=item,
                    delivery=deliveries.get(item, tv, aired - datetime.timedelta(hours=3)),
                    title=item.title,
                    programme="寮步新闻",
                    aired_at=aired,
                    duration_seconds=next(durations),
                    recorded_by=actor,
                    created_at=aired,
                )
            )
    advert_seconds = itertools.cycle(ADVERT_SECONDS)
    titles = itertools.cycle(ADVERTS)
    for n, day in enumerate(_spread(TV_ADVERTS, YEAR)):
        aired = _at(day, 18 + n % 3, 50)
        lines.append(
            Broadcast(
                channel=tv,
                kind=Broadcast.Kind.ADVERT,
                title=next(titles),
                programme="公益广告",
                aired_at=aired,
                duration_seconds=next(advert_seconds),
                recorded_by=actor,
                created_at=aired,
            )
        )
    return lines


def _press_2012(town) -> None:
    conferences = PressConference.objects.bulk_create(
        PressConference(
            organisation=town,
            title=title,
            held_on=day,
            venue="寮步镇政府新闻发布厅",
            topics="\n".join(TOPICS[n % len(TOPICS) : n % len(TOPICS) + 2]),
            media_attending="\n".join(MEDIA),
        )
        for n, (title, day) in enumerate(CONFERENCES)
    )
    forms = itertools.cycle(
        [
            NewsRelease.Form.RELEASE,
            NewsRelease.Form.GROUP_INTERVIEW,
            NewsRelease.Form.INTERVIEW,
            NewsRelease.Form.RELEASE,
        ]
    )
    releases = [
        NewsRelease(
            organisation=town,
            title=conference.title,
            released_on=conference.held_on,
            form=NewsRelease.Form.CONFERENCE,
            is_major=True,
            conference=conference,
        )
        for conference in conferences
    ]
    for n, day in enumerate(_spread(RELEASES - len(releases), YEAR)):
        releases.append(
            NewsRelease(
                organisation=town,
                title=f"{TOPICS[n % len(TOPICS)]}取得新进展（{day.month}月）",
                released_on=day,
                form=next(forms),
                is_major=True,
            )
        )
    releases = NewsRelease.objects.bulk_create(releases)
    releases.sort(key=lambda r: r.released_on)
    articles = []
    # Each outlet's articles spread evenly over the year, interleaved with the others'.
    outlets = [
        name
        for _share, name in sorted((k / n, name) for name, n in OUTLETS.items() for k in range(n))
    ]
    days = _spread(ARTICLES, YEAR)
    for n, (outlet, day) in enumerate(zip(outlets, days, strict=True)):
        release = next((r for r in reversed(releases) if r.released_on <= day), None)
        articles.append(
            OutsideArticle(
                organisation=town,
                outlet=outlet,
                title=f"{TOPICS[n % len(TOPICS)]}{('纪实', '综述', '观察', '见闻')[n % 4]}",
                published_on=day,
                release=release,
            )
        )
    OutsideArticle.objects.bulk_create(articles)


def _current(pool, channels, deliveries, actor, today):
    """A handful of records dated now, so the screens, kiosk, outbox and paper look alive."""
    recent = sorted(
        (i for items in pool.values() for i in items), key=lambda i: _published(i), reverse=True
    )
    now = timezone.now()
    for n, item in enumerate(recent[:8]):
        deliveries.get(item, channels["plaza"], now - datetime.timedelta(hours=2 + n))
    for n, item in enumerate(recent[:4]):
        deliveries.get(item, channels["hall_screen"], now - datetime.timedelta(hours=1 + n))
        deliveries.get(item, channels["hall_kiosk"], now - datetime.timedelta(hours=1 + n))
        deliveries.get(item, channels["paper"], now - datetime.timedelta(hours=1))
    for n, item in enumerate(recent[:2]):
        deliveries.get(item, channels["hall_board"], now - datetime.timedelta(days=n + 1))
        deliveries.get(item, channels["xiang_weibo"], now - datetime.timedelta(hours=n))
    broadcasts = [
        Broadcast(
            channel=channels["tv"],
            kind=Broadcast.Kind.ITEM,
            item=item,
            delivery=deliveries.get(item, channels["tv"], now - datetime.timedelta(days=1)),
            title=item.title,
            programme="寮步新闻",
            aired_at=_at(today - datetime.timedelta(days=1), 19, 2 * n),
            duration_seconds=ITEM_SECONDS[n % 3],
            recorded_by=actor,
        )
        for n, item in enumerate(recent[:3])
    ]
    return recent[:4], broadcasts


def _current_after_save(channels, deliveries, actor, today, items) -> None:
    now = timezone.now()
    paper = channels["paper"]
    weibo = channels["xiang_weibo"]
    posted = [d for d in deliveries.rows.values() if d.channel_id == weibo.pk]
    Post.objects.bulk_create(
        Post(
            channel=weibo,
            item=d.item,
            delivery=d,
            text=f"【{d.item.title}】{d.item.summary[:100]}",
            status=Post.Status.POSTED if n else Post.Status.READY,
            posted_at=now if n else None,
            posted_by=actor if n else None,
        )
        for n, d in enumerate(posted)
    )
    boards = [d for d in deliveries.rows.values() if d.channel_id == channels["hall_board"].pk]
    NoticePrint.objects.bulk_create(
        NoticePrint(channel=d.channel, item=d.item, delivery=d, copies=2, printed_by=actor)
        for d in boards[:1]
    )
    ChannelSelection.objects.bulk_create(
        ChannelSelection(item=item, channel=channels[key], selected_by=actor)
        for item in items
        for key in ("plaza", "hall_kiosk")
    )
    if not items:
        return
    # This year's latest issue of the paper, rendered to PDF and Word by the worker.
    friday = today - datetime.timedelta(days=(today.weekday() - 4) % 7)
    issue = Issue.objects.create(
        channel=paper,
        number=(friday - datetime.date(friday.year, 1, 1)).days // 7 + 1,
        date=friday,
        copies=COPIES_EACH,
        page_size="A3",
        columns=3,
        composed_by=actor,
    )
    IssueAppearance.objects.bulk_create(
        IssueAppearance(
            issue=issue, item=item, delivery=deliveries.rows[(item.pk, paper.pk)], position=n
        )
        for n, item in enumerate(items)
    )
    transaction.on_commit(lambda: issue_render_enqueue(issue_id=issue.pk))


def load_demo(*, orgs, users, items_by_category, stdout) -> None:
    town = orgs["liaobu"]
    actor = users.get("gkb_admin") or users.get("admin") or users.get("sysadmin")
    today = timezone.localdate()
    channels = _channels(town)

    pool = _pool(items_by_category, YEAR)
    _top_up(
        pool,
        town=town,
        actor=actor,
        users=users,
        category_name="政府采购",
        need=SCREEN_PROCUREMENT,
        titles=PROCUREMENT_TITLES,
        days=_spread(SCREEN_PROCUREMENT, YEAR),
    )
    wanted = SCREEN_ITEMS - SCREEN_PROCUREMENT
    others = sum(len(v) for k, v in pool.items() if k != "政府采购")
    if others < wanted:
        need = len(pool["其他"]) + wanted - others
        _top_up(
            pool,
            town=town,
            actor=actor,
            users=users,
            category_name="其他",
            need=need,
            titles=OTHER_TITLES,
            days=_spread(need, YEAR),
        )
    current = _pool(items_by_category, today.year)
    if sum(len(v) for v in current.values()) < 4:
        # This year's items the catalogue demo already published, if review cleared them.
        for item in _cleared_this_year(town, today):
            current[item.category.name].append(item)
    if sum(len(v) for v in current.values()) < 4:
        recent_days = [today - datetime.timedelta(days=d) for d in (1, 3, 6, 9)]
        _top_up(
            current,
            town=town,
            actor=actor,
            users=users,
            category_name="政府采购",
            need=2,
            titles=[
                f"寮步镇{today.year}年政务服务中心设备采购公告",
                f"寮步镇{today.year}年道路绿化养护服务采购公告",
            ],
            days=recent_days[:2],
        )
        _top_up(
            current,
            town=town,
            actor=actor,
            users=users,
            category_name="规划计划",
            need=2,
            titles=[f"寮步镇{today.year}年政府工作要点", f"寮步镇{today.year}年民生实事安排"],
            days=recent_days[2:],
        )

    deliveries = _Deliveries(actor)
    _screen_2012(pool, channels, deliveries)
    appearances = _paper_2012(pool, channels, deliveries, actor)
    broadcasts = _tv_2012(pool, channels, deliveries, actor)
    current_items, current_broadcasts = _current(current, channels, deliveries, actor, today)
    deliveries.save()
    IssueAppearance.objects.bulk_create(
        IssueAppearance(issue=issue, item=item, delivery=delivery, position=position)
        for issue, item, delivery, position in appearances
    )
    Broadcast.objects.bulk_create([*broadcasts, *current_broadcasts])
    _press_2012(town)
    _current_after_save(channels, deliveries, actor, today, current_items)
    stdout.write(
        _(
            "  发布渠道 %(channels)s 个；%(year)s年：广场电子屏 %(screen)s 条，"
            "《寮步报》%(issues)s 期 %(copies)s 份 %(appearances)s 条次，"
            "电视 %(tv)s 条次、公益广告 %(adverts)s 条次、%(minutes)s 分钟，"
            "新闻发布会 %(conferences)s 次、重大新闻 %(releases)s 次、外部媒体发稿 %(articles)s 篇次"
        )
        % {
            "channels": len(channels),
            "year": YEAR,
            "screen": SCREEN_ITEMS,
            "issues": ISSUES,
            "copies": ISSUES * COPIES_EACH,
            "appearances": APPEARANCES,
            "tv": TV_ITEMS,
            "adverts": TV_ADVERTS,
            "minutes": TV_MINUTES,
            "conferences": len(CONFERENCES),
            "releases": RELEASES,
            "articles": ARTICLES,
        }
    )
