"""信息处理费 (国办函〔2020〕109号): computed from the records, never typed."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gongkai.applications import fees, services
from gongkai.applications.selectors import fees_collected


def test_it_charges_per_piece_in_progressive_bands():
    assert fees.piece_fee_total(10) == 0
    assert fees.piece_fee_total(11) == 100
    assert fees.piece_fee_total(30) == 2000
    assert fees.piece_fee_total(35) == 3000  # 20×100 + 5×200
    assert fees.piece_fee_total(41) == 2000 + 10 * 200 + 300
    assert [fees.piece_rate(n) for n in (10, 11, 30, 31, 40, 41, 51)] == [
        0,
        100,
        100,
        200,
        200,
        300,
        400,
    ]
    assert fees.piece_fee(earlier_in_month=30, pieces=5) == 1000


def test_it_charges_per_page_in_progressive_bands():
    assert fees.page_fee(30) == 0
    assert fees.page_fee(31) == 10
    assert fees.page_fee(100) == 700
    assert fees.page_fee(101) == 720
    assert fees.page_fee(250) == 70 * 10 + 100 * 20 + 50 * 40 == 4700


def test_it_uses_one_basis_only():
    with pytest.raises(ValueError):
        fees.fee_for(basis="both")


def test_it_counts_the_applicants_requests_in_the_calendar_month(receive, erin):
    cases = [receive(date(2026, 9, day)) for day in (1, 2, 3, 4, 7, 8, 9, 10, 11, 14)]
    eleventh = receive(date(2026, 9, 15))
    receive(date(2026, 10, 8))  # another month
    receive(date(2026, 9, 16), id_number="H1234567", id_document="other", phone="13011112222")
    with pytest.raises(ValidationError) as exc:
        services.application_send_fee_notice(
            actor=erin, application=cases[-1], sent_on=date(2026, 9, 18), basis="piece"
        )
    assert "0元" in exc.value.message_dict["basis"][0]
    notice = services.application_send_fee_notice(
        actor=erin, application=eleventh, sent_on=date(2026, 9, 18), basis="piece"
    )
    assert notice.amount == Decimal("100")
    assert notice.data == {"earlier": 10, "pieces": 1, "pages": 0}


def test_it_totals_the_fees_paid_in_a_year(receive, erin, town):
    case = receive(date(2026, 9, 18))
    services.application_send_fee_notice(
        actor=erin,
        application=case,
        sent_on=date(2026, 9, 22),
        basis="page",
        pages=250,
        received_on=date(2026, 9, 23),
    )
    assert fees_collected(organisation=town, year=2026) == 0
    services.application_record_fee_paid(actor=erin, application=case, paid_on=date(2026, 9, 29))
    assert fees_collected(organisation=town, year=2026) == Decimal("4700")
    assert fees_collected(organisation=town, year=2025) == 0


def test_it_charges_no_fee_under_the_2008_regulation(receive, erin):
    case = receive(date(2012, 6, 11))
    with pytest.raises(ValidationError, match="2008"):
        services.application_send_fee_notice(
            actor=erin, application=case, sent_on=date(2012, 6, 12), basis="page", pages=99
        )
