"""A locked report period (issue #8) freezes section 四: appeals filed or decided in it."""

from datetime import date

import pytest
from django.urls import reverse

from gongkai.appeals.models import Appeal
from gongkai.appeals.selectors import appeal_report_numbers
from gongkai.appeals.services import appeal_decide, appeal_record
from gongkai.reports.locks import PeriodLocked
from gongkai.reports.services import period_lock, period_unlock

K = Appeal.Kind
R = Appeal.Result
LOCKED = "属于已锁定的2025年度报告期（寮步镇人民政府锁定）"


def _record(case, filed_on, actor=None):
    return appeal_record(
        actor=actor,
        application=case,
        kind=K.RECONSIDERATION,
        filed_on=filed_on,
        authority="东莞市人民政府",
    )


def test_it_refuses_an_appeal_filed_in_a_locked_year(replied_case, village, town, alice, erin):
    case = replied_case(received=date(2025, 3, 3))
    village_case = replied_case(organisation=village, received=date(2025, 3, 4))
    period_lock(actor=alice, organisation=town, year=2025)
    for application in (case, village_case):  # the town's lock covers its villages
        with pytest.raises(PeriodLocked) as caught:
            _record(application, date(2025, 6, 1), actor=erin)
        assert caught.value.message_dict["filed_on"][0].startswith(
            "申请或起诉日期为2025-06-01，" + LOCKED + "，不能补录。"
        )
    assert not Appeal.objects.exists()
    # Filed in 2026 (an open year) about a 2025 case: a 2026 fact.
    assert _record(case, date(2026, 2, 1), actor=erin).filed_on == date(2026, 2, 1)


def test_it_refuses_a_decision_dated_in_a_locked_year_but_not_a_later_one(
    replied_case, town, alice, erin
):
    case = replied_case(received=date(2025, 3, 3))
    pending = _record(case, date(2025, 10, 9))
    decided = appeal_decide(
        appeal=_record(case, date(2025, 4, 1)), result=R.UPHELD, decided_on=date(2025, 8, 1)
    )
    period_lock(actor=alice, organisation=town, year=2025)
    before = appeal_report_numbers(organisation=town, year=2025).flat

    with pytest.raises(PeriodLocked) as caught:
        appeal_decide(actor=erin, appeal=pending, result=R.CORRECTED, decided_on=date(2025, 12, 1))
    assert "审结日期为2025-12-01，" + LOCKED + "，不能修改。" in caught.value.messages[0]
    # Undoing or moving a decision dated in the locked year would change its figures too.
    with pytest.raises(PeriodLocked, match="审结日期为2025-08-01"):
        appeal_decide(actor=erin, appeal=decided, result=R.OTHER, decided_on=date(2026, 1, 5))
    # Decided in 2026: the 2025 report counted it as 尚未审结, which it was on 31 December.
    appeal_decide(actor=erin, appeal=pending, result=R.CORRECTED, decided_on=date(2026, 1, 15))

    assert appeal_report_numbers(organisation=town, year=2025).flat == before
    decided.refresh_from_db()
    assert (decided.result, decided.decided_on) == (R.UPHELD, date(2025, 8, 1))

    period_unlock(actor=alice, organisation=town, year=2025, reason="复议决定书日期登记有误")
    appeal_decide(actor=erin, appeal=decided, result=R.UPHELD, decided_on=date(2025, 8, 3))


def test_the_admin_form_shows_the_lock_and_keeps_the_input(client, replied_case, town, alice, erin):
    case = replied_case(received=date(2025, 3, 3))
    period_lock(actor=alice, organisation=town, year=2025)
    client.force_login(erin)
    data = {
        "application": case.pk,
        "kind": K.RECONSIDERATION,
        "filed_on": "2025-06-01",
        "authority": "东莞市人民政府",
        "reference": "东府复〔2025〕9号",
        "follows": "",
        "result": R.PENDING,
        "decided_on": "",
        "notes": "",
    }
    response = client.post(reverse("wagtailsnippets_appeals_appeal:add"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "申请或起诉日期为2025-06-01，" + LOCKED in html
    assert "东府复〔2025〕9号" in html
    assert not Appeal.objects.exists()

    response = client.post(
        reverse("wagtailsnippets_appeals_appeal:add"), {**data, "filed_on": "2026-02-02"}
    )
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    # Editing: notes change no figure and stay editable; a decision in the locked year does not.
    edit = reverse("wagtailsnippets_appeals_appeal:edit", args=[appeal.pk])
    response = client.post(edit, {**data, "filed_on": "2026-02-02", "notes": "已补充材料"})
    assert response.status_code == 302
    response = client.post(
        edit,
        {**data, "filed_on": "2025-12-02", "notes": "已补充材料"},
    )
    assert "申请或起诉日期为2025-12-02，" + LOCKED in response.content.decode()
    appeal.refresh_from_db()
    assert (appeal.filed_on, appeal.notes) == (date(2026, 2, 2), "已补充材料")
