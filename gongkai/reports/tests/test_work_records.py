"""Work records are snippets scoped to the organisation tree."""

import json
import re
from pathlib import Path

from django.urls import reverse

from gongkai.orgs.models import Role
from gongkai.reports.models import JointMeeting
from gongkai.reports.schema import REPORT_SCHEMA


def test_the_office_records_a_joint_meeting(client, alice, town, village):
    client.force_login(alice)
    url = reverse("wagtailsnippets_reports_jointmeeting:add")
    response = client.post(
        url,
        {
            "organisation": town.pk,
            "held_on": "2025-03-12",
            "title": "2025年第一次政务公开联席会议",
            "attendees": [village.pk],
            "topics": "部署全年政务公开工作",
            "decisions": "各村按季度更新村务公开栏目",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = JointMeeting.objects.get()
    assert list(meeting.attendees.all()) == [village]


def test_a_village_administrator_sees_and_offers_only_the_village(client, make_user, town, village):
    JointMeeting.objects.create(
        organisation=town, held_on="2025-01-01", title="镇联席会议", topics="x"
    )
    vic = make_user("vic", roles=[(Role.ADMIN, village)])
    client.force_login(vic)
    listing = client.get(reverse("wagtailsnippets_reports_jointmeeting:list")).content.decode()
    assert "镇联席会议" not in listing
    form = client.get(reverse("wagtailsnippets_reports_jointmeeting:add")).content.decode()
    options = re.findall(r'<option value="(\d+)"', form)
    assert str(village.pk) in options and str(town.pk) not in options


def test_someone_without_a_report_role_cannot_open_the_records(client, dave):
    client.force_login(dave)
    response = client.get(reverse("wagtailsnippets_reports_jointmeeting:list"))
    assert response.status_code in (302, 403)


def test_the_documented_schema_is_the_one_in_the_code():
    text = (Path(__file__).resolve().parents[3] / "docs" / "reports.md").read_text(encoding="utf-8")
    block = text.split("```json\n", 1)[1].split("```", 1)[0]
    assert json.loads(block) == json.loads(json.dumps(REPORT_SCHEMA))
