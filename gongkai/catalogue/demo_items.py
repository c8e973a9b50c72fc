"""The Liaobu demo's 2012 website items, generated with plausible titles and bodies.

The seed report gives only counts, so titles and bodies are generated per category. Items are
created in bulk (items, column placements, revisions) so that `load_demo` stays well under a
minute for the 12,217 items of 2012.
"""

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from modelcluster.models import get_serializable_data_for_fields
from wagtail.models import Revision

from .models import Category, DisclosureItem, IndexNumberSequence

SHANGHAI = ZoneInfo("Asia/Shanghai")

TOPICS = [
    "安全生产",
    "环境保护",
    "城乡规划",
    "社会救助",
    "劳动就业",
    "教育",
    "医疗卫生",
    "食品药品",
    "消防",
    "水利",
    "农村土地",
    "村(社区)财务",
    "计划生育",
    "文化体育",
    "沉香文化",
    "招商引资",
    "企业服务",
    "治安",
    "交通",
    "市容环境",
    "三打",
    "统计",
    "财政",
    "民政",
    "优抚安置",
    "残疾人",
]
DEPTS = [
    "党政人大办",
    "经济科技信息局",
    "财政分局",
    "规划管理所",
    "社会事务局",
    "宣传教育文体局",
    "安监分局",
    "环保分局",
]
VILLAGE_NAMES = [
    "寮步社区",
    "西溪村",
    "横坑村",
    "石龙坑村",
    "上屯村",
    "下岭贝村",
    "凫山村",
    "竹园村",
    "良平村",
    "泉塘村",
]

TITLE_TEMPLATES = {
    "规范性文件": [
        "寮步镇人民政府关于印发《寮步镇{topic}管理办法》的通知",
        "寮步镇人民政府关于进一步加强{topic}工作的意见",
        "关于印发《寮步镇{topic}工作实施细则》的通知",
    ],
    "规划计划": [
        "寮步镇{year}年{topic}工作计划",
        "寮步镇{topic}专项规划（{year}—{year2}年）",
        "寮步镇{year}年{topic}工作要点",
    ],
    "业务工作": [
        "寮步镇{dept}{month}月份{topic}工作情况",
        "寮步镇开展{topic}专项检查",
        "{dept}关于{topic}工作的情况通报",
        "寮步镇召开{topic}工作会议",
    ],
    "统计数据": [
        "寮步镇{year}年{month}月主要经济指标",
        "寮步镇{year}年{month}月{topic}统计数据",
    ],
    "机构职能": [
        "寮步镇{dept}主要职能",
        "寮步镇{dept}办事指南：{topic}",
        "{dept}内设机构及联系方式",
    ],
    "政府文件": [
        "寮步镇人民政府关于{topic}有关事项的通知",
        "寮步镇人民政府关于做好{month}月份{topic}工作的通知",
        "东莞市寮步镇人民政府公告（{topic}）",
    ],
    "村(居)委会": [
        "{village}{month}月份村(居)务公开",
        "{village}{year}年{month}月财务收支公开",
        "{village}关于{topic}的公示",
    ],
    "政府采购": [
        "寮步镇{topic}项目采购公告",
        "寮步镇{topic}设备采购中标公告",
    ],
    "人事任免": [
        "寮步镇人民政府关于{dept}负责同志职务任免的通知",
        "寮步镇{year}年公开招聘{topic}工作人员拟聘用人员公示",
    ],
    "财政预决算": [
        "寮步镇{year}年财政预算及“三公”经费预算公开",
        "寮步镇{year}年{dept}部门决算公开",
    ],
    "其他": [
        "寮步镇{topic}工作动态",
        "{village}开展{topic}宣传活动",
        "寮步镇举办{topic}培训班",
        "寮步镇领导调研{topic}工作",
    ],
}

BODY_SENTENCES = [
    "为进一步做好{topic}工作，根据上级有关文件精神，结合我镇实际，现将有关事项通知如下。",
    "各村（社区）、各单位要高度重视，明确责任分工，确保各项工作落到实处。",
    "{dept}牵头负责组织实施，相关部门按照职责分工做好配合。",
    "工作中遇到的问题请及时向镇{dept}反映。",
    "本镇将加强督促检查，对工作落实不力的单位予以通报。",
    "请各单位于每月5日前将工作情况报送镇{dept}。",
]


def _title(rng: random.Random, category: str, day: date) -> str:
    template = rng.choice(TITLE_TEMPLATES.get(category, TITLE_TEMPLATES["其他"]))
    return template.format(
        topic=rng.choice(TOPICS),
        dept=rng.choice(DEPTS),
        village=rng.choice(VILLAGE_NAMES),
        year=day.year,
        year2=day.year + 4,
        month=day.month,
    )


def _body(rng: random.Random) -> str:
    topic, dept = rng.choice(TOPICS), rng.choice(DEPTS)
    sentences = rng.sample(BODY_SENTENCES, 4)
    return "".join(f"<p>{s.format(topic=topic, dept=dept)}</p>" for s in sentences)


def _spread_dates(rng: random.Random, year: int, count: int, until: date | None) -> list[date]:
    start = date(year, 1, 4)
    end = min(until, date(year, 12, 28)) if until else date(year, 12, 28)
    span = (end - start).days
    days = sorted(start + timedelta(days=rng.randrange(span)) for _ in range(count))
    # Government sites publish on working days; move weekend dates to the Friday before.
    return [d - timedelta(days=max(0, d.weekday() - 4)) for d in days]


@transaction.atomic
def create_published_items(
    *,
    organisation,
    placements: list[tuple[object, str, int]],
    year: int,
    seed: int = 2012,
    user=None,
    until: date | None = None,
    reviewer=None,
    approver=None,
) -> dict[str, list[DisclosureItem]]:
    """Create published items in bulk: placements are (column page, category name, count).

    Each item gets an index number from the organisation's sequence, a column placement and a
    live revision, exactly as if it had been created, reviewed and published one by one.
    """
    rng = random.Random(seed)
    categories = {c.name: c for c in Category.objects.filter(scheme=Category.Scheme.INFO)}
    seq, _created = IndexNumberSequence.objects.select_for_update().get_or_create(
        organisation=organisation, year=year
    )
    serial = seq.last_serial
    items: list[DisclosureItem] = []
    item_columns: list[object] = []
    for column, category_name, count in placements:
        category = categories[category_name]
        for day in _spread_dates(rng, year, count, until):
            serial += 1
            published_at = datetime.combine(day, time(9, 30), tzinfo=SHANGHAI)
            created = max(day - timedelta(days=rng.randrange(0, 10)), date(year, 1, 1))
            items.append(
                DisclosureItem(
                    organisation=organisation,
                    index_number=f"{organisation.credit_code}/{year}-{serial:05d}",
                    title=_title(rng, category_name, day),
                    summary="",
                    created_date=created,
                    published_date=day,
                    category=category,
                    genre=DisclosureItem.Genre.NOTICE
                    if category_name in ("规范性文件", "政府文件")
                    else DisclosureItem.Genre.NEWS,
                    regulatory_kind=DisclosureItem.RegulatoryKind.NORMATIVE
                    if category_name == "规范性文件"
                    else DisclosureItem.RegulatoryKind.NONE,
                    body=_body(rng),
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=published_at,
                    last_published_at=published_at,
                )
            )
            item_columns.append(column)
    DisclosureItem.objects.bulk_create(items, batch_size=1000)
    seq.last_serial = serial
    seq.save(update_fields=["last_serial"])

    through = DisclosureItem.columns.through
    through.objects.bulk_create(
        [
            through(disclosureitem_id=item.pk, columnpage_id=column.pk)
            for item, column in zip(items, item_columns, strict=True)
        ],
        batch_size=2000,
    )

    content_type = ContentType.objects.get_for_model(DisclosureItem)
    revisions = []
    for item, column in zip(items, item_columns, strict=True):
        # The same data item.serializable_data() gives, without two queries per item for
        # relations we know are just this column and no attachments.
        content = get_serializable_data_for_fields(item)
        content["columns"] = [column.pk]
        content["attachments"] = []
        revisions.append(
            Revision(
                content_type=content_type,
                base_content_type=content_type,
                object_id=str(item.pk),
                object_str=item.title[:255],
                content=content,
                user=user,
                created_at=item.first_published_at,
            )
        )
    Revision.objects.bulk_create(revisions, batch_size=1000)
    for item, revision in zip(items, revisions, strict=True):
        item.live_revision_id = revision.pk
        item.latest_revision_id = revision.pk
    DisclosureItem.objects.bulk_update(items, ["live_revision", "latest_revision"], batch_size=1000)
    if reviewer is not None and approver is not None:
        _record_historical_clearance(
            items, revisions, reviewer=reviewer, approver=approver, user=user
        )

    by_category: dict[str, list[DisclosureItem]] = {}
    for item in items:
        by_category.setdefault(item.category.name, []).append(item)
    return by_category


def _record_historical_clearance(items, revisions, *, reviewer, approver, user) -> None:
    """Record, in bulk, that each demo item's live revision passed its organisation's workflow.

    The demo's history is loaded in bulk for speed, but it must look exactly like items that
    went through review: an approved workflow state, an approved task state on that revision
    for every step, and the clearance record publishing and the channels check.
    """
    from wagtail.models import TaskState, WorkflowState

    from gongkai.orgs.models import Role
    from gongkai.review.models import OrganisationRoleApprovalTask, ReviewClearance

    if not items:
        return
    workflow = items[0].get_workflow()
    if workflow is None:
        return
    tasks = list(workflow.tasks.filter(active=True).specific())
    content_type = ContentType.objects.get_for_model(DisclosureItem)
    states = [
        WorkflowState(
            content_type=content_type,
            base_content_type=content_type,
            object_id=str(item.pk),
            workflow=workflow,
            status=WorkflowState.STATUS_APPROVED,
            requested_by=user,
        )
        for item in items
    ]
    WorkflowState.objects.bulk_create(states, batch_size=1000)
    state_types = {
        task.pk: ContentType.objects.get_for_model(task.get_task_state_class()) for task in tasks
    }
    task_states = []
    for item, revision, state in zip(items, revisions, states, strict=True):
        for task in tasks:
            decider = None
            if isinstance(task, OrganisationRoleApprovalTask):
                decider = approver if task.role == Role.APPROVER else reviewer
            task_states.append(
                TaskState(
                    workflow_state=state,
                    revision=revision,
                    task=task,
                    status=TaskState.STATUS_APPROVED,
                    finished_at=item.first_published_at,
                    finished_by=decider,
                    comment="同意发布" if decider else "",
                    content_type=state_types[task.pk],
                )
            )
    TaskState.objects.bulk_create(task_states, batch_size=2000)
    ReviewClearance.objects.bulk_create(
        [
            ReviewClearance(
                revision=revision, workflow_state=state, cleared_at=item.first_published_at
            )
            for item, revision, state in zip(items, revisions, states, strict=True)
        ],
        batch_size=1000,
    )
