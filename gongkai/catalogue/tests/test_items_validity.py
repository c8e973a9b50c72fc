"""Validity (有效性) rules and the counts of the annual report's section 二, 第二十条第（一）项."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from gongkai.catalogue.models import DisclosureItem
from gongkai.catalogue.selectors import regulatory_counts
from gongkai.catalogue.services import item_withdraw

from .items_factories import make_item

RULE = DisclosureItem.RegulatoryKind.RULE
NORMATIVE = DisclosureItem.RegulatoryKind.NORMATIVE
REPEALED = DisclosureItem.Validity.REPEALED
AMENDED = DisclosureItem.Validity.AMENDED
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize("validity", [AMENDED, REPEALED])
def test_it_requires_the_date_for_amended_and_repealed(town, validity):
    with pytest.raises(ValidationError) as caught:
        make_item(town, validity=validity)
    assert "validity_changed_on" in caught.value.message_dict


def test_it_refuses_a_repeal_dated_before_creation(town):
    with pytest.raises(ValidationError) as caught:
        make_item(
            town,
            created_date=date(2026, 3, 2),
            validity=REPEALED,
            validity_changed_on=date(2026, 1, 1),
        )
    assert "validity_changed_on" in caught.value.message_dict


def test_it_refuses_an_item_replaced_by_itself(town):
    item = make_item(town)
    item.replaced_by = item
    with pytest.raises(ValidationError) as caught:
        item.full_clean()
    assert "replaced_by" in caught.value.message_dict


def test_it_requires_a_reason_to_withhold(town):
    with pytest.raises(ValidationError) as caught:
        make_item(town, disclosure_mode=DisclosureItem.DisclosureMode.WITHHELD)
    assert "withheld_reason" in caught.value.message_dict


def _doc(org, kind, created, published=None, **fields):
    item = make_item(org, regulatory_kind=kind, created_date=created, **fields)
    if published:
        DisclosureItem.objects.filter(pk=item.pk).update(published_date=published)
        item.refresh_from_db()
    return item


def test_it_counts_rules_and_normative_documents_for_the_annual_report(town, office, alice):
    office.credit_code = None
    # Normative documents of the town
    _doc(town, NORMATIVE, date(2025, 3, 1), date(2025, 3, 5))  # in force, issued in 2025
    _doc(
        town,
        NORMATIVE,
        date(2025, 5, 1),
        date(2025, 5, 6),
        validity=REPEALED,
        validity_changed_on=date(2025, 11, 1),
    )  # issued and repealed in 2025
    _doc(
        town,
        NORMATIVE,
        date(2020, 5, 1),
        date(2020, 5, 6),
        validity=REPEALED,
        validity_changed_on=date(2026, 2, 1),
    )  # repealed later: in force at end-2025
    _doc(
        town,
        NORMATIVE,
        date(2021, 5, 1),
        date(2021, 5, 6),
        validity=AMENDED,
        validity_changed_on=date(2025, 8, 1),
    )  # amended: still in force
    _doc(town, NORMATIVE, date(2025, 12, 20), date(2026, 1, 5))  # issued 2025, public in Jan
    _doc(town, NORMATIVE, date(2025, 6, 1))  # never published: not counted
    withdrawn = _doc(town, NORMATIVE, date(2025, 7, 1), date(2025, 7, 2))
    item_withdraw(actor=alice, item=withdrawn, reason="误发")
    # Withdrawn during 2025: not counted. One withdrawn after the year ended was public all
    # through it and counts for 2025 as it stood then (a locked report stays as it was).
    DisclosureItem.objects.filter(pk=withdrawn.pk).update(
        withdrawn_at=datetime(2025, 7, 10, 9, tzinfo=SHANGHAI)
    )
    withdrawn_later = _doc(town, NORMATIVE, date(2025, 8, 1), date(2025, 8, 2))
    item_withdraw(actor=alice, item=withdrawn_later, reason="涉密，撤回")
    DisclosureItem.objects.filter(pk=withdrawn_later.pk).update(
        withdrawn_at=datetime(2026, 1, 1, 0, 5, tzinfo=SHANGHAI)
    )
    _doc(town, NORMATIVE, date(2025, 9, 1), date(2025, 9, 2), effective_from=date(2026, 1, 1))
    # A rule
    _doc(town, RULE, date(2019, 1, 10), date(2019, 1, 15))
    # Not regulatory at all
    _doc(town, DisclosureItem.RegulatoryKind.NONE, date(2025, 3, 1), date(2025, 3, 2))

    counts = regulatory_counts(organisation_ids=[town.pk], year=2025)
    assert counts["normative"] == {"issued": 5, "repealed": 1, "in_force": 4}
    assert counts["rule"] == {"issued": 0, "repealed": 0, "in_force": 1}

    counts_2026 = regulatory_counts(organisation_ids=[town.pk], year=2026)
    assert counts_2026["normative"]["in_force"] == 4  # the one withdrawn in 2026 has gone
    assert counts_2026["normative"]["repealed"] == 1
    assert counts_2026["normative"]["issued"] == 0
    assert regulatory_counts(organisation_ids=[], year=2025) == {
        "rule": {"issued": 0, "repealed": 0, "in_force": 0},
        "normative": {"issued": 0, "repealed": 0, "in_force": 0},
    }
