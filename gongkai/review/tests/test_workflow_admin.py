"""The review workflow from the admin, with the Django test client: submit, review, approve,
the scan results page, the per-organisation workflow setting."""

import json

import pytest
from django.urls import reverse
from wagtail.models import TaskState, Workflow, WorkflowTask

from gongkai.catalogue.models import DisclosureItem
from gongkai.catalogue.tests.items_factories import info_category, item_post_data
from gongkai.orgs.models import Role
from gongkai.review.clearance import item_is_cleared
from gongkai.review.models import AutomaticScanTask, Finding, OrganisationWorkflow, ReviewRecord

from .conftest import current, submit
from .helpers import ID_A

URL = "wagtailsnippets_catalogue_disclosureitem"
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


def edit_url(item):
    return reverse(f"{URL}:edit", args=[item.pk])


def action_url(item, action, task_state):
    return reverse(f"{URL}:workflow_action", args=[item.pk, action, task_state.pk])


def review_url(item):
    return reverse("review_item", args=[item.pk])


def test_it_goes_from_the_editor_to_the_reviewer_to_the_leader_in_the_admin(
    client, workflows, make_item, edna, bob, carol
):
    item = make_item(actor=edna)
    client.force_login(edna)
    data = item_post_data(organisation=item.organisation, category=info_category())
    data["action-submit"] = "action-submit"
    response = client.post(edit_url(item), data)
    assert response.status_code == 302
    task_state, task = current(item)
    assert task.name == "保密审查"
    assert not item.live
    # the editor sees where it is, but has no say
    page = client.get(review_url(item)).content.decode()
    assert "保密审查" in page and "data-decision" not in page

    # the reviewer finds it on the dashboard and opens the review page
    client.force_login(bob)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "待我审查的政府信息" in dashboard and review_url(item) in dashboard
    page = client.get(review_url(item)).content.decode()
    assert "data-decision" in page and "经审查，未发现涉密信息" in page
    assert "现将防汛工作通知如下" in page  # the content under review is shown
    response = client.post(
        review_url(item),
        {
            "action": "decide",
            "task_state": task_state.pk,
            "comment": "经审查，同意公开。",
            "approve": "",
        },
        follow=True,
    )
    assert "已通过，意见已记录" in response.content.decode()
    stale = task_state
    task_state, task = current(item)
    assert task.name == "领导审批"

    # a decision on a step that has moved on is refused; the reviewer cannot take the leader's
    for pk in (stale.pk, task_state.pk):
        client.post(
            review_url(item),
            {"action": "decide", "task_state": pk, "comment": "同意", "approve": ""},
        )
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS

    client.force_login(carol)
    response = client.post(
        review_url(item),
        {"action": "decide", "task_state": task_state.pk, "comment": "同意发布。", "approve": ""},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.live and item_is_cleared(item)
    assert item.title == "寮步镇关于做好2026年防汛工作的通知"
    opinions = list(
        ReviewRecord.objects.filter(object_id=str(item.pk)).values_list("step", "opinion")
    )
    assert opinions[1:] == [("review", "经审查，同意公开。"), ("approval", "同意发布。")]


def test_it_refuses_to_send_back_without_an_opinion_on_the_review_page(
    client, workflows, make_item, edna, bob
):
    item = make_item(actor=edna)
    submit(item, edna)
    task_state, task = current(item)
    client.force_login(bob)
    response = client.post(
        review_url(item),
        {"action": "decide", "task_state": task_state.pk, "comment": "  ", "reject": ""},
    )
    assert response.status_code == 200
    assert "退回修改时必须写明意见" in response.content.decode()
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    client.post(
        review_url(item),
        {
            "action": "decide",
            "task_state": task_state.pk,
            "comment": "请删去第二段的住址。",
            "reject": "",
        },
    )
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_REJECTED
    assert ReviewRecord.objects.get(decision="rejected").opinion == "请删去第二段的住址。"


def test_wagtails_own_workflow_views_refuse_a_rejection_without_an_opinion(
    client, workflows, make_item, edna, make_user, town
):
    # someone who may both edit and review reaches Wagtail's editor and its modal
    rita = make_user("rita", roles=[(Role.EDITOR, town), (Role.REVIEWER, town)])
    item = make_item(actor=edna)
    submit(item, edna)
    task_state, task = current(item)
    client.force_login(rita)
    response = client.post(action_url(item, "reject", task_state), {"comment": ""}, **XHR)
    body = json.loads(response.content)
    assert body["step"] == "action" and "退回修改时必须写明意见" in body["html"]
    data = item_post_data(organisation=item.organisation, category=info_category())
    data.update(
        {
            "action-workflow-action": "true",
            "workflow-action-name": "reject",
            "workflow-action-extra-data": json.dumps({"comment": " "}),
        }
    )
    response = client.post(edit_url(item), data, follow=True)
    assert response.status_code == 200
    assert "退回修改时必须写明意见" in response.content.decode()
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    response = client.post(
        action_url(item, "approve", task_state), {"comment": "经审查，同意公开。"}, **XHR
    )
    assert json.loads(response.content)["step"] == "success"
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_APPROVED
    assert ReviewRecord.objects.get(step="review").reviewer == rita


def test_the_review_page_shows_findings_and_lets_the_reviewer_override(
    client, workflows, make_item, edna, bob
):
    item = make_item(body=f"<p>申请人身份证号 {ID_A}。</p>", actor=edna)
    submit(item, edna)
    url = reverse("review_item", args=[item.pk])
    client.force_login(edna)
    page = client.get(url).content.decode()
    finding = Finding.objects.get()
    # the finding is listed masked (the content itself is shown as it will be published)
    assert "身份证号码" in page and f"{ID_A[:6]}********{ID_A[-4:]}" in page
    assert f'name="f{finding.pk}-reason"' not in page  # editors cannot override
    assert "遮挡身份证号" in page

    client.force_login(bob)
    assert f'name="f{finding.pk}-reason"' in client.get(url).content.decode()
    response = client.post(
        url, {"action": "override", "finding": finding.pk, f"f{finding.pk}-reason": "短"}
    )
    assert response.status_code == 200
    assert "请写明放行理由" in response.content.decode()
    finding.refresh_from_db()
    assert finding.status == Finding.Status.OPEN
    response = client.post(
        url,
        {
            "action": "override",
            "finding": finding.pk,
            f"f{finding.pk}-reason": "系申请人本人同意公开的信息。",
        },
        follow=True,
    )
    assert "已转保密审查" in response.content.decode()
    finding.refresh_from_db()
    assert finding.status == Finding.Status.OVERRIDDEN and finding.resolved_by == bob
    task_state, task = current(item)
    assert task.name == "保密审查"


def test_the_mask_button_saves_a_new_revision_and_rescans(client, workflows, make_item, edna):
    item = make_item(body=f"<p>申请人身份证号 {ID_A}。</p>", actor=edna)
    submit(item, edna)
    submitted = item.latest_revision_id
    client.force_login(edna)
    response = client.post(reverse("review_item", args=[item.pk]), {"action": "mask"}, follow=True)
    assert "已遮挡正文中的 1 个身份证号" in response.content.decode()
    item.refresh_from_db()
    assert item.latest_revision_id != submitted
    task_state, task = current(item)
    assert task.name == "保密审查" and task_state.revision_id == item.latest_revision_id


def test_saving_during_the_scan_step_rescans(client, workflows, make_item, edna):
    item = make_item(body=f"<p>申请人身份证号 {ID_A}。</p>", actor=edna)
    submit(item, edna)
    client.force_login(edna)
    data = item_post_data(organisation=item.organisation, category=info_category())
    response = client.post(edit_url(item), data, follow=True)
    assert "保密审查从自动扫描重新开始" in response.content.decode()
    task_state, task = current(item)
    assert task.name == "保密审查"


def test_the_rescan_button_restarts_the_scan(client, workflows, make_item, edna, town):
    from gongkai.review.services import sensitive_word_add

    word = sensitive_word_add(organisation=town, word="植树活动", category="测试")
    item = make_item(actor=edna)
    submit(item, edna)
    task_state, task = current(item)
    assert isinstance(task, AutomaticScanTask)
    word.active = False
    word.save()
    client.force_login(edna)
    response = client.post(
        reverse("review_item", args=[item.pk]), {"action": "rescan"}, follow=True
    )
    assert "已重新扫描" in response.content.decode()
    task_state, task = current(item)
    assert task.name == "保密审查"


@pytest.mark.parametrize("persona", ["charlie", "dave"])
def test_the_review_page_and_form_are_refused_to_outsiders(
    persona, request, client, workflows, make_item, edna
):
    item = make_item(actor=edna)
    client.force_login(request.getfixturevalue(persona))
    for url in (
        reverse("review_item", args=[item.pk]),
        reverse("review_item_form_pdf", args=[item.pk]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert response.get("Content-Type") != "application/pdf"


def test_the_form_pdf_is_served_to_the_reviewer(client, workflows, make_item, edna, bob, carol):
    from gongkai.review.testing import publish_through_review

    item = publish_through_review(make_item(actor=edna), reviewer=bob, approver=carol)
    client.force_login(bob)
    response = client.get(reverse("review_item_form_pdf", args=[item.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_listing_links_to_the_review(client, workflows, make_item, edna):
    item = make_item(actor=edna)
    client.force_login(edna)
    page = client.get(reverse(f"{URL}:list")).content.decode()
    assert reverse("review_item", args=[item.pk]) in page
    assert reverse("review_item_form_pdf", args=[item.pk]) in page


def test_the_admin_chooses_a_workflow_for_an_organisation(client, workflows, alice, village):
    scan_only = Workflow.objects.create(name="只扫描")
    WorkflowTask.objects.create(
        workflow=scan_only, task=AutomaticScanTask.objects.get(), sort_order=0
    )
    client.force_login(alice)
    edit = reverse(
        "wagtailsnippets_review_organisationworkflow:edit",
        args=[OrganisationWorkflow.objects.get(organisation=village).pk],
    )
    page = client.get(edit).content.decode()
    assert "寮步镇保密审查流程" in page and "只扫描" not in page
    response = client.post(edit, {"organisation": village.pk, "workflow": scan_only.pk})
    assert response.status_code == 200  # not a choice
    response = client.post(edit, {"organisation": village.pk, "workflow": workflows["town"].pk})
    assert response.status_code == 302
    row = OrganisationWorkflow.objects.get(organisation=village)
    assert row.workflow == workflows["town"] and row.set_by == alice
    assert DisclosureItem(organisation=village).get_workflow() == workflows["town"]


def test_a_village_admin_sees_and_sets_only_their_village(client, workflows, make_user, village):
    vera = make_user("vera", roles=[(Role.ADMIN, village)])
    client.force_login(vera)
    listing = client.get(reverse("wagtailsnippets_review_organisationworkflow:list"))
    assert [row.organisation for row in listing.context["object_list"]] == [village]
