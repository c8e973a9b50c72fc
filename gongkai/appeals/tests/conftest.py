from datetime import date

import pytest

from gongkai.applications import services
from gongkai.applications.models import ApplicationDesk, Channel, EnteredVia
from gongkai.applications.tests.factories import natural_person


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.GONGKAI_PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def replied_case(town, erin):
    ApplicationDesk.objects.create(organisation=town, prefix="LB")

    def make(organisation=None, received=date(2026, 3, 2)):
        application = services.application_receive(
            actor=None,
            organisation=organisation or town,
            entered_via=EnteredVia.STAFF,
            channel=Channel.IN_PERSON,
            submitted_on=received,
            **natural_person(),
        )
        services.application_reply(
            actor=None,
            application=application,
            outcome="withheld_enforcement",
            replied_on=date(received.year, 3, 20),
        )
        return application

    return make
