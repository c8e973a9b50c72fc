"""Word lists, allow-lists, stored scans and overrides, with the people of conftest.py."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from wagtail.models import ModelLogEntry, Revision

from gongkai.orgs.models import Organisation, Role
from gongkai.orgs.services import organisation_create, role_group_name
from gongkai.review import demo, selectors
from gongkai.review.kinds import Kind
from gongkai.review.models import AllowedPhrase, Finding, ScanResult, SensitiveWord
from gongkai.review.services import (
    allowed_phrase_add,
    allowed_phrase_deactivate,
    finding_override,
    scan_document,
    scan_result_save,
    sensitive_word_add,
    word_list_export,
    word_list_import,
)

from .helpers import ID_A


@pytest.fixture
def other_town(db):
    return organisation_create(
        name="大朗镇人民政府", code="dalang", kind=Organisation.Kind.GOVERNMENT
    )


def words_found(organisation, text):
    report = scan_document(organisation=organisation, fields={"body": text})
    return [f.value for f in report.findings if f.kind == Kind.SENSITIVE_WORD]


# -- word lists -------------------------------------------------------------------------------


def test_it_applies_a_town_word_list_to_its_subtree_only(alice, town, village, other_town):
    word_list_import(actor=alice, organisation=town, text="标底\t招标\n评标专家名单\n")
    assert words_found(village, "本项目标底为100万元") == ["标底"]
    assert words_found(town, "本项目标底为100万元") == ["标底"]
    assert words_found(other_town, "本项目标底为100万元") == []


def test_it_rebuilds_the_cached_automaton_when_the_list_changes(alice, town):
    assert words_found(town, "涉及病历资料") == []
    word = sensitive_word_add(actor=alice, organisation=town, word="病历", category="个人信息")
    assert words_found(town, "涉及病历资料") == ["病历"]
    word.active = False
    word.save()
    assert words_found(town, "涉及病历资料") == []


def test_it_serves_the_ruleset_from_the_cache_without_rebuilding(
    alice, town, django_assert_max_num_queries
):
    word_list_import(actor=alice, organisation=town, text="标底\n")
    first = selectors.ruleset_for_organisation(organisation=town)
    with django_assert_max_num_queries(3):  # the tree, and one stamp per list
        second = selectors.ruleset_for_organisation(organisation=town)
    assert second.words is first.words


def test_it_imports_and_exports_the_word_list_file(alice, town, village):
    result = word_list_import(
        actor=alice,
        organisation=town,
        text="# 寮步镇词库\n标底\t招标采购\n病历\t个人信息\n标底\n单\n讨论稿\n".encode(),
    )
    assert (result.added, len(result.errors)) == (3, 1)
    exported = word_list_export(organisation=town)
    lines = [line for line in exported.splitlines() if not line.startswith("#")]
    assert lines == ["标底\t招标采购", "病历\t个人信息", "讨论稿"]
    assert exported.startswith("# 敏感词库：寮步镇人民政府")
    # the exported file imports back unchanged
    again = word_list_import(actor=alice, organisation=town, text=exported)
    assert (again.added, again.unchanged) == (0, 3)
    # a village sees its own words only, or with the town's when asked
    word_list_import(actor=alice, organisation=village, text="宅基地纠纷\n")
    assert "标底" not in word_list_export(organisation=village)
    assert "标底" in word_list_export(organisation=village, inherited=True)


def test_it_switches_off_words_missing_from_the_file_when_replacing(alice, town):
    word_list_import(actor=alice, organisation=town, text="标底\n病历\n")
    result = word_list_import(actor=alice, organisation=town, text="标底\n讨论稿\n", replace=True)
    assert (result.added, result.unchanged, result.deactivated) == (1, 1, 1)
    assert SensitiveWord.objects.get(word="病历").active is False  # switched off, not deleted
    back = word_list_import(actor=alice, organisation=town, text="病历\n")
    assert back.reactivated == 1
    entry = ModelLogEntry.objects.filter(action="review.word_list_import").last()
    assert entry.user_id == alice.pk


def test_it_refuses_a_word_list_that_is_not_utf8(alice, town):
    with pytest.raises(ValueError, match="UTF-8"):
        word_list_import(actor=alice, organisation=town, text="标底\n".encode("gb18030"))


def test_it_lets_only_the_disclosure_office_admin_change_the_word_list(bob, dave, town):
    for person in (bob, dave):
        with pytest.raises(PermissionDenied):
            word_list_import(actor=person, organisation=town, text="标底\n")
    assert SensitiveWord.objects.count() == 0


# -- allowed phrases --------------------------------------------------------------------------


def test_it_suppresses_an_allowed_phrase_for_the_organisation_subtree_only(
    alice, bob, town, village, other_town
):
    for org in (town, other_town):
        word_list_import(actor=None, organisation=org, text="商业秘密\n")
    text = "依法做好商业秘密保护工作。"
    assert words_found(village, text) == ["商业秘密"]
    allowed_phrase_add(
        actor=bob, organisation=town, phrase="商业秘密保护", reason="宣传用语，不是具体的商业秘密。"
    )
    assert words_found(village, text) == []
    assert words_found(town, text) == []
    assert words_found(other_town, text) == ["商业秘密"]
    # the same word elsewhere in the text is still found
    assert words_found(village, "附件含商业秘密，请勿公开。") == ["商业秘密"]


def test_it_requires_a_reviewer_and_a_reason_to_allow_a_phrase(alice, bob, dave, town):
    for person in (alice, dave):
        with pytest.raises(PermissionDenied):
            allowed_phrase_add(actor=person, organisation=town, phrase="秘书科", reason="机构名称")
    with pytest.raises(ValidationError) as exc:
        allowed_phrase_add(actor=bob, organisation=town, phrase="秘书科", reason="  ")
    assert "reason" in exc.value.message_dict
    row = allowed_phrase_add(actor=bob, organisation=town, phrase="秘书科", reason="内设机构名称")
    assert (row.added_by, row.reason) == (bob, "内设机构名称")
    with pytest.raises(ValidationError):
        allowed_phrase_add(actor=bob, organisation=town, phrase="秘书科", reason="再来一次")
    allowed_phrase_deactivate(actor=bob, phrase=row)
    again = allowed_phrase_add(actor=bob, organisation=town, phrase="秘书科", reason="重新放行")
    assert again.pk == row.pk and again.active and AllowedPhrase.objects.count() == 1


# -- stored scans and overrides ---------------------------------------------------------------


def scan_and_save(organisation, text, *, actor=None, revision=None):
    report = scan_document(organisation=organisation, fields={"title": "公示", "body": text})
    return scan_result_save(
        report=report, obj=organisation, organisation=organisation, revision=revision, actor=actor
    )


def test_it_stores_findings_masked_against_the_object_and_revision(dave, village):
    content_type = ContentType.objects.get_for_model(village)
    revision = Revision.objects.create(
        content_type=content_type,
        base_content_type=content_type,
        object_id=str(village.pk),
        created_at=timezone.now(),
        content={},
    )
    result = scan_and_save(
        village, f"申请人身份证{ID_A}，手机13800138000。", actor=dave, revision=revision
    )
    assert result.content_object == village and result.revision == revision
    assert sorted(result.findings.values_list("kind", flat=True)) == [Kind.ID_NUMBER, Kind.MOBILE]
    stored = list(Finding.objects.values_list("snippet", "value", "fingerprint"))
    assert ID_A not in str(stored) and "13800138000" not in str(stored)
    assert all(row.status == Finding.Status.OPEN for row in result.findings.all())
    assert selectors.scan_result_latest(obj=village) == result


def test_it_requires_a_reason_to_override(bob, village):
    finding = scan_and_save(village, "手机13800138000").findings.get()
    for reason in ("", "   ", "好"):
        with pytest.raises(ValidationError) as exc:
            finding_override(actor=bob, finding=finding, reason=reason)
        assert "override_reason" in exc.value.message_dict
    finding.refresh_from_db()
    assert finding.status == Finding.Status.OPEN


def test_it_lets_only_a_reviewer_of_the_subtree_override(
    alice, carol, charlie, dave, village, other_town, make_user
):
    finding = scan_and_save(village, "手机13800138000").findings.get()
    elsewhere = make_user("ellen", roles=[(Role.REVIEWER, other_town)])
    for person in (alice, carol, charlie, dave, elsewhere):
        with pytest.raises(PermissionDenied):
            finding_override(actor=person, finding=finding, reason="单位公开的服务电话")


def test_it_records_and_logs_an_override(bob, village):
    finding = scan_and_save(village, "手机13800138000").findings.get()
    done = finding_override(actor=bob, finding=finding, reason="系村委会公开的服务电话")
    assert (done.status, done.override_reason, done.resolved_by) == (
        Finding.Status.OVERRIDDEN,
        "系村委会公开的服务电话",
        bob,
    )
    entry = ModelLogEntry.objects.get(action="review.finding_override")
    assert entry.user_id == bob.pk and entry.object_id == str(finding.pk)
    assert entry.data["reason"] == "系村委会公开的服务电话"
    with pytest.raises(ValidationError):
        finding_override(actor=bob, finding=finding, reason="再放行一次")


def test_it_keeps_an_override_pinned_to_the_fingerprint_on_rescan(bob, village):
    first = scan_and_save(village, f"服务电话13800138000\n身份证{ID_A}")
    phone = first.findings.get(kind=Kind.MOBILE)
    finding_override(actor=bob, finding=phone, reason="系村委会公开的服务电话")
    # the editor adds a line above and removes the ID number
    second = scan_and_save(village, "新增的说明\n服务电话 138-0013-8000")
    (carried,) = second.findings.all()
    assert carried.status == Finding.Status.OVERRIDDEN
    assert carried.carried_from_id == phone.pk and carried.line == 2
    assert first.findings.get(kind=Kind.ID_NUMBER).status == Finding.Status.FIXED
    assert ScanResult.objects.count() == 2


def test_it_gives_reviewers_and_admins_their_permissions_through_role_groups(db):
    reviewer = Group.objects.get(name=role_group_name(Role.REVIEWER))
    admin = Group.objects.get(name=role_group_name(Role.ADMIN))
    assert reviewer.permissions.filter(codename="override_finding").exists()
    assert reviewer.permissions.filter(codename="add_allowedphrase").exists()
    assert not reviewer.permissions.filter(codename="add_sensitiveword").exists()
    assert admin.permissions.filter(codename="add_sensitiveword").exists()
    assert not admin.permissions.filter(codename="override_finding").exists()


def test_it_loads_the_demo_word_list_for_the_town(town):
    class Out:
        lines = []

        def write(self, text):
            self.lines.append(text)

    demo.load_demo(orgs={"liaobu": town}, users={}, stdout=Out())
    assert SensitiveWord.objects.filter(organisation=town).count() >= 30
    assert words_found(town, "请勿公开评标专家名单") == ["评标专家名单"]
    report = scan_document(organisation=town, fields={"body": "邮箱 xxgk@liaobu.example.gov.cn"})
    assert report.findings == [] and report.suppressed == 1
