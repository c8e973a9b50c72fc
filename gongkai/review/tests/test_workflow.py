"""The confidentiality review workflow, through real Wagtail objects: the happy path, the scan
step, the decisions, the pinning of approvals to the revision, the per-organisation workflows."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import TaskState, Workflow, WorkflowState, WorkflowTask

from gongkai.catalogue.models import DisclosureItem
from gongkai.orgs.models import Organisation, Role
from gongkai.orgs.services import organisation_create
from gongkai.review.clearance import item_is_cleared, revision_is_cleared
from gongkai.review.kinds import Kind
from gongkai.review.models import (
    AutomaticScanTask,
    Finding,
    OrganisationRoleApprovalTask,
    OrganisationWorkflow,
    ReviewClearance,
    ReviewRecord,
)
from gongkai.review.selectors import workflow_for_organisation
from gongkai.review.services import (
    finding_override,
    item_mask_id_numbers,
    organisation_workflow_set,
)
from gongkai.review.testing import publish_through_review
from gongkai.review.workflow import scan_for_task_state, workflow_restart_if_edited

from .conftest import current, submit
from .helpers import ID_A

REVIEW_OPINION = "经审查，未发现涉密信息和个人信息，同意公开。"


def test_it_publishes_after_the_scan_the_review_and_the_approval(
    workflows, make_item, edna, bob, carol
):
    item = make_item(actor=edna)
    submitted = item.latest_revision
    state = submit(item, edna)
    # a clean scan passes by itself: the item waits for the 保密审查员
    task_state, task = current(item)
    assert isinstance(task, OrganisationRoleApprovalTask) and task.role == Role.REVIEWER
    assert task_state.revision_id == submitted.pk
    assert not item.live

    task.on_action(task_state, bob, "approve", comment=REVIEW_OPINION)
    task_state, task = current(item)
    assert task.role == Role.APPROVER and task.name == "领导审批"
    assert not item.live and not revision_is_cleared(submitted)

    task.on_action(task_state, carol, "approve", comment="同意发布。")
    item.refresh_from_db()
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert item.live and item.live_revision_id == submitted.pk
    assert revision_is_cleared(submitted) and item_is_cleared(item)
    assert item.published_date is not None
    records = list(ReviewRecord.objects.filter(object_id=str(item.pk)).order_by("id"))
    assert [(r.step, r.decision, r.reviewer) for r in records] == [
        ("scan", "approved", None),
        ("review", "approved", bob),
        ("approval", "approved", carol),
    ]
    assert records[1].opinion == REVIEW_OPINION
    assert records[1].organisation.code == "liaobu"
    assert {r.revision_id for r in records} == {submitted.pk}
    assert "未发现问题" in records[0].opinion


def test_it_keeps_an_edit_of_a_published_item_off_line_until_it_is_reviewed_again(
    workflows, make_item, edna, bob, carol
):
    item = publish_through_review(make_item(actor=edna), reviewer=bob, approver=carol)
    first = item.live_revision_id
    draft = item.get_latest_revision_as_object()
    draft.title = "寮步镇关于开展春季植树活动的通知（更正）"
    second = draft.save_revision(user=edna)
    item.refresh_from_db()
    assert item.live_revision_id == first and item.has_unpublished_changes
    assert DisclosureItem.objects.get(pk=item.pk).title == "寮步镇关于开展春季植树活动的通知"
    assert not revision_is_cleared(second)

    submit(item, edna)
    task_state, task = current(item)
    assert task_state.revision_id == second.pk  # nothing carried over from the first approval
    task.on_action(task_state, bob, "approve", comment="同意。")
    item.refresh_from_db()
    assert item.live_revision_id == first
    task_state, task = current(item)
    task.on_action(task_state, carol, "approve", comment="同意。")
    item.refresh_from_db()
    assert item.live_revision_id == second.pk and not item.has_unpublished_changes
    assert item.title.endswith("（更正）")


def test_it_starts_again_from_the_scan_when_the_content_changes_during_review(
    workflows, make_item, edna, bob, carol
):
    item = make_item(actor=edna)
    submit(item, edna)
    task_state, task = current(item)
    task.on_action(task_state, bob, "approve", comment="同意。")
    # at the leader's step, the reviewer corrects a word (a new revision)
    draft = item.get_latest_revision_as_object()
    draft.summary = "春季植树活动的时间、地点和分工（修订）。"
    newer = draft.save_revision(user=bob)
    item.refresh_from_db()
    assert workflow_restart_if_edited(item=item, user=bob)
    task_state, task = current(item)
    # the scan passed on the new revision by itself; the reviewer must decide again
    assert task.role == Role.REVIEWER and task_state.revision_id == newer.pk
    assert not workflow_restart_if_edited(item=item, user=bob)
    publish_through_review(item, reviewer=bob, approver=carol)
    item.refresh_from_db()
    assert item.live_revision_id == newer.pk
    scan_records = ReviewRecord.objects.filter(object_id=str(item.pk), step="scan")
    assert scan_records.count() == 2


def test_it_holds_an_item_with_findings_until_each_is_let_through_with_a_reason(
    workflows, make_item, edna, bob, carol
):
    item = make_item(body=f"<p>联系人身份证号 {ID_A}，请核对。</p>", actor=edna)
    submit(item, edna)
    task_state, task = current(item)
    assert isinstance(task, AutomaticScanTask)
    scan = scan_for_task_state(task_state)
    assert scan.revision_id == item.latest_revision_id
    finding = scan.findings.get()
    assert finding.kind == Kind.ID_NUMBER and finding.status == Finding.Status.OPEN
    # the reviewer sees "rescan" but not "approve" while a finding is open
    assert [name for name, *_ in task.get_actions(item, bob)] == ["rescan"]
    with pytest.raises(PermissionDenied):
        task.on_action(task_state, bob, "approve")
    # an editor may rescan, never approve; people outside may do neither
    assert [name for name, *_ in task.get_actions(item, edna)] == ["rescan"]
    assert task.get_actions(item, carol) == []
    with pytest.raises(ValidationError):
        finding_override(actor=bob, finding=finding, reason="可")
    with pytest.raises(PermissionDenied):
        finding_override(actor=edna, finding=finding, reason="编辑想放行这条")

    finding_override(actor=bob, finding=finding, reason="系公示名单要求公开的联系人信息。")
    assert [name for name, *_ in task.get_actions(item, bob)] == ["rescan", "approve"]
    task.on_action(task_state, bob, "approve")
    task_state, task = current(item)
    assert task.role == Role.REVIEWER
    scan_record = ReviewRecord.objects.get(object_id=str(item.pk), step="scan")
    assert scan_record.reviewer == bob and "放行 1 处" in scan_record.opinion


def test_it_passes_the_scan_once_the_editor_removes_what_it_found(workflows, make_item, edna, bob):
    item = make_item(body=f"<p>联系人身份证号 {ID_A}。</p>", actor=edna)
    submit(item, edna)
    task_state, task = current(item)
    assert isinstance(task, AutomaticScanTask)
    draft = item.get_latest_revision_as_object()
    draft.body = "<p>联系人：镇农业办，电话 0769-83322000。</p>"
    draft.save_revision(user=edna)
    item.refresh_from_db()
    # editing during the scan step rescans the new revision (the admin does this after a save)
    assert workflow_restart_if_edited(item=item, user=edna)
    task_state, task = current(item)
    assert task.role == Role.REVIEWER
    assert Finding.objects.get(kind=Kind.ID_NUMBER).status == Finding.Status.FIXED


def test_it_rescans_on_request_and_passes_when_a_word_is_allowed_meanwhile(
    workflows, make_item, edna, bob, town
):
    from gongkai.review.services import allowed_phrase_add, sensitive_word_add

    sensitive_word_add(organisation=town, word="讨论稿", category="未定稿")
    item = make_item(body="<p>本方案系讨论稿修订后的定稿。</p>", actor=edna)
    submit(item, edna)
    task_state, task = current(item)
    assert isinstance(task, AutomaticScanTask)
    allowed_phrase_add(
        actor=bob,
        organisation=town,
        phrase="讨论稿修订后的定稿",
        reason="说明定稿来源，无未定稿内容。",
    )
    task.on_action(task_state, edna, "rescan")
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_CANCELLED
    task_state, task = current(item)
    assert task.role == Role.REVIEWER


def test_it_masks_id_numbers_into_a_new_revision_and_scans_that(
    workflows, make_item, edna, charlie
):
    item = make_item(body=f"<p>身份证号：{ID_A}</p>", actor=edna)
    submit(item, edna)
    submitted = item.latest_revision_id
    with pytest.raises(PermissionDenied):
        item_mask_id_numbers(actor=charlie, item=item)
    assert item_mask_id_numbers(actor=edna, item=item) == 1
    item.refresh_from_db()
    assert item.latest_revision_id != submitted
    body = item.get_latest_revision_as_object().body
    assert ID_A not in body and f"{ID_A[:6]}********{ID_A[-4:]}" in body
    # the submitted revision keeps what was reviewed
    assert ID_A in item.revisions.get(pk=submitted).as_object().body
    # the review started again from the scan, which now passes
    task_state, task = current(item)
    assert task.role == Role.REVIEWER and task_state.revision_id == item.latest_revision_id
    assert item_mask_id_numbers(actor=edna, item=item) == 0


def test_it_requires_an_opinion_to_send_an_item_back(workflows, make_item, edna, bob, carol):
    item = make_item(actor=edna)
    state = submit(item, edna)
    task_state, task = current(item)
    with pytest.raises(ValidationError) as caught:
        task.on_action(task_state, bob, "reject", comment="   ")
    assert "必须写明意见" in str(caught.value)
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    assert not ReviewRecord.objects.filter(decision="rejected").exists()
    # the form Wagtail shows in the modal refuses it at the field too
    form = task.get_form_for_action("reject")({"comment": ""})
    assert not form.is_valid() and "comment" in form.errors
    assert form.fields["comment"].label == "审查意见"

    task.on_action(task_state, bob, "reject", comment="附件第2页有村民电话，请删除后再提交。")
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    record = ReviewRecord.objects.get(decision="rejected")
    assert record.opinion.startswith("附件第2页") and record.reviewer == bob
    # resubmitting resumes at the step that sent it back
    state.resume(user=edna)
    task_state, task = current(item)
    assert task.role == Role.REVIEWER
    publish_through_review(item, reviewer=bob, approver=carol)
    assert DisclosureItem.objects.get(pk=item.pk).live


@pytest.mark.parametrize("persona", ["charlie", "dave", "carol", "edna", "root"])
def test_only_holders_of_the_role_decide_the_review_step(
    persona, request, workflows, make_item, edna, django_user_model
):
    if persona == "root":
        user = django_user_model.objects.create_superuser("root", password="pw-Secret-123")
    else:
        user = request.getfixturevalue(persona)
    item = make_item(actor=edna)
    submit(item, edna)
    task_state, task = current(item)
    assert task.get_actions(item, user) == []
    with pytest.raises(PermissionDenied):
        task.on_action(task_state, user, "approve", comment="同意")
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    # editors and strangers cannot edit while the reviewer decides
    if persona in ("edna", "charlie"):
        assert task.locked_for_user(item, user)


def test_it_runs_the_village_workflow_with_the_village_and_the_town(
    workflows, make_item, village, dave, vince, bob, carol
):
    item = make_item("横坑村2026年村务公开", organisation=village, actor=dave)
    assert item.get_workflow().name == "村(社区)保密审查流程"
    submit(item, dave)
    task_state, task = current(item)
    assert task.name == "村审查员审查"
    assert task.target_organisation(item) == village
    task.on_action(task_state, vince, "approve", comment="本村审查同意。")
    task_state, task = current(item)
    assert task.name == "镇审查员审查" and task.target_organisation(item).code == "liaobu"
    # the village's reviewer does not reach the town's step
    assert task.get_actions(item, vince) == []
    with pytest.raises(PermissionDenied):
        task.on_action(task_state, vince, "approve", comment="同意")
    task.on_action(task_state, bob, "approve", comment="镇审查同意。")
    task_state, task = current(item)
    assert task.name == "镇领导审批"
    task.on_action(task_state, carol, "approve", comment="同意发布。")
    item.refresh_from_db()
    assert item.live and item_is_cleared(item)
    steps = ReviewRecord.objects.filter(object_id=str(item.pk)).values_list(
        "task_name", "organisation__code"
    )
    assert list(steps) == [
        ("自动扫描", "liaobu-hengkeng"),
        ("村审查员审查", "liaobu-hengkeng"),
        ("镇审查员审查", "liaobu"),
        ("镇领导审批", "liaobu"),
    ]


def test_it_lists_what_awaits_each_reviewer(workflows, make_item, village, dave, edna, bob, vince):
    town_item = make_item(actor=edna)
    village_item = make_item("横坑村村务公开", organisation=village, actor=dave)
    submit(town_item, edna)
    submit(village_item, dave)
    mine = {ts.workflow_state.object_id for ts in TaskState.objects.reviewable_by(bob)}
    assert mine == {str(town_item.pk), str(village_item.pk)}
    theirs = {ts.workflow_state.object_id for ts in TaskState.objects.reviewable_by(vince)}
    assert theirs == {str(village_item.pk)}
    assert not TaskState.objects.reviewable_by(dave).exists()


def test_it_uses_the_nearest_organisations_workflow(workflows, town, office, village, alice):
    assert workflow_for_organisation(organisation=town) == workflows["town"]
    assert workflow_for_organisation(organisation=office) == workflows["town"]
    assert workflow_for_organisation(organisation=village) == workflows["village"]
    team = organisation_create(
        name="横坑村第一村民小组",
        code="liaobu-hengkeng-1",
        kind=Organisation.Kind.DEPARTMENT,
        parent=village,
    )
    assert workflow_for_organisation(organisation=team) == workflows["village"]
    organisation_workflow_set(actor=alice, organisation=team, workflow=workflows["town"])
    assert workflow_for_organisation(organisation=team) == workflows["town"]
    other = organisation_create(
        name="另一个镇", code="other-town", kind=Organisation.Kind.GOVERNMENT
    )
    assert workflow_for_organisation(organisation=other) is None


def test_a_village_admin_cannot_choose_the_towns_workflow(workflows, make_user, village, town):
    vera = make_user("vera", roles=[(Role.ADMIN, village)])
    with pytest.raises(PermissionDenied):
        organisation_workflow_set(actor=vera, organisation=town, workflow=workflows["village"])
    organisation_workflow_set(actor=vera, organisation=village, workflow=workflows["town"])
    assert OrganisationWorkflow.objects.get(organisation=village).set_by == vera


def test_it_refuses_a_workflow_without_a_reviewer_step(workflows, town, alice):
    scan_only = Workflow.objects.create(name="只扫描")
    WorkflowTask.objects.create(
        workflow=scan_only, task=AutomaticScanTask.objects.get(), sort_order=0
    )
    with pytest.raises(ValidationError) as caught:
        organisation_workflow_set(actor=alice, organisation=town, workflow=scan_only)
    assert "保密审查员" in str(caught.value)


def test_it_asks_for_an_organisation_only_for_a_fixed_level(town):
    task = OrganisationRoleApprovalTask(name="x", role=Role.REVIEWER, level="fixed")
    with pytest.raises(ValidationError):
        task.full_clean()
    task = OrganisationRoleApprovalTask(
        name="x", role=Role.REVIEWER, level="owner", organisation=town
    )
    with pytest.raises(ValidationError):
        task.full_clean()


def test_a_fixed_organisation_step_is_decided_there(
    workflows, make_item, edna, bob, make_user, office
):
    olga = make_user("olga", roles=[(Role.APPROVER, office)])
    task = OrganisationRoleApprovalTask.objects.create(
        name="党政办审批", role=Role.APPROVER, level="fixed", organisation=office
    )
    item = make_item(actor=edna)
    assert task.user_may_decide(olga, item)
    assert not task.user_may_decide(bob, item)


def test_it_asks_for_a_look_by_eye_at_an_attachment_it_cannot_read(
    workflows, make_item, edna, bob, carol
):
    from django.core.files.base import ContentFile

    from gongkai.catalogue.models import ItemAttachment

    item = make_item(actor=edna)
    attachment = ItemAttachment(item=item, title="现场照片说明")
    attachment.file.save("photo.pdf", ContentFile(b"%PDF-1.4\n broken beyond repair"), save=False)
    attachment.save()
    item.save_revision(user=edna)
    submit(item, edna)
    task_state, task = current(item)
    assert isinstance(task, AutomaticScanTask)
    finding = scan_for_task_state(task_state).findings.get()
    assert finding.kind in (Kind.UNREADABLE, Kind.UNSCANNABLE)
    assert "现场照片说明" in finding.field
    with pytest.raises(ValidationError):
        finding_override(actor=bob, finding=finding, reason="")
    finding_override(actor=bob, finding=finding, reason="已打开原件逐页人工核对，无涉密内容。")
    item = publish_through_review(item, reviewer=bob, approver=carol)
    assert item.live


def test_a_missing_attachment_file_is_a_finding_not_an_error(workflows, make_item, edna):
    from gongkai.catalogue.models import ItemAttachment

    item = make_item(actor=edna)
    ItemAttachment.objects.create(
        item=item, title="丢失的附件", file="attachments/2026/03/gone.pdf"
    )
    item.save_revision(user=edna)
    submit(item, edna)
    task_state, task = current(item)
    assert isinstance(task, AutomaticScanTask)
    assert scan_for_task_state(task_state).findings.get().kind == Kind.UNREADABLE


def test_a_submitted_revision_is_never_rewritten(workflows, make_item, edna):
    item = make_item(actor=edna)
    submit(item, edna)
    revision = item.latest_revision
    draft = item.get_latest_revision_as_object()
    draft.title = "偷偷改掉已提交的版本"
    with pytest.raises(PermissionDenied):
        draft.save_revision(user=edna, overwrite_revision=revision)
    revision.refresh_from_db()
    assert revision.content["title"] == "寮步镇关于开展春季植树活动的通知"


def test_a_revision_cleared_once_stays_cleared_when_the_workflow_changes(
    workflows, make_item, edna, bob, carol
):
    item = publish_through_review(make_item(actor=edna), reviewer=bob, approver=carol)
    extra = OrganisationRoleApprovalTask.objects.create(
        name="主要领导审批", role=Role.APPROVER, level="root"
    )
    WorkflowTask.objects.create(workflow=workflows["town"], task=extra, sort_order=9)
    assert item_is_cleared(item)
    assert ReviewClearance.objects.get().revision_id == item.live_revision_id


def test_publish_through_review_runs_every_step_with_the_people_it_is_given(
    workflows, make_item, village, dave, vince, bob, carol
):
    item = make_item("横坑村村务公开", organisation=village, actor=dave)
    with pytest.raises(AssertionError):
        # the village's reviewer cannot decide the town's step
        publish_through_review(item, reviewer=vince, approver=carol)
    assert not DisclosureItem.objects.get(pk=item.pk).live
    item = publish_through_review(item, reviewer=bob, approver=carol)
    assert item.live and item_is_cleared(item)
    assert ReviewRecord.objects.filter(object_id=str(item.pk), reviewer=bob).count() >= 1


def test_publish_through_review_finds_its_own_people_and_workflow(make_item, town):
    item = publish_through_review(make_item())
    assert item.live and item_is_cleared(item)
    reviewers = ReviewRecord.objects.filter(step="review").values_list(
        "reviewer__username", flat=True
    )
    assert list(reviewers) == ["review-reviewer-liaobu"]


def test_no_role_has_the_publish_permission(db):
    from gongkai.orgs.services import role_permissions

    for role, perms in role_permissions().items():
        assert not [p for p in perms if ".publish_" in p], role


def test_a_corrected_item_sent_back_is_scanned_again_before_the_reviewer_sees_it(
    workflows, make_item, edna, bob
):
    item = make_item(actor=edna)
    state = submit(item, edna)
    task_state, task = current(item)
    task.on_action(task_state, bob, "reject", comment="请补充联系电话。")
    draft = item.get_latest_revision_as_object()
    draft.body += f"<p>联系人身份证号 {ID_A}</p>"
    corrected = draft.save_revision(user=edna)
    state.refresh_from_db()
    state.resume(user=edna)  # 重新提交: Wagtail resumes at the step that sent it back
    item.refresh_from_db()
    assert workflow_restart_if_edited(item=item, user=edna)
    task_state, task = current(item)
    # the new revision goes through the scan first, which finds what the editor added
    assert isinstance(task, AutomaticScanTask) and task_state.revision_id == corrected.pk
    assert scan_for_task_state(task_state).findings.filter(status="open").count() == 1
