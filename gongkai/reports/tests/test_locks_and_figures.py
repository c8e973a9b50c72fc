"""Report periods lock; staff figures keep their history; both are audited."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from wagtail.models import ModelLogEntry

from gongkai.catalogue.models import DisclosureItem
from gongkai.reports.models import ReportPeriodLock, StaffFigure
from gongkai.reports.selectors import period_is_locked, staff_figures_current
from gongkai.reports.services import period_lock, period_unlock, staff_figure_set


def test_it_locks_the_period_of_the_organisation_and_its_subtree(town, village, alice):
    period_lock(actor=alice, organisation=town, year=2025, reason="年报已定稿")
    assert period_is_locked(organisation=town, day=date(2025, 6, 1))
    assert period_is_locked(organisation=village, day=date(2025, 12, 31))
    assert not period_is_locked(organisation=village, day=date(2026, 1, 1))
    assert not period_is_locked(organisation=town, day=None)
    with pytest.raises(ValidationError, match="已由“寮步镇人民政府”锁定"):
        period_lock(actor=alice, organisation=village, year=2025)


def test_it_records_the_unlock_and_asks_why(town, alice):
    period_lock(actor=alice, organisation=town, year=2025)
    with pytest.raises(ValidationError) as exc:
        period_unlock(actor=alice, organisation=town, year=2025, reason=" ")
    assert "解锁须填写理由" in str(exc.value)
    lock = period_unlock(actor=alice, organisation=town, year=2025, reason="更正一宗申请的答复日期")
    assert not period_is_locked(organisation=town, day=date(2025, 6, 1))
    lock.refresh_from_db()
    assert lock.unlocked_by == alice and lock.unlocked_at is not None
    assert lock.unlock_reason == "更正一宗申请的答复日期"
    # The row stays; a new lock is a new row.
    period_lock(actor=alice, organisation=town, year=2025)
    assert ReportPeriodLock.objects.filter(organisation=town, year=2025).count() == 2
    actions = list(
        ModelLogEntry.objects.filter(content_type__model="reportperiodlock")
        .order_by("timestamp", "id")
        .values_list("action", flat=True)
    )
    assert actions == ["gongkai.report.lock", "gongkai.report.unlock", "gongkai.report.lock"]


def test_it_refuses_a_lock_from_someone_without_the_role(town, bob, lena):
    for person in (bob, lena):
        with pytest.raises(PermissionDenied):
            period_lock(actor=person, organisation=town, year=2025)


def test_it_blocks_editing_an_item_dated_in_a_locked_period(client, town, alice, site, place_items):
    (item,) = place_items(town, site["portal"], {"业务工作": 1}, on=date(2025, 3, 3))
    url = reverse("wagtailsnippets_catalogue_disclosureitem:edit", args=[item.pk])
    period_lock(actor=alice, organisation=town, year=2025)
    client.force_login(alice)
    page = client.get(url)
    assert "属于已锁定的2025年度报告期" in page.content.decode()
    response = client.post(url, {"title": "改过的标题"}, follow=True)
    assert "不能修改" in response.content.decode()
    item.refresh_from_db()
    assert item.title == "业务工作0"
    # After a recorded unlock the editor is not stopped by the lock any more.
    period_unlock(actor=alice, organisation=town, year=2025, reason="补充附件")
    page = client.get(url)
    assert "属于已锁定" not in page.content.decode()


def test_it_keeps_every_staff_figure_entered(town, alice):
    first = staff_figure_set(actor=alice, organisation=town, year=2025, key="penalty", value=7)
    with pytest.raises(ValidationError) as exc:
        staff_figure_set(actor=alice, organisation=town, year=2025, key="penalty", value=9)
    assert "修改时请说明理由" in exc.value.message_dict["note"][0]
    second = staff_figure_set(
        actor=alice, organisation=town, year=2025, key="penalty", value=9, note="补录两宗"
    )
    assert second.supersedes == first
    assert staff_figures_current(organisation_ids=[town.pk], year=2025)["penalty"] == Decimal(9)
    assert StaffFigure.objects.filter(key="penalty").count() == 2
    with pytest.raises(ValidationError):
        first.value = 1
        first.save()
    log = ModelLogEntry.objects.filter(action="gongkai.report.figure").order_by("-id").first()
    assert log.data["previous"] == "7.0000" and log.data["value"] == "9" and log.user == alice


def test_it_refuses_bad_staff_figures(town, alice, carol):
    with pytest.raises(ValidationError, match="整数"):
        staff_figure_set(actor=alice, organisation=town, year=2025, key="licensing", value="1.5")
    with pytest.raises(ValidationError, match="负数"):
        staff_figure_set(actor=alice, organisation=town, year=2025, key="fees", value="-1")
    with pytest.raises(PermissionDenied):
        staff_figure_set(actor=carol, organisation=town, year=2025, key="fees", value="1")


def test_it_refuses_staff_figures_in_a_locked_period(town, alice):
    staff_figure_set(actor=alice, organisation=town, year=2025, key="fees", value="1")
    period_lock(actor=alice, organisation=town, year=2025)
    with pytest.raises(ValidationError, match="已锁定"):
        staff_figure_set(
            actor=alice, organisation=town, year=2025, key="fees", value="2", note="更正"
        )


def test_the_figures_page_keeps_what_was_typed_on_an_error(client, town, alice):
    client.force_login(alice)
    url = reverse("reports_figures", args=["liaobu", 2025])
    client.post(url, {"key": "licensing", "value": "3", "note": ""})
    response = client.post(url, {"key": "licensing", "value": "5", "note": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert "修改时请说明理由" in body
    assert 'value="5"' in body
    assert DisclosureItem.objects.count() == 0
