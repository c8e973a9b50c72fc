"""Fixtures for the applications tests: a desk for the town, and cases built by the services."""

from datetime import date

import pytest

from gongkai.applications import services
from gongkai.applications.models import ApplicationDesk, Channel, EnteredVia
from gongkai.orgs.models import Role

from .factories import natural_person


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.GONGKAI_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def desk(town):
    return ApplicationDesk.objects.create(organisation=town, prefix="LB")


@pytest.fixture
def vera(make_user, village):
    """A case officer of a village: the town's cases are outside her subtree."""
    return make_user("vera", roles=[(Role.CASE_OFFICER, village)])


@pytest.fixture
def lily(make_user, town):
    """A member of the leading group: reads, never writes."""
    return make_user("lily", roles=[(Role.LEADING_GROUP, town)])


@pytest.fixture
def receive(desk):
    """Register an application in person on `on` (the receipt date, 条例第三十一条（一）)."""

    def make(on: date = date(2026, 9, 18), *, actor=None, organisation=None, **overrides):
        return services.application_receive(
            actor=actor,
            organisation=organisation or desk.organisation,
            entered_via=EnteredVia.STAFF,
            channel=Channel.IN_PERSON,
            submitted_on=on,
            **natural_person(**overrides),
        )

    return make
