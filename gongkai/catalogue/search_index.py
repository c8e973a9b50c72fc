"""Wagtail's search index entries for items written in bulk (the spreadsheet import).

An item saved in the admin is indexed by Wagtail's post_save handler (through a background
task). The import writes with bulk_create, which sends no signal, so without this an imported
item would be missing from Wagtail's index (Wagtail's search, `DisclosureItem.objects.search()`)
until someone ran `manage.py update_index`.

The entries are written in the import's transaction, one statement per batch, with the same
content `update_index` would write (tests/test_import_search_index.py compares the two):

- the database backend on PostgreSQL (a tsvector table): one INSERT … SELECT FROM unnest(…)
  per batch, the vectors computed by the server. Wagtail's own add_bulk builds three Django
  expressions per item on the client, which took longer than the rest of the import together;
- the database backend on SQLite (an FTS5 table filled by a trigger): one bulk INSERT;
- any other backend (Elasticsearch, OpenSearch): its add_bulk, batch by batch. Such a backend
  catches indexing errors (as Wagtail's save handler does): if it is down, the import still
  succeeds, the error is logged and `update_index` fills the gap later.

The "title norm" used for ranking is refreshed once at the end, for the new entries only
(Wagtail's add_bulk refreshes it after every batch, reading the whole index table each time).
"""

import logging

from django.db import connections, router
from django.db.models import Avg, F
from django.db.models.functions import Length
from django.utils.encoding import force_str
from wagtail.search.backends import get_search_backends_with_name
from wagtail.search.index import AutocompleteField, RelatedFields, SearchField
from wagtail.search.models import IndexEntry
from wagtail.search.utils import get_content_type_pk

logger = logging.getLogger(__name__)

BATCH = 500


def items_index(model, objs: list) -> None:
    """Add these new (or changed) objects of `model` to every auto-updated search backend."""
    if not objs or not model.get_search_fields():
        return
    for name, backend in get_search_backends_with_name(with_auto_update=True):
        try:
            _backend_add(backend, model, objs)
        except Exception:
            if not backend.catch_indexing_errors:
                raise  # the database backend: the import's transaction is rolled back
            logger.exception("Imported %s were not added to search backend %r", model, name)


def _backend_add(backend, model, objs: list) -> None:
    parts = _parts(model)
    kind = type(backend).__name__
    if parts is not None and kind == "PostgresSearchBackend":
        write = _postgres_write
    elif parts is not None and kind == "SQLiteSearchBackend":
        write = _sqlite_write
    else:
        for start in range(0, len(objs), BATCH):
            backend.add_bulk(model, objs[start : start + BATCH])
        return
    content_type_id = get_content_type_pk(model)
    for start in range(0, len(objs), BATCH):
        write(backend, model, content_type_id, parts, objs[start : start + BATCH])
    _refresh_title_norms(content_type_id, [str(obj.pk) for obj in objs])


def _parts(model):
    """The model's search fields by the index column they go to, or None when a field needs
    what only Wagtail's own indexer does (related objects): then its add_bulk is used."""
    title, body, autocomplete = [], [], []
    for field in model.get_search_fields():
        if isinstance(field, SearchField):
            (title if field.field_name == "title" else body).append(field)
        elif isinstance(field, AutocompleteField):
            autocomplete.append(field)
        elif isinstance(field, RelatedFields):
            return None
    return {"title": title, "body": body, "autocomplete": autocomplete}


def _prepare(value) -> str:
    # As the database backends' ObjectIndexer.prepare_value.
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return ", ".join(_prepare(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(_prepare(item) for item in value.values())
    return force_str(value)


def _sqlite_write(backend, model, content_type_id, parts, objs) -> None:
    # The insert trigger of Wagtail's migration copies each row into the FTS5 table; a row that
    # is already there is updated (and its update trigger updates the FTS5 row).
    def joined(fields, obj):
        return " ".join(_prepare(field.get_value(obj)) for field in fields)

    IndexEntry.objects.bulk_create(
        [
            IndexEntry(
                content_type_id=content_type_id,
                object_id=str(obj.pk),
                title=joined(parts["title"], obj),
                body=joined(parts["body"], obj),
                autocomplete=joined(parts["autocomplete"], obj),
            )
            for obj in objs
        ],
        update_conflicts=True,
        unique_fields=["content_type", "object_id"],
        update_fields=["title", "body", "autocomplete", "title_norm"],
    )


def _postgres_write(backend, model, content_type_id, parts, objs) -> None:
    from wagtail.search.backends.database.postgres.weights import get_weight

    # One text array per search field, plus the plain-text mirrors for fuzzy search; the
    # vectors are built by the server exactly as Wagtail's ObjectIndexer.as_vector asks it to:
    # to_tsvector(config, text) weighted by the field's boost, concatenated with ||, empty texts
    # left out (an empty tsvector adds nothing to a concatenation, so passing '' is the same).
    columns, arrays, params = [], [], []

    def vector(fields, *, config, weight_of):
        if not fields:
            return "to_tsvector(COALESCE(%s::text, ''))", [""]
        sql, sql_params = [], []
        for field in fields:
            column = f"f{len(columns)}"
            columns.append(column)
            arrays.append([_prepare(field.get_value(obj)).strip() for obj in objs])
            config_sql = "%s::regconfig, " if config else ""
            sql.append(f"setweight(to_tsvector({config_sql}COALESCE(t.{column}, '')), %s)")
            sql_params += ([config] if config else []) + [weight_of(field)]
        return " || ".join(sql), sql_params

    title_sql, title_params = vector(
        parts["title"], config=backend.config, weight_of=lambda f: get_weight(f.boost)
    )
    body_sql, body_params = vector(
        parts["body"], config=backend.config, weight_of=lambda f: get_weight(f.boost)
    )
    autocomplete_sql, autocomplete_params = vector(
        parts["autocomplete"], config=backend.autocomplete_config, weight_of=lambda f: "D"
    )

    def plain(fields, obj):
        texts = (_prepare(field.get_value(obj)).strip() for field in fields)
        return " ".join(text for text in texts if text)

    object_ids = [str(obj.pk) for obj in objs]
    title_text = [plain(parts["title"], obj) for obj in objs]
    body_text = [plain(parts["body"], obj) for obj in objs]
    unnest = ", ".join(["%s::text[]"] * (len(arrays) + 3))
    names = ", ".join(["object_id", *columns, "title_text", "body_text"])
    table = IndexEntry._meta.db_table
    sql = (
        f"INSERT INTO {table} "  # noqa: S608 - table and column names are ours, values are params
        "(content_type_id, object_id, title, autocomplete, body, title_norm, title_text,"
        " body_text) "
        f"SELECT %s, t.object_id, {title_sql}, {autocomplete_sql}, {body_sql}, 1.0,"
        " t.title_text, t.body_text "
        f"FROM unnest({unnest}) AS t({names}) "
        "ON CONFLICT (content_type_id, object_id) DO UPDATE SET title = EXCLUDED.title,"
        " title_norm = 1.0, autocomplete = EXCLUDED.autocomplete, body = EXCLUDED.body,"
        " title_text = EXCLUDED.title_text, body_text = EXCLUDED.body_text"
    )
    params = [
        content_type_id,
        *title_params,
        *autocomplete_params,
        *body_params,
        object_ids,
        *arrays,
        title_text,
        body_text,
    ]
    with connections[router.db_for_write(IndexEntry)].cursor() as cursor:
        cursor.execute(sql, params)


def _refresh_title_norms(content_type_id: int, object_ids: list[str]) -> None:
    """title_norm = average title length / this title's length, as Wagtail's database backends
    compute it (their _refresh_title_norms), for the new entries."""
    lengths = IndexEntry.objects.annotate(title_length=Length("title")).filter(title_length__gt=0)
    average = lengths.aggregate(average=Avg("title_length"))["average"]
    if average is None:
        return
    for start in range(0, len(object_ids), BATCH):
        lengths.filter(
            content_type_id=content_type_id, object_id__in=object_ids[start : start + BATCH]
        ).update(title_norm=average / F("title_length"))
