"""Imported items are findable in the admin like items made there (issue #3): the list's and the
chooser's search boxes, and Wagtail's own search index, which the import fills in bulk."""

import io
import logging

import pytest
from django.core.management import call_command
from django.db.models import TextField
from django.db.models.functions import Cast
from django.urls import reverse
from wagtail.search.backends import get_search_backend
from wagtail.search.backends.base import BaseSearchBackend
from wagtail.search.models import IndexEntry
from wagtail.search.utils import get_content_type_pk

from gongkai.catalogue.importing import import_file
from gongkai.catalogue.models import DisclosureItem

from .items_factories import make_item
from .test_import import good_row, write_csv

LIST = reverse("wagtailsnippets_catalogue_disclosureitem:list")
CHOOSER = reverse("wagtailsnippetchoosers_catalogue_disclosureitem:choose_results")


def import_rows(tmp_path, town, rows, name="目录.csv"):
    return import_file(write_csv(tmp_path / name, rows), organisation=town)


def item_entries():
    """What Wagtail's index holds for each item, as text (tsvectors on PostgreSQL)."""
    fields = ["title", "body", "autocomplete"]
    if hasattr(IndexEntry, "title_text"):  # PostgreSQL keeps plain-text mirrors too
        fields += ["title_text", "body_text"]
    rows = (
        IndexEntry.objects.filter(content_type_id=get_content_type_pk(DisclosureItem))
        .annotate(**{f"{name}_as_text": Cast(name, TextField()) for name in fields})
        .values_list("object_id", *[f"{name}_as_text" for name in fields])
    )
    return {row[0]: row[1:] for row in rows}


def test_the_list_and_the_chooser_find_an_imported_item_by_part_of_its_title(
    client, tmp_path, town, alice
):
    import_rows(tmp_path, town, [good_row(1, 名称="寮步镇2024年沉香文化节工作方案")])
    made = make_item(town, actor=alice, title="寮步镇2024年沉香文化节安全保障预案")
    imported = DisclosureItem.objects.get(title="寮步镇2024年沉香文化节工作方案")
    client.force_login(alice)

    listed = client.get(LIST, {"q": "沉香文化节"}).context["object_list"]
    assert set(listed) == {imported, made}
    assert list(client.get(LIST, {"q": "工作方案"}).context["object_list"]) == [imported]

    html = client.get(CHOOSER, {"q": "沉香文化节"}).content.decode()
    assert imported.title in html and made.title in html
    html = client.get(CHOOSER, {"q": "工作方案"}).content.decode()
    assert imported.title in html and made.title not in html


def test_imported_items_are_in_wagtails_search_index_like_items_made_in_the_admin(
    tmp_path, town, alice
):
    made = make_item(town, actor=alice, title="寮步镇防汛应急预案")
    result = import_rows(
        tmp_path,
        town,
        [good_row(n, 名称=f"寮步镇第{n}批财务公开通知") for n in range(1, 4)]
        + [good_row(9, 名称="Liaobu annual budget 2024")],
    )
    entries = item_entries()
    assert set(entries) == {str(pk) for pk in [made.pk, *result.item_ids]}

    backend = get_search_backend()
    imported = DisclosureItem.objects.get(title="寮步镇第2批财务公开通知")
    # The database backend matches whole words; a run of Chinese characters is one word to it.
    assert list(backend.search("寮步镇第2批财务公开通知", DisclosureItem)) == [imported]
    assert list(backend.search("budget", DisclosureItem)) == [
        DisclosureItem.objects.get(title="Liaobu annual budget 2024")
    ]
    assert list(backend.search("寮步镇防汛应急预案", DisclosureItem)) == [made]


def test_the_entries_are_what_update_index_writes(tmp_path, town):
    rows = [
        good_row(1, 名称="寮步镇关于做好2024年防汛工作的通知"),
        good_row(2, 内容概述="", 文号=""),  # empty fields are left out of the vectors
        good_row(3, 名称="Liaobu annual budget 2024", 内容概述="Budget and final accounts."),
    ]
    import_rows(tmp_path, town, rows)
    imported = item_entries()
    assert len(imported) == 3

    out = io.StringIO()
    call_command("update_index", stdout=out)  # Wagtail's command still works on our models
    assert "indexed" in out.getvalue()
    assert item_entries() == imported


def test_the_title_norm_is_set_for_ranking(tmp_path, town):
    import_rows(tmp_path, town, [good_row(1, 名称="短标题"), good_row(2)])
    norms = set(
        IndexEntry.objects.filter(content_type_id=get_content_type_pk(DisclosureItem)).values_list(
            "title_norm", flat=True
        )
    )
    assert len(norms) == 2 and 1.0 not in norms  # average length / this title's length


class UnreachableBackend(BaseSearchBackend):
    """An external search service (Elasticsearch, OpenSearch) that does not answer."""

    catch_indexing_errors = True

    def add_bulk(self, model, obj_list):
        raise ConnectionError("search service unreachable")


def test_an_external_search_service_that_is_down_does_not_undo_the_import(
    tmp_path, town, settings, caplog
):
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {"BACKEND": "wagtail.search.backends.database"},
        "external": {"BACKEND": f"{__name__}.UnreachableBackend"},
    }
    with caplog.at_level(logging.ERROR, logger="gongkai.catalogue.search_index"):
        result = import_rows(tmp_path, town, [good_row(1), good_row(2)])
    assert result.count == 2 and DisclosureItem.objects.count() == 2
    assert len(item_entries()) == 2  # the database index still has them
    assert "external" in caplog.text


@pytest.mark.parametrize("rows", [1, 700])
def test_it_indexes_every_row_in_batches(tmp_path, town, rows):
    result = import_rows(tmp_path, town, [good_row(n) for n in range(rows)])
    assert set(item_entries()) == {str(pk) for pk in result.item_ids}
