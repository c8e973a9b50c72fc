"""Where the demo's website items go: the 2012 figures of the seed report, and this year's.

Seed README, 2012: the town's websites published 1,986 items, 1,328 of them in the disclosure
portal (the 政府信息公开 section) — 规范性文件 28, 规划计划 16, 业务工作 248, 统计数据 12,
其他 1,024 — and the enterprise service site 10,231: 机构职能 5,079, 政府文件 1,481,
村(居)委会 1,227, 其他 2,444.
"""

from datetime import date

from .demo_items import create_published_items

# (site key, column title, 信息类别, count)
PLACEMENTS_2012 = [
    ("gov", "政策文件", "规范性文件", 28),
    ("gov", "规划计划", "规划计划", 16),
    ("gov", "业务工作", "业务工作", 248),
    ("gov", "统计数据", "统计数据", 12),
    ("gov", "其他信息", "其他", 1024),
    # outside the disclosure portal: 1,986 - 1,328 = 658
    ("gov", "政务动态", "其他", 500),
    ("gov", "通知公告", "其他", 158),
    ("enterprise", "机构职能", "机构职能", 5079),
    ("enterprise", "政府文件", "政府文件", 1481),
    ("enterprise", "村(居)委会", "村(居)委会", 1227),
    ("enterprise", "其他", "其他", 2444),
]

# This year, so the sites do not look dead.
PLACEMENTS_CURRENT = [
    ("gov", "政务动态", "其他", 120),
    ("gov", "通知公告", "其他", 40),
    ("gov", "政策文件", "规范性文件", 6),
    ("gov", "规划计划", "规划计划", 5),
    ("gov", "业务工作", "业务工作", 40),
    ("gov", "统计数据", "统计数据", 11),
    ("gov", "政府采购", "政府采购", 12),
    ("gov", "人事任免", "人事任免", 6),
    ("gov", "财政预决算", "财政预决算", 4),
    ("gov", "其他信息", "其他", 60),
    ("enterprise", "机构职能", "机构职能", 20),
    ("enterprise", "政府文件", "政府文件", 30),
    ("enterprise", "村(居)委会", "村(居)委会", 40),
    ("enterprise", "其他", "其他", 30),
]


def _resolve(sites: dict, placements):
    columns = sites["columns"]
    return [
        (columns[site][column], category, count) for site, column, category, count in placements
    ]


def load_items(*, orgs, users, sites, today: date) -> dict:
    town = orgs["liaobu"]
    editor = users.get("editor")
    # The 2012 history and this year's items passed the town's review like any other item.
    deciders = {"reviewer": users.get("reviewer"), "approver": users.get("approver")}
    items_2012 = create_published_items(
        organisation=town,
        placements=_resolve(sites, PLACEMENTS_2012),
        year=2012,
        seed=2012,
        user=editor,
        **deciders,
    )
    create_published_items(
        organisation=town,
        placements=_resolve(sites, PLACEMENTS_CURRENT),
        year=today.year,
        seed=today.year,
        user=editor,
        until=today,
        **deciders,
    )
    return items_2012
