"""Shared fixtures: the organisation tree and the people of the tests.

Personas (as in healthchecks): alice is the town's disclosure-office administrator, bob the
town's confidentiality reviewer, carol the approving leader, dave a village editor, erin a
case officer, charlie has no role at all.
"""

import pytest

from gongkai.orgs.creditcode import make_credit_code
from gongkai.orgs.models import Organisation, Role
from gongkai.orgs.services import organisation_create, role_grant


@pytest.fixture
def town(db):
    return organisation_create(
        name="寮步镇人民政府",
        code="liaobu",
        kind=Organisation.Kind.GOVERNMENT,
        credit_code=make_credit_code("11441900007330001"),
    )


@pytest.fixture
def office(town):
    return organisation_create(
        name="寮步镇党政人大办", code="liaobu-dzrdb", kind=Organisation.Kind.OFFICE, parent=town
    )


@pytest.fixture
def village(town):
    return organisation_create(
        name="寮步镇横坑村", code="liaobu-hengkeng", kind=Organisation.Kind.VILLAGE, parent=town
    )


@pytest.fixture
def make_user(db, django_user_model):
    def make(username, *, roles=(), password="pw-Secret-123"):
        user = django_user_model.objects.create_user(username=username, password=password)
        for role, org in roles:
            role_grant(user=user, organisation=org, role=role)
        return user

    return make


@pytest.fixture
def alice(make_user, town):
    return make_user("alice", roles=[(Role.ADMIN, town)])


@pytest.fixture
def bob(make_user, town):
    return make_user("bob", roles=[(Role.REVIEWER, town)])


@pytest.fixture
def carol(make_user, town):
    return make_user("carol", roles=[(Role.APPROVER, town)])


@pytest.fixture
def dave(make_user, village):
    return make_user("dave", roles=[(Role.EDITOR, village)])


@pytest.fixture
def erin(make_user, town):
    return make_user("erin", roles=[(Role.CASE_OFFICER, town)])


@pytest.fixture
def charlie(make_user):
    return make_user("charlie")


@pytest.fixture(autouse=True)
def _fresh_workday_calendar():
    # The calendar caches each year per process; a schedule entered by a rolled-back test must
    # not leak into the next one.
    from django.core.cache import cache

    from gongkai.workdays.calendar import cache_clear

    cache_clear()
    cache.clear()
    yield
    cache_clear()
