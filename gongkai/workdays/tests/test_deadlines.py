from datetime import date

import pytest

from gongkai.workdays.calendar import ScheduleMissing, add_working_days
from gongkai.workdays.deadlines import (
    PAUSE_FEE,
    RULES_2008,
    RULES_2019,
    Pause,
    correction_notice_deadline,
    fee_payment_deadline,
    reply_deadline,
    rules_for,
    third_party_reply_deadline,
)

pytestmark = pytest.mark.django_db

SEPT_18 = date(2026, 9, 18)  # a Friday before 中秋 and 国庆 2026


def test_it_counts_a_reply_through_national_day_2026():
    result = reply_deadline(received=SEPT_18)
    assert result.due == date(2026, 10, 22)
    assert result.rules == RULES_2019
    assert (result.base_days, result.extension_days, result.paused_days) == (20, 0, 0)
    text = "\n".join(result.steps)
    assert "2019年条例第三十三条第二款" in text
    assert "第1个工作日为2026-09-20（星期日）" in text
    assert "国庆节 2026-10-01至2026-10-07" in text
    assert "2026-09-20（星期日，国庆节调休）" in text
    assert "2026-10-10（星期六，国庆节调休）" in text
    assert result.steps[-1] == "答复期限：2026-10-22（星期四）。"


def test_it_adds_the_extension():
    result = reply_deadline(received=SEPT_18, extended=True)
    assert result.extension_days == 20
    assert result.due == add_working_days(SEPT_18, 40) == date(2026, 11, 19)
    assert "合计40个工作日" in "".join(result.steps)


def test_it_switches_rules_on_2019_05_15():
    assert rules_for(date(2019, 5, 14)) == RULES_2008
    assert rules_for(date(2019, 5, 15)) == RULES_2019
    old = reply_deadline(received=date(2019, 5, 14))
    new = reply_deadline(received=date(2019, 5, 15))
    assert (old.rules, old.base_days) == (RULES_2008, 15)
    assert (new.rules, new.base_days) == (RULES_2019, 20)
    # 15 working days after Tue 2019-05-14; 20 after Wed 2019-05-15 across 端午 (Fri 06-07)
    assert old.due == date(2019, 6, 4)
    assert new.due == date(2019, 6, 13)
    assert "2008年条例第二十四条" in "".join(old.steps)
    assert reply_deadline(received=date(2019, 5, 14), extended=True).extension_days == 15


def test_it_applies_the_rules_it_is_told():
    result = reply_deadline(received=SEPT_18, rules=RULES_2008)
    assert result.base_days == 15
    assert result.due == add_working_days(SEPT_18, 15)
    with pytest.raises(ValueError):
        reply_deadline(received=SEPT_18, rules="2020")


def test_it_restarts_the_clock_on_correction():
    result = reply_deadline(received=date(2026, 9, 1), corrected=SEPT_18)
    assert result.due == date(2026, 10, 22)
    assert "第三十条" in "".join(result.steps)
    with pytest.raises(ValueError):
        reply_deadline(received=SEPT_18, corrected=date(2026, 9, 1))


def test_it_moves_the_deadline_by_the_working_days_of_a_pause():
    # Letter sent Tue 09-22, answer received Tue 09-29: 09-23, 09-24, 09-28, 09-29 are not
    # counted (09-25..27 are 中秋 anyway).
    result = reply_deadline(received=SEPT_18, pauses=[Pause(date(2026, 9, 22), date(2026, 9, 29))])
    assert result.paused_days == 4
    assert result.due == date(2026, 10, 28)
    assert any("其间4个工作日不计入" in s and "第三十三条第三款" in s for s in result.steps)


def test_it_leaves_the_due_date_open_while_a_pause_is_open():
    result = reply_deadline(received=SEPT_18, pauses=[Pause(date(2026, 9, 22))])
    assert result.due is None
    assert "已用3个工作日，剩余17个工作日" in result.steps[-1]


def test_it_counts_overlapping_pauses_once():
    one = reply_deadline(received=SEPT_18, pauses=[Pause(date(2026, 9, 22), date(2026, 10, 9))])
    both = reply_deadline(
        received=SEPT_18,
        pauses=[
            Pause(date(2026, 9, 22), date(2026, 9, 30)),
            Pause(date(2026, 9, 28), date(2026, 10, 9)),
        ],
    )
    assert both.paused_days == one.paused_days == 7
    assert both.due == one.due


def test_it_ignores_a_pause_begun_after_the_deadline():
    result = reply_deadline(received=SEPT_18, pauses=[Pause(date(2026, 10, 23), date(2026, 11, 5))])
    assert result.due == date(2026, 10, 22)
    assert result.paused_days == 0
    assert any("已届满" in s for s in result.steps)


def test_it_pauses_for_a_fee_notice_only_when_configured(settings):
    fee = Pause(date(2026, 9, 22), date(2026, 9, 29), kind=PAUSE_FEE)
    assert reply_deadline(received=SEPT_18, pauses=[fee]).due == date(2026, 10, 28)
    settings.GONGKAI_FEE_PAUSES_CLOCK = False
    result = reply_deadline(received=SEPT_18, pauses=[fee])
    assert result.due == date(2026, 10, 22)
    assert any("GONGKAI_FEE_PAUSES_CLOCK=False" in s for s in result.steps)


def test_it_refuses_a_pause_that_ends_before_it_starts():
    with pytest.raises(ValueError):
        reply_deadline(received=SEPT_18, pauses=[Pause(date(2026, 9, 29), date(2026, 9, 22))])


def test_it_can_count_the_day_of_receipt_when_configured(settings):
    # Mon 2026-09-21 is a working day: counted as day 1, the deadline is a day earlier.
    monday = date(2026, 9, 21)
    assert reply_deadline(received=monday).due == add_working_days(monday, 20)
    settings.GONGKAI_COUNT_FROM_NEXT_DAY = False
    assert reply_deadline(received=monday).due == add_working_days(monday, 19)
    # received on a rest day, nothing changes
    assert reply_deadline(received=date(2026, 9, 26)).due == add_working_days(date(2026, 9, 26), 20)
    # the fee rule says "the day after" in its own words
    assert fee_payment_deadline(monday) == add_working_days(monday, 20)


def test_it_computes_the_short_clocks():
    # Art. 30: 7 working days; Art. 32: 15; fee: 20 from the day after.
    assert correction_notice_deadline(SEPT_18) == date(2026, 9, 29)
    assert third_party_reply_deadline(SEPT_18) == date(2026, 10, 15)
    assert fee_payment_deadline(SEPT_18) == date(2026, 10, 22)


def test_it_refuses_to_guess_a_deadline_in_a_missing_year():
    with pytest.raises(ScheduleMissing) as exc:
        reply_deadline(received=date(2026, 12, 15))
    assert exc.value.year == 2027
    with pytest.raises(ScheduleMissing):
        correction_notice_deadline(date(2099, 3, 1))


def test_it_uses_an_administrators_year_for_a_deadline(year_2027):
    # Thu 2026-12-24 + 20: 12-25..31 (5), Jan 1–3 off, 01-04.. → 2027-01-22
    result = reply_deadline(received=date(2026, 12, 24))
    assert result.due == date(2027, 1, 22)
    assert "元旦 2027-01-01至2027-01-03" in "".join(result.steps)


def test_it_skips_the_sentences_when_asked():
    pauses = [Pause(date(2026, 9, 22), date(2026, 9, 29))]
    quiet = reply_deadline(received=SEPT_18, pauses=pauses, explain=False)
    full = reply_deadline(received=SEPT_18, pauses=pauses)
    assert quiet.steps == []
    assert (quiet.due, quiet.paused_days) == (full.due, full.paused_days) == (date(2026, 10, 28), 4)
