import re
import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from gongkai.catalogue.models import DisclosureItem, IndexNumberSequence
from gongkai.catalogue.models.items import validate_index_number
from gongkai.catalogue.services import index_number_next, index_numbers_reserve
from gongkai.orgs.creditcode import make_credit_code
from gongkai.orgs.models import Organisation
from gongkai.orgs.services import organisation_create

from .items_factories import info_category, make_item


def test_it_formats_the_index_number_as_credit_code_year_and_five_digits(town):
    item = make_item(town, created_date=date(2026, 3, 2))
    assert item.index_number == f"{town.credit_code}/2026-00001"
    assert re.fullmatch(r"[0-9A-Z]{18}/\d{4}-\d{5}", item.index_number)


def test_it_numbers_per_organisation_and_per_year(town, village):
    village.credit_code = make_credit_code("54441900MA4W00001")
    village.save(update_fields=["credit_code"])
    a = make_item(town, created_date=date(2026, 1, 5))
    b = make_item(town, created_date=date(2026, 2, 5))
    c = make_item(village, created_date=date(2026, 2, 6))
    d = make_item(town, created_date=date(2025, 12, 30))
    assert a.index_number.endswith("/2026-00001")
    assert b.index_number.endswith("/2026-00002")
    assert c.index_number == f"{village.credit_code}/2026-00001"
    assert d.index_number.endswith("/2025-00001")
    assert IndexNumberSequence.objects.get(organisation=town, year=2026).last_serial == 2


def test_it_skips_a_number_already_taken_by_an_import(town):
    DisclosureItem.objects.create(
        organisation=town,
        index_number=f"{town.credit_code}/2026-00001",
        title="导入的旧信息",
        created_date=date(2026, 1, 1),
        category=info_category(),
        live=False,
    )
    assert make_item(town).index_number == f"{town.credit_code}/2026-00002"
    with transaction.atomic():
        assert index_number_next(organisation=town, year=2026) == f"{town.credit_code}/2026-00003"


def test_it_reserves_a_block_in_serial_order(town):
    numbers = index_numbers_reserve(organisation=town, year=2024, count=3)
    assert [n[-5:] for n in numbers] == ["00001", "00002", "00003"]


def test_it_refuses_to_number_for_an_organisation_without_credit_code(village):
    with pytest.raises(ValidationError, match="统一社会信用代码"):
        make_item(village)


def test_it_locks_the_sequence_row_on_postgresql(town):
    with CaptureQueriesContext(connection) as ctx, transaction.atomic():
        index_number_next(organisation=town, year=2026)
    selects = [
        q["sql"] for q in ctx.captured_queries if "catalogue_indexnumbersequence" in q["sql"]
    ]
    if connection.vendor == "postgresql":
        assert any("FOR UPDATE" in sql for sql in selects)
    else:
        # SQLite has no row locks; IMMEDIATE transactions take the write lock at BEGIN.
        assert connection.settings_dict["OPTIONS"].get("transaction_mode") == "IMMEDIATE"


@pytest.mark.django_db(transaction=True)
def test_it_never_gives_the_same_number_to_concurrent_savers():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        # The test database is one in-memory database shared by all threads through SQLite's
        # shared cache, which has table locks instead of the file's write lock.
        pytest.skip("in-memory SQLite: the file database and PostgreSQL are what run in service")
    town = organisation_create(
        name="并发镇",
        code="binfa",
        kind=Organisation.Kind.GOVERNMENT,
        credit_code=make_credit_code("11441900007339999"),
    )
    results, errors = [], []
    barrier = threading.Barrier(8)

    def worker():
        try:
            barrier.wait()
            for _ in range(5):
                with transaction.atomic():
                    results.append(index_number_next(organisation=town, year=2026))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(results) == 40
    assert len(set(results)) == 40
    assert sorted(int(n[-5:]) for n in results) == list(range(1, 41))


@pytest.mark.parametrize(
    "value",
    [
        "11441700007280420Y/2021-00050",
        "113708280043326001/2024-02411",
        "1133102400268125XW/2024-104757",
        "11341702486344515H/202110-00013",
        "6107280000/2024-001005",
        "0142768-8/2022-00185",
        "000014349tc0000/2018-00851",
        "000014349/2018-00222",
        "330201-01-03-01-20120315-0001",
    ],
)
def test_it_accepts_every_index_number_format_in_use(value):
    validate_index_number(value)


@pytest.mark.parametrize(
    "value", ["", "abc", "1144 1700/2021-00050", "索引/2021-00001", "/2021-1", "ab/cd-ef"]
)
def test_it_refuses_what_cannot_be_an_index_number(value):
    with pytest.raises(ValidationError):
        validate_index_number(value)
