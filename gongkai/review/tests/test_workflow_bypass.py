"""No path around the review (ARCHITECTURE.md): every other way to publish is tried, and each
must be refused, leaving the item unpublished."""

import csv
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.actions import action_registry
from wagtail.models import ModelLogEntry, Revision, Workflow, WorkflowTask

from gongkai.catalogue.models import DisclosureItem
from gongkai.catalogue.tests.items_factories import info_category, item_post_data
from gongkai.review.clearance import ReviewRequired, item_is_cleared, revision_is_cleared
from gongkai.review.models import AutomaticScanTask
from gongkai.review.testing import publish_through_review

from .conftest import current, submit

URL = "wagtailsnippets_catalogue_disclosureitem"


def edit_url(item):
    return reverse(f"{URL}:edit", args=[item.pk])


@pytest.fixture
def root(django_user_model):
    return django_user_model.objects.create_superuser("root", password="pw-Secret-123")


def assert_unpublished(item):
    item.refresh_from_db()
    assert not item.live and item.live_revision_id is None
    assert not item_is_cleared(item)


# --- the model ---------------------------------------------------------------------------------


def test_it_refuses_the_models_publish_method(workflows, make_item, edna):
    item = make_item(actor=edna)
    with pytest.raises(ReviewRequired) as caught:
        item.publish(item.latest_revision)
    assert str(caught.value) == "未经保密审查和审批的版本不能发布。"
    with pytest.raises(ReviewRequired):
        item.latest_revision.publish()
    with pytest.raises(ReviewRequired):
        item.latest_revision.publish(skip_permission_checks=True)
    assert_unpublished(item)


def test_it_refuses_the_publish_action_of_the_registry(workflows, make_item, edna, root):
    # What Wagtail's snippet API (v3) runs to publish, should it ever be mounted.
    item = make_item(actor=edna)
    action_class = action_registry.get_action_class(DisclosureItem, "publish")
    with pytest.raises(ReviewRequired):
        action_class(item.latest_revision, user=root).execute(skip_permission_checks=True)
    assert_unpublished(item)


def test_it_refuses_a_revision_of_another_item_cleared_elsewhere(
    workflows, make_item, edna, bob, carol
):
    cleared = publish_through_review(
        make_item("已审查的信息", actor=edna), reviewer=bob, approver=carol
    )
    other = make_item("未审查的信息", actor=edna)
    with pytest.raises(ReviewRequired):
        other.publish(cleared.live_revision)
    assert_unpublished(other)


def test_it_refuses_an_in_progress_workflow_half_way(workflows, make_item, edna, bob):
    item = make_item(actor=edna)
    submit(item, edna)
    task_state, task = current(item)
    task.on_action(task_state, bob, "approve", comment="同意。")
    # the reviewer approved; the leader has not: still not publishable
    with pytest.raises(ReviewRequired):
        item.latest_revision.publish()
    assert_unpublished(item)


def test_it_refuses_to_finish_a_workflow_whose_steps_did_not_approve(workflows, make_item, edna):
    item = make_item(actor=edna)
    state = submit(item, edna)
    with pytest.raises(ReviewRequired):
        state.finish()
    assert_unpublished(item)


def test_it_refuses_a_workflow_that_has_no_reviewer(workflows, make_item, edna, town):
    from gongkai.review.models import OrganisationWorkflow

    scan_only = Workflow.objects.create(name="只扫描")
    WorkflowTask.objects.create(
        workflow=scan_only, task=AutomaticScanTask.objects.get(), sort_order=0
    )
    # forced past the form's check, straight into the table
    OrganisationWorkflow.objects.filter(organisation=town).update(workflow=scan_only)
    item = make_item(actor=edna)
    with pytest.raises(ReviewRequired):
        submit(item, edna)  # the scan passes, the workflow finishes, the finish refuses
    assert_unpublished(item)


# --- the admin ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["root", "edna"])
def test_it_refuses_the_admins_publish_button(persona, request, client, workflows, make_item, edna):
    user = request.getfixturevalue(persona)
    item = make_item(actor=edna)
    client.force_login(user)
    data = item_post_data(
        organisation=item.organisation, category=info_category(), title="想直接发布的标题"
    )
    data["action-publish"] = "action-publish"
    response = client.post(edit_url(item), data, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "须经保密审查" in text or "未经保密审查和审批的版本不能发布" in text
    assert_unpublished(item)
    # the edit was kept as a draft, not lost
    assert item.get_latest_revision_as_object().title == "想直接发布的标题"


def test_it_refuses_publishing_on_create_for_a_superuser(client, workflows, root, town):
    client.force_login(root)
    data = item_post_data(organisation=town, category=info_category())
    data["action-publish"] = "action-publish"
    response = client.post(reverse(f"{URL}:add"), data, follow=True)
    assert response.status_code == 200
    assert "未经保密审查和审批的版本不能发布" in response.content.decode()
    assert_unpublished(DisclosureItem.objects.get())


def test_it_refuses_reverting_to_and_publishing_an_old_revision(
    client, workflows, make_item, edna, bob, carol, root
):
    item = publish_through_review(make_item(actor=edna), reviewer=bob, approver=carol)
    cleared = item.live_revision_id
    draft = item.get_latest_revision_as_object()
    draft.title = "未审查的修改"
    unreviewed = draft.save_revision(user=edna)
    client.force_login(root)
    url = reverse(f"{URL}:revisions_revert", args=[item.pk, unreviewed.pk])
    data = item_post_data(
        organisation=item.organisation, category=info_category(), title="未审查的修改"
    )
    data["action-publish"] = "action-publish"
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.live_revision_id == cleared and item.title != "未审查的修改"


def test_the_editor_shows_no_publish_button_even_to_a_superuser(client, workflows, make_item, root):
    item = make_item()
    client.force_login(root)
    response = client.get(edit_url(item))
    assert response.status_code == 200
    text = response.content.decode()
    assert 'name="action-publish"' not in text
    assert 'name="action-submit"' in text
    assert reverse("review_item", args=[item.pk]) in text


# --- the API -------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_json_endpoints_accept_no_writes(
    method, client, workflows, make_item, edna, bob, carol
):
    from gongkai.channels.models import Channel

    item = publish_through_review(make_item(actor=edna), reviewer=bob, approver=carol)
    kiosk = Channel.objects.create(
        organisation=item.organisation, kind=Channel.Kind.KIOSK, name="触摸屏", slug="k1"
    )
    screen = Channel.objects.create(
        organisation=item.organisation, kind=Channel.Kind.SCREEN, name="显示屏", slug="s1"
    )
    host = {"HTTP_HOST": "127.0.0.1"}
    urls = [
        reverse("portal:api_index"),
        reverse("portal:api_items"),
        reverse("portal:api_items_csv"),
        reverse("portal:api_item", args=[item.pk]),
        reverse("portal:api_sites"),
        reverse("portal:api_organisations"),
        reverse("portal:api_categories"),
        reverse("channels:screen_feed", args=[screen.slug]),
        reverse("channels:kiosk_data", args=[kiosk.slug]),
        reverse("channels:kiosk_item", args=[kiosk.slug, item.pk]),
        reverse("search:api"),
    ]
    for url in urls:
        response = getattr(client, method)(
            url, data='{"live": true}', content_type="application/json", **host
        )
        assert response.status_code == 405, (url, response.status_code)


# --- commands, schedules, import -------------------------------------------------------------


def test_publish_scheduled_refuses_an_unapproved_revision_and_publishes_the_approved(
    workflows, make_item, edna, bob, carol
):
    past = timezone.now() - datetime.timedelta(hours=1)
    sneaky = make_item("定时偷发的信息", actor=edna)
    Revision.objects.filter(pk=sneaky.latest_revision_id).update(approved_go_live_at=past)
    sneaky2 = make_item("另一条定时偷发的信息", actor=edna)
    sneaky2.save_revision(user=edna, approved_go_live_at=past)

    # a properly approved item, scheduled by its workflow for a time that has now come
    honest = make_item("按时发布的信息", actor=edna)
    draft = honest.get_latest_revision_as_object()
    draft.go_live_at = timezone.now() + datetime.timedelta(minutes=5)
    draft.save_revision(user=edna)
    honest = publish_through_review(honest, reviewer=bob, approver=carol)
    assert not honest.live and honest.latest_revision.approved_go_live_at is not None
    # ... and the clock moves on past its go-live time
    revision = honest.latest_revision
    revision.content["go_live_at"] = past.isoformat()
    Revision.objects.filter(pk=revision.pk).update(
        approved_go_live_at=past, content=revision.content
    )

    call_command("publish_scheduled")
    assert_unpublished(sneaky)
    assert_unpublished(sneaky2)
    honest.refresh_from_db()
    assert honest.live and item_is_cleared(honest)
    assert not Revision.objects.filter(approved_go_live_at__isnull=False).exists()
    assert ModelLogEntry.objects.filter(action="review.publish_refused").count() == 2


def test_it_refuses_to_schedule_an_unapproved_revision(workflows, make_item, edna):
    item = make_item(actor=edna)
    draft = item.get_latest_revision_as_object()
    draft.go_live_at = timezone.now() + datetime.timedelta(days=1)
    revision = draft.save_revision(user=edna)
    with pytest.raises(ReviewRequired):
        revision.publish()
    revision.refresh_from_db()
    assert revision.approved_go_live_at is None
    assert_unpublished(item)


def test_an_import_leaves_drafts_that_only_review_can_publish(tmp_path, workflows, town):
    path = tmp_path / "目录.csv"
    header = ["名称", "生成日期", "信息类别", "正文"]
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerow(["寮步镇2024年第1号通知", "2024-03-15", "业务工作", "<p>通知正文。</p>"])
        writer.writerow(["寮步镇2024年第2号通知", "2024-03-16", "业务工作", "<p>通知正文。</p>"])
    call_command("import_items", str(path), "--org", "liaobu", "--no-progress", verbosity=0)
    items = list(DisclosureItem.objects.order_by("pk"))
    assert len(items) == 2
    for item in items:
        assert_unpublished(item)
        assert not revision_is_cleared(item.latest_revision)
        with pytest.raises(ReviewRequired):
            item.latest_revision.publish()
    # and the review publishes them as any other item
    assert publish_through_review(items[0]).live


# --- channels ------------------------------------------------------------------------------------


def test_dispatch_refuses_an_item_forced_live_without_review(workflows, make_item, edna, alice):
    from gongkai.channels.models import Channel
    from gongkai.channels.services import dispatch_create, item_is_cleared_for_channels

    item = make_item(actor=edna)
    DisclosureItem.objects.filter(pk=item.pk).update(
        live=True, live_revision=item.latest_revision, has_unpublished_changes=False
    )
    item.refresh_from_db()
    screen = Channel.objects.create(
        organisation=item.organisation, kind=Channel.Kind.SCREEN, name="显示屏", slug="plaza"
    )
    assert not item_is_cleared_for_channels(item)
    with pytest.raises(ValidationError) as caught:
        dispatch_create(actor=alice, item=item, channel=screen)
    assert caught.value.code == "not_cleared"
    assert "保密审查" in caught.value.messages[0]
    assert not screen.deliveries.exists()


def test_dispatch_sends_an_item_the_review_cleared(
    workflows, make_item, edna, alice, bob, carol, django_capture_on_commit_callbacks
):
    from gongkai.channels.models import Channel
    from gongkai.channels.services import dispatch_create

    item = publish_through_review(make_item(actor=edna), reviewer=bob, approver=carol)
    screen = Channel.objects.create(
        organisation=item.organisation, kind=Channel.Kind.SCREEN, name="显示屏", slug="plaza"
    )
    with django_capture_on_commit_callbacks(execute=True):
        delivery = dispatch_create(actor=alice, item=item, channel=screen)
    assert delivery.revision_id == item.live_revision_id
