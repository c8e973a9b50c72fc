"""The annual report's 规章/规范性文件 counts read a small partial index, not the whole item
table (issue #3): checked with the databases' own query plans."""

from datetime import date

from django.db import connection

from gongkai.catalogue import selectors
from gongkai.catalogue.models import DisclosureItem

from .items_factories import info_category

INDEX = "catalogue_item_regulatory"


def counts_and_plan(*, organisation_ids, year):
    """Run regulatory_counts and ask the database how it ran its query (same SQL, same params)."""
    executed = []

    def keep(execute, sql, params, many, context):
        executed.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        counts = selectors.regulatory_counts(organisation_ids=organisation_ids, year=year)
    (sql, params) = next(q for q in executed if "regulatory_kind" in q[0])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalogue_disclosureitem")  # the planners' statistics
        if connection.vendor == "postgresql":
            # The test table is small: ask whether the index answers the query (its condition
            # implied by the query's), not whether reading 20 pages whole would be cheaper.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
    return counts, plan


def test_the_regulatory_counts_use_the_partial_index(town):
    category = info_category()
    kinds = DisclosureItem.RegulatoryKind
    DisclosureItem.objects.bulk_create(
        DisclosureItem(
            organisation=town,
            category=category,
            title=f"工作动态{n}",
            created_date=date(2025, 1 + n % 12, 1 + n % 28),
            published_date=date(2025, 12, 30),
            live=True,
            regulatory_kind=kinds.RULE if n % 100 == 0 else kinds.NORMATIVE if n % 50 == 0 else "",
        )
        for n in range(1, 1001)
    )
    counts, plan = counts_and_plan(organisation_ids=[town.pk], year=2025)
    assert counts["rule"]["issued"] == 10 and counts["normative"]["issued"] == 10
    assert INDEX in plan, plan
    if connection.vendor == "sqlite":
        # Every column the counts read is in the index: the table itself is not read.
        assert f"COVERING INDEX {INDEX}" in plan, plan
    else:
        assert "Seq Scan" not in plan, plan
