"""The status staff see in the item list (issue #3): draft, in review, sent back, scheduled,
published, published with changes, expired, withdrawn — shown per row, filterable, and read
without one query per row."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gongkai.catalogue import selectors
from gongkai.catalogue.models import DisclosureItem, ItemStatus
from gongkai.catalogue.services import item_withdraw
from gongkai.review.testing import publish_through_review, review_workflow_ensure

from .items_factories import make_item

LIST = reverse("wagtailsnippets_catalogue_disclosureitem:list")


def submit(item, user):
    """提交审查: start the item's review workflow on its newest revision."""
    item.refresh_from_db()
    workflow = review_workflow_ensure(organisation=item.organisation)
    return workflow.start(item.get_latest_revision_as_object(), user)


def current_step(item):
    state = DisclosureItem.objects.get(pk=item.pk).current_workflow_state
    task_state = state.current_task_state.specific
    return task_state, task_state.task.specific


def new_draft(item, user, title):
    draft = DisclosureItem.objects.get(pk=item.pk).get_latest_revision_as_object()
    draft.title = title
    draft.save_revision(user=user)


@pytest.fixture
def items(town, alice, bob):
    """One item in each status, made the way staff make them."""
    made = {"draft": make_item(town, actor=alice, title="草稿：春季植树活动的通知")}

    made["in_review"] = make_item(town, actor=alice, title="审核中：防汛工作的通知")
    submit(made["in_review"], alice)

    made["sent_back"] = make_item(town, actor=alice, title="退回：村务公开的通知")
    submit(made["sent_back"], alice)
    task_state, task = current_step(made["sent_back"])
    task.on_action(task_state, bob, "reject", comment="附件中有村民电话，请删除后再提交。")

    made["scheduled"] = make_item(
        town,
        actor=alice,
        title="定时：国庆假期安排的通知",
        go_live_at=timezone.now() + timedelta(days=30),
    )
    publish_through_review(made["scheduled"])

    made["live"] = publish_through_review(make_item(town, actor=alice, title="已发布：工作要点"))

    made["live_changed"] = publish_through_review(
        make_item(town, actor=alice, title="已发布：财政预算")
    )
    new_draft(made["live_changed"], alice, "已发布：财政预算（更正稿）")

    made["live_in_review"] = publish_through_review(
        make_item(town, actor=alice, title="已发布：安全生产检查")
    )
    new_draft(made["live_in_review"], alice, "已发布：安全生产检查（修订）")
    submit(made["live_in_review"], alice)

    made["expired"] = make_item(
        town, actor=alice, title="过期：春节值班安排", expire_at=timezone.now() + timedelta(hours=1)
    )
    publish_through_review(made["expired"])
    DisclosureItem.objects.filter(pk=made["expired"].pk).update(
        expire_at=timezone.now() - timedelta(minutes=1)
    )
    call_command("publish_scheduled")  # Wagtail's job takes it off line and marks it expired

    made["withdrawn"] = publish_through_review(
        make_item(town, actor=alice, title="撤回：重复发布的通知")
    )
    item_withdraw(actor=alice, item=made["withdrawn"], reason="重复发布")
    return {name: DisclosureItem.objects.get(pk=item.pk) for name, item in made.items()}


EXPECTED = {
    "draft": (ItemStatus.DRAFT, "草稿"),
    "in_review": (ItemStatus.IN_REVIEW, "审核中"),
    "sent_back": (ItemStatus.SENT_BACK, "已退回"),
    "scheduled": (ItemStatus.SCHEDULED, "定时发布（"),
    "live": (ItemStatus.LIVE, "已发布"),
    "live_changed": (ItemStatus.LIVE_CHANGED, "已发布（有未发布的修改）"),
    "live_in_review": (ItemStatus.IN_REVIEW, "已发布（修改审核中）"),
    "expired": (ItemStatus.EXPIRED, "已过期下线"),
    "withdrawn": (ItemStatus.WITHDRAWN, "已撤回"),
}


def row_status(html: str, item) -> str:
    """The text of the status cell in the item's row of the list."""
    row = re.search(
        r'<tr[^>]*>(?:(?!</tr>).)*?id="snippet_' + str(item.pk) + r'_title".*?</tr>', html, re.S
    )
    assert row, f"{item.title} is not listed"
    cells = re.findall(r'class="[^"]*w-status[^"]*"[^>]*>\s*([^<]*?)\s*<', row.group(0))
    assert len(cells) == 1, cells
    return cells[0]


def test_it_shows_each_items_status_in_the_list(client, alice, items):
    client.force_login(alice)
    html = client.get(LIST).content.decode()
    for name, item in items.items():
        label = row_status(html, item)
        expected = EXPECTED[name][1]
        if name == "scheduled":
            go_live = timezone.localtime(item.scheduled_revision.approved_go_live_at)
            assert label == f"定时发布（{go_live:%Y-%m-%d %H:%M}）"
        else:
            assert label == expected, (name, label)


def test_every_status_is_one_that_the_filter_offers(items):
    statuses = {str(status) for status, _label in EXPECTED.values()}
    assert statuses == set(ItemStatus.values)


def test_the_status_filter_lists_exactly_the_items_in_that_status(client, alice, items):
    client.force_login(alice)
    for status in ItemStatus.values:
        response = client.get(LIST, {"status": status})
        assert response.status_code == 200
        listed = {item.pk for item in response.context["object_list"]}
        expected = {
            items[name].pk for name, (wanted, _label) in EXPECTED.items() if wanted == status
        }
        assert listed == expected, status
    # The filter and the column agree for every item (the filter is written as joins, the
    # column as one CASE: both come from the same ranked conditions).
    annotated = dict(
        selectors.items_with_status(DisclosureItem.objects.all()).values_list("pk", "item_status")
    )
    for status in ItemStatus.values:
        in_status = selectors.items_in_status(queryset=DisclosureItem.objects.all(), status=status)
        assert {pk for pk in in_status.values_list("pk", flat=True)} == {
            pk for pk, found in annotated.items() if found == status
        }


def test_an_unknown_status_in_the_address_is_ignored_not_an_error(client, alice, items):
    client.force_login(alice)
    response = client.get(LIST, {"status": "nonsense"})
    assert response.status_code == 200


def test_the_edit_page_says_the_item_is_in_review(client, alice, items):
    client.force_login(alice)
    html = client.get(
        reverse("wagtailsnippets_catalogue_disclosureitem:edit", args=[items["in_review"].pk])
    ).content.decode()
    assert re.search(r"状态：</strong>\s*审核中", html)
    html = client.get(
        reverse("wagtailsnippets_catalogue_disclosureitem:edit", args=[items["sent_back"].pk])
    ).content.decode()
    assert re.search(r"状态：</strong>\s*已退回", html)


def test_the_list_reads_the_status_without_a_query_per_row(client, alice, town):
    client.force_login(alice)

    def one_of_each(n):
        for i in range(n):
            submit(make_item(town, actor=alice, title=f"审核中{n}-{i}"), alice)
            make_item(town, actor=alice, title=f"草稿{n}-{i}")
            publish_through_review(make_item(town, actor=alice, title=f"已发布{n}-{i}"))

    def queries():
        client.get(LIST)  # warm the per-process caches (content types, calendar)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(LIST)
        assert response.status_code == 200
        return len(ctx.captured_queries), len(response.context["object_list"])

    one_of_each(1)
    few, rows = queries()
    assert rows == 3
    one_of_each(4)
    many, rows = queries()
    assert rows == 15
    assert many == few
    # …and with the status filter on.
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(LIST, {"status": "in_review"})
    assert len(response.context["object_list"]) == 5
    assert len(ctx.captured_queries) <= few + 2


def test_the_chooser_shows_the_status_without_a_query_per_row(client, alice, town):
    chooser = reverse("wagtailsnippetchoosers_catalogue_disclosureitem:choose")
    client.force_login(alice)

    def queries():
        client.get(chooser)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(chooser)
        assert response.status_code == 200
        return len(ctx.captured_queries), response.json()["html"]

    submit(make_item(town, actor=alice, title="审核中的通知"), alice)
    few, html = queries()
    assert "审核中" in html
    for i in range(5):
        submit(make_item(town, actor=alice, title=f"审核中的通知{i}"), alice)
    many, html = queries()
    assert many == few
