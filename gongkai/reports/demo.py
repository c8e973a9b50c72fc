"""The Liaobu demo's work records and staff figures (seed 一(一)(二), 六), for 2012 and 2026.

The seed says the town holds joint meetings with the villages and units, revised its
《寮步镇政务信息公开实施细则》 and 《寮步镇电子政务公开审核制度》, plans its 2013 work and
trains its staff. It says nothing of licences, penalties, enforcement or administrative fees:
those 2012 figures are entered as zeros, by the disclosure-office administrator.
"""

from datetime import date

from .models import JointMeeting, OfficeRule, StaffFigure, TrainingSession
from .services import staff_figure_set

VILLAGE_CODES = [
    "liaobu-xiangshi",
    "liaobu-xiling",
    "liaobu-hengkeng",
    "liaobu-shilongkeng",
    "liaobu-shangtun",
    "liaobu-xialingbei",
    "liaobu-fushan",
    "liaobu-zhuyuan",
    "liaobu-liangping",
    "liaobu-quantang",
    "liaobu-huaxi",
    "liaobu-shibu",
]
UNIT_CODES = ["liaobu-office", "liaobu-publicity", "liaobu-economy", "liaobu-finance"]

MEETINGS_2012 = [
    (
        date(2012, 3, 16),
        "2012年第一次政务信息公开联席会议",
        "传达学习《关于印发2012年全市政务信息公开工作计划的通知》（东府办函〔2012〕53号）精神",
        "更新镇政府信息公开目录和指南，完善公开范围、方式和程序，并在镇人民政府网站公开。",
    ),
    (
        date(2012, 6, 21),
        "2012年第二次政务信息公开联席会议",
        "修订《寮步镇政务信息公开实施细则》和《寮步镇电子政务公开审核制度》",
        "各村（社区）参照市、镇做法成立政务公开领导小组，名单报党政人大办备案。",
    ),
    (
        date(2012, 9, 20),
        "2012年第三次政务信息公开联席会议",
        "总结上半年信息公开工作中遇到的问题",
        "网上信息一律先经专职信息保密员审核，做到涉密信息不上网、上网信息不涉密。",
    ),
    (
        date(2012, 12, 14),
        "2012年第四次政务信息公开联席会议",
        "研究部署2013年政务信息公开工作",
        "制定《寮步镇2013年政务信息公开工作计划》，明确各类信息的公布时限和责任部门。",
    ),
]

MEETINGS_2026 = [
    (
        date(2026, 3, 12),
        "2026年第一次政务公开联席会议",
        "部署2026年政务公开工作要点",
        "各村（社区）按季度更新村务公开栏目。",
    ),
    (
        date(2026, 9, 10),
        "2026年第二次政务公开联席会议",
        "通报网站栏目更新情况和依申请公开办理情况",
        "对超期未更新的栏目逐一整改。",
    ),
]


def _meeting(organisation, attendees, held_on, title, topics, decisions):
    meeting = JointMeeting.objects.create(
        organisation=organisation, held_on=held_on, title=title, topics=topics, decisions=decisions
    )
    meeting.attendees.set(attendees)
    return meeting


def load_demo(*, orgs, users, stdout) -> None:
    town = orgs["liaobu"]
    office = orgs.get("liaobu-office", town)
    admin = users.get("gkb_admin")
    attendees = [orgs[c] for c in UNIT_CODES + VILLAGE_CODES if c in orgs]

    for held_on, title, topics, decisions in MEETINGS_2012 + MEETINGS_2026:
        _meeting(town, attendees, held_on, title, topics, decisions)

    OfficeRule.objects.bulk_create(
        [
            OfficeRule(
                organisation=town,
                title="寮步镇政务信息公开实施细则",
                kind=OfficeRule.Kind.IMPLEMENTING,
                adopted_on=date(2012, 6, 28),
            ),
            OfficeRule(
                organisation=town,
                title="寮步镇电子政务公开审核制度",
                kind=OfficeRule.Kind.REVIEW,
                adopted_on=date(2012, 6, 28),
            ),
            OfficeRule(
                organisation=town,
                title="寮步镇2013年政务信息公开工作计划",
                kind=OfficeRule.Kind.PLAN,
                adopted_on=date(2012, 12, 20),
                plan_year=2013,
            ),
            OfficeRule(
                organisation=town,
                title="寮步镇政府信息公开保密审查办法",
                kind=OfficeRule.Kind.REVIEW,
                adopted_on=date(2026, 4, 15),
            ),
            OfficeRule(
                organisation=town,
                title="寮步镇2027年政务公开工作要点",
                kind=OfficeRule.Kind.PLAN,
                adopted_on=date(2026, 11, 20),
                plan_year=2027,
            ),
        ]
    )

    TrainingSession.objects.bulk_create(
        [
            TrainingSession(
                organisation=office,
                held_on=date(2012, 7, 12),
                title="网上信息公开保密审核培训",
                trainer="寮步镇党政人大办",
                attendee_count=26,
                attendee_names="\n".join(
                    ["黄保密", "陈编辑"] + [f"{c}信息员" for c in range(1, 25)]
                ),
            ),
            TrainingSession(
                organisation=office,
                held_on=date(2026, 5, 21),
                title="政府信息公开申请办理实务培训",
                trainer="市政务公开办业务骨干",
                attendee_count=38,
            ),
        ]
    )

    # 2012: the seed gives no figure for licences, penalties, enforcement or fees → zeros.
    for key in StaffFigure.Key.values:
        staff_figure_set(
            actor=admin,
            organisation=town,
            year=2012,
            key=key,
            value=0,
            note="2012年报未载此项，录为0。",
        )
    for key, value in (("licensing", 1286), ("penalty", 57), ("enforcement", 3), ("fees", "0")):
        staff_figure_set(
            actor=admin,
            organisation=town,
            year=2026,
            key=key,
            value=value,
            note="据镇行政服务中心、综合行政执法办台账录入。",
        )
    stdout.write("  年度报告：联席会议6次、制度与计划5项、培训2期、2012年及2026年人工录入数据")
