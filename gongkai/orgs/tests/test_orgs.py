import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from wagtail.models import ModelLogEntry

from gongkai.orgs.creditcode import (
    is_valid_credit_code,
    is_valid_id_number,
    make_credit_code,
    mask_id_number,
)
from gongkai.orgs.models import Organisation, Role, RoleAssignment
from gongkai.orgs.permissions import OrganisationScopedPolicy
from gongkai.orgs.selectors import (
    organisation_descendant_ids,
    organisations_not_filed,
    user_organisation_ids,
)
from gongkai.orgs.services import organisation_create, organisation_update, role_end, role_grant


def test_it_validates_credit_codes():
    # 国家市场监督管理总局's published code; a real-world check character.
    assert is_valid_credit_code("11100000000013127D")
    assert not is_valid_credit_code("11100000000013127E")
    assert not is_valid_credit_code("1110000000001312")
    code = make_credit_code("11441900007330001")
    assert is_valid_credit_code(code)


def test_it_validates_and_masks_id_numbers():
    assert is_valid_id_number("11010519491231002X")
    assert not is_valid_id_number("110105194912310021")
    assert mask_id_number("11010519491231002X") == "110105********002X"


def test_it_refuses_a_bad_credit_code_at_the_field(db):
    with pytest.raises(ValidationError) as exc:
        organisation_create(
            name="某单位",
            code="x",
            kind="office",
            credit_code=make_credit_code("12345678901234567")[:-1] + "Y",
        )
    assert "credit_code" in exc.value.message_dict
    assert "统一社会信用代码" in exc.value.message_dict["credit_code"][0]


def test_it_refuses_an_organisation_under_itself(town, village):
    with pytest.raises(ValidationError) as exc:
        organisation_update(organisation=town, parent=town)
    assert "上级组织不能是本组织或其下级组织" in exc.value.message_dict["parent"][0]
    with pytest.raises(ValidationError) as exc:
        organisation_update(organisation=town, parent=village)
    assert "parent" in exc.value.message_dict
    town.refresh_from_db()
    assert town.parent_id is None


def test_it_refuses_a_duplicate_code_at_the_field(town):
    with pytest.raises(ValidationError) as exc:
        organisation_create(name="另一个镇", code="liaobu", kind="government")
    assert "code" in exc.value.message_dict


def test_it_scopes_roles_to_the_subtree(town, office, village, alice, dave):
    assert user_organisation_ids(user=alice) == {town.pk, office.pk, village.pk}
    assert user_organisation_ids(user=dave) == {village.pk}
    assert organisation_descendant_ids(organisation=town) == {office.pk, village.pk}


def test_it_derives_wagtail_groups_from_roles(alice, dave, town):
    assert set(alice.groups.values_list("name", flat=True)) == {"公开办管理员"}
    assert alice.has_perm("wagtailadmin.access_admin")
    assert alice.has_perm("orgs.change_organisation")
    assert not dave.has_perm("orgs.change_organisation")
    assignment = RoleAssignment.objects.get(user=alice)
    role_end(assignment=assignment)
    alice.refresh_from_db()
    assert alice.groups.count() == 0
    # nothing deleted: the ended assignment stays, with its end time, and is logged
    assignment.refresh_from_db()
    assert assignment.ended_at is not None
    assert ModelLogEntry.objects.for_instance(assignment).count() == 2


def test_it_refuses_the_same_active_role_twice(alice, town):
    with pytest.raises((ValidationError, IntegrityError)):
        role_grant(user=alice, organisation=town, role=Role.ADMIN)


def test_only_an_admin_of_the_subtree_may_grant(dave, charlie, village, town):
    with pytest.raises(PermissionDenied):
        role_grant(actor=dave, user=charlie, organisation=village, role=Role.EDITOR)


def test_the_policy_limits_instances_to_the_subtree(town, office, village, alice, dave):
    policy = OrganisationScopedPolicy(Organisation, owner_field="id")
    assert set(policy.instances_user_has_permission_for(alice, "change")) == {town, office, village}
    assert not policy.user_has_permission(dave, "change")
    assert policy.user_has_permission_for_instance(dave, "view", village)
    assert not policy.user_has_permission_for_instance(dave, "view", town)


def test_the_town_sees_which_villages_have_not_filed(town, village):
    from gongkai.orgs.models import Roster, RosterMember

    other = organisation_create(name="寮步镇石龙坑村", code="slk", kind="village", parent=town)
    roster = Roster.objects.create(organisation=village, adopted_on="2012-03-01")
    RosterMember.objects.create(roster=roster, name="张三", position="leader")
    assert organisations_not_filed(parent=town) == [village, other]
    from gongkai.orgs.services import roster_file

    roster_file(roster=roster, filed_on="2012-03-05", filed_with=town)
    assert organisations_not_filed(parent=town) == [other]
