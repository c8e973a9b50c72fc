"""Fixtures for the review workflow's tests: the standard workflows, items, people.

Personas (root conftest): alice 公开办管理员@town, bob 保密审查员@town, carol 审批领导@town,
dave 编辑@village, charlie nobody. Added here: edna 编辑@town, vince 保密审查员@village.
"""

import datetime

import pytest

from gongkai.catalogue.models import Category
from gongkai.catalogue.services import item_create
from gongkai.orgs.creditcode import make_credit_code
from gongkai.orgs.models import Role
from gongkai.review.services import review_workflows_install

BODY = "<p>寮步镇2026年春季植树活动安排如下。</p><p>请各村（社区）按时参加。</p>"


@pytest.fixture
def workflows(town, office, village):
    return review_workflows_install(root=town)


@pytest.fixture
def edna(make_user, town):
    return make_user("edna", roles=[(Role.EDITOR, town)])


@pytest.fixture
def vince(make_user, village):
    return make_user("vince", roles=[(Role.REVIEWER, village)])


@pytest.fixture
def make_item(town):
    def make(title="寮步镇关于开展春季植树活动的通知", *, organisation=None, actor=None, **fields):
        organisation = organisation or town
        if not organisation.credit_code:  # the index number needs one
            organisation.credit_code = make_credit_code(f"5444190073{organisation.pk:07d}")
            organisation.save(update_fields=["credit_code"])
        fields.setdefault("summary", "春季植树活动的时间、地点和分工。")
        fields.setdefault("body", BODY)
        fields.setdefault("created_date", datetime.date(2026, 3, 2))
        fields.setdefault(
            "category", Category.objects.get(scheme=Category.Scheme.INFO, code="yewu")
        )
        return item_create(actor=actor, organisation=organisation, title=title, **fields)

    return make


def submit(item, user):
    """What 提交审查 does: start the item's workflow on its newest revision."""
    item.refresh_from_db()
    return item.get_workflow().start(item.get_latest_revision_as_object(), user)


def current(item):
    """(task state, task) the item is waiting at, both specific."""
    item.refresh_from_db()
    state = item.current_workflow_task_state
    return state, state.task.specific if state else None
