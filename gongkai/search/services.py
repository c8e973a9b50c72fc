"""Writes to the index: keep it in step with what is public, and rebuild it.

`search_sync_items` is the one function every path goes through (signals, the rebuild command,
the extraction task): it looks each item up again, indexes it if it is public (live and not
withdrawn) and removes it otherwise. So a signal delivered twice, late or for the wrong
reason does no harm, and a withdrawn item leaves the index whatever told us about it.
"""

import hashlib
import logging
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from gongkai.catalogue.models import ColumnPage, DisclosureItem, ItemAttachment
from gongkai.catalogue.selectors import items_public

from . import docnumbers, extract, segment, text
from .backends import get_backend
from .backends.base import IndexDocument, rank_key
from .models import AttachmentText, IndexRun, SearchEntry

logger = logging.getLogger(__name__)

MAX_BODY_CHARS = 200_000
MAX_ATTACHMENT_CHARS = 100_000  # all attachments of one item together


# -- building index documents -----------------------------------------------------------------


class PageContext:
    """Columns and sites, read once per batch: which columns and sites show an item."""

    def __init__(self):
        from wagtail.models import Site

        self.column_paths = dict(ColumnPage.objects.values_list("id", "path"))
        self.column_by_path = {path: pk for pk, path in self.column_paths.items()}
        self.site_roots = [
            (site.pk, site.root_page.path) for site in Site.objects.select_related("root_page")
        ]

    def placements(self, column_ids) -> tuple[list[int], list[int]]:
        """The columns (with the columns above them) and the sites showing these columns."""
        columns, sites = set(), set()
        for column_id in column_ids:
            path = self.column_paths.get(column_id)
            if path is None:
                continue
            columns.add(column_id)
            for end in range(4, len(path), 4):
                parent = self.column_by_path.get(path[:end])
                if parent is not None:
                    columns.add(parent)
            sites.update(site_id for site_id, root in self.site_roots if path.startswith(root))
        return sorted(columns), sorted(sites)


def meta_token(kind: str, value) -> str:
    """A filter token: a letter and an id or code, letters and digits only."""
    return kind + text.NON_WORD_RE.sub("", str(value).lower())


def _docno_tokens(numbers) -> list[str]:
    out = []
    for number in numbers:
        out += number.index_tokens()
        out += text.tokens(number.agency)
        if number.year:
            out.append(number.year)
        out.append(number.number)
    return out


@dataclass
class ItemSource:
    """Everything about one item that goes into its index row, as plain values.

    Made in the process that reads the database; turned into an IndexDocument (the CPU-heavy
    part: segmentation) by `build_document`, which may run in a worker process.
    """

    item_id: int
    rank_key: int
    title: str
    summary: str
    body_html: str
    document_number: str
    extra: list[str]
    meta: list[str]
    attachments: list[tuple[str, str]]  # (title, text)


def item_source(item: "ItemRow", *, column_ids, attachments, pages: PageContext) -> ItemSource:
    columns, sites = pages.placements(column_ids)
    meta = [
        meta_token("o", item.organisation_id),
        meta_token("k", item.category_id),
        meta_token("v", item.validity),
        *(meta_token("c", c) for c in columns),
        *(meta_token("s", s) for s in sites),
    ]
    if item.subject_id:
        meta.append(meta_token("j", item.subject_id))
    extra = [
        item.keywords,
        item.publisher,
        item.organisation_name,
        item.organisation_short_name,
        item.index_number or "",
        item.category_name,
        item.subject_name if item.subject_id else "",
        str(GENRES.get(item.genre, item.genre)) if item.genre else "",
        item.source,
    ]
    return ItemSource(
        item_id=item.pk,
        rank_key=rank_key(day=item.day, item_id=item.pk),
        title=item.title,
        summary=item.summary,
        body_html=item.body,
        document_number=item.document_number,
        extra=[part for part in extra if part],
        meta=meta,
        attachments=list(attachments),
    )


def build_document(source: ItemSource) -> IndexDocument:
    body = text.truncate(text.html_to_text(source.body_html), MAX_BODY_CHARS)
    attachment_text = "\n".join(f"{title}\n{content}" for title, content in source.attachments)
    attachment_text = text.truncate(attachment_text, MAX_ATTACHMENT_CHARS)

    own_numbers = docnumbers.parse(source.document_number) + docnumbers.parse(source.title)
    docno = _docno_tokens(own_numbers)
    if source.document_number and not own_numbers:
        docno += text.tokens(source.document_number)

    fields = {
        "title": text.tokens(source.title),
        "docno": docno,
        "summary": text.tokens(source.summary),
        "extra": text.tokens(" ".join(source.extra)),
        # Document numbers cited in the body are findable too, after the item's own.
        "body": text.tokens(body) + _docno_tokens(docnumbers.parse(body)),
        "attach": text.tokens(attachment_text) + _docno_tokens(docnumbers.parse(attachment_text)),
        "grams": text.grams(source.title),
        "meta": source.meta,
    }
    return IndexDocument(item_id=source.item_id, rank_key=source.rank_key, fields=fields)


def build_many(sources: list[ItemSource]) -> list[IndexDocument]:
    return [build_document(source) for source in sources]


def content_hash(doc: IndexDocument) -> str:
    digest = hashlib.sha1(usedforsecurity=False)
    digest.update(str(doc.rank_key).encode())
    for name in sorted(doc.fields):
        digest.update(b"\x00" + name.encode() + b"\x00")
        digest.update(" ".join(doc.fields[name]).encode())
    return digest.hexdigest()


# -- attachments ------------------------------------------------------------------------------


def attachment_text_get(*, attachment: ItemAttachment, cached: AttachmentText | None) -> str:
    """The attachment's text, extracted now unless the cache holds this very file."""
    if cached is not None and cached.sha256 == (attachment.sha256 or "") and attachment.sha256:
        return cached.text
    result = extract.extract_file(attachment.file, name=attachment.file.name)
    AttachmentText.objects.update_or_create(
        attachment=attachment,
        defaults={
            "sha256": attachment.sha256 or "",
            "status": result.status,
            "text": result.text,
            "note": result.note[:200],
        },
    )
    return result.text


def _attachments_by_item(item_ids, *, extract_missing: bool) -> tuple[dict, list[int]]:
    """(item id → [(title, text)], ids of items whose attachments still need reading)."""
    wanted = set(item_ids)
    attachments = [
        a
        for a in ItemAttachment.objects.filter(_id_range("item_id", item_ids)).order_by(
            "item_id", "sort_order", "pk"
        )
        if a.item_id in wanted
    ]
    if not attachments:
        return {}, []
    cached = {
        a.pk: a
        for a in AttachmentText.objects.filter(attachment_id__in=[a.pk for a in attachments])
    }
    by_item: dict[int, list[tuple[str, str]]] = {}
    pending: set[int] = set()
    for attachment in attachments:
        hit = cached.get(attachment.pk)
        fresh = hit is not None and attachment.sha256 and hit.sha256 == attachment.sha256
        if fresh or extract_missing:
            content = attachment_text_get(attachment=attachment, cached=hit)
        else:
            content = ""
            pending.add(attachment.item_id)
        by_item.setdefault(attachment.item_id, []).append((attachment.title, content))
    return by_item, sorted(pending)


def _column_ids_by_item(item_ids) -> dict[int, list[int]]:
    through = DisclosureItem.columns.through
    wanted = set(item_ids)
    by_item: dict[int, list[int]] = {}
    rows = through.objects.filter(_id_range("disclosureitem_id", item_ids)).values_list(
        "disclosureitem_id", "columnpage_id"
    )
    for item_id, column_id in rows:
        if item_id in wanted:
            by_item.setdefault(item_id, []).append(column_id)
    return by_item


def _id_range(field: str, item_ids) -> Q:
    """The ids' range when they are nearly consecutive (a rebuild's batch: a range costs far
    less to build and run than IN with a thousand values), else the ids themselves. Callers
    keep only the ids they asked for."""
    if not item_ids:
        return Q(**{f"{field}__in": []})
    low, high = min(item_ids), max(item_ids)
    if high - low < 4 * len(item_ids):
        return Q(**{f"{field}__gte": low, f"{field}__lte": high})
    return Q(**{f"{field}__in": list(item_ids)})


def item_sources(items, *, pages: PageContext, extract_missing: bool = True):
    """(ItemSource per item, ids of items whose attachments still need reading)."""
    ids = [item.pk for item in items]
    columns = _column_ids_by_item(ids)
    attachments, pending = _attachments_by_item(ids, extract_missing=extract_missing)
    sources = [
        item_source(
            item,
            column_ids=columns.get(item.pk, []),
            attachments=attachments.get(item.pk, []),
            pages=pages,
        )
        for item in items
    ]
    return sources, pending


def build_documents(items, *, pages: PageContext, extract_missing: bool = True):
    sources, pending = item_sources(items, pages=pages, extract_missing=extract_missing)
    return build_many(sources), pending


# -- writing ----------------------------------------------------------------------------------


GENRES = dict(DisclosureItem.Genre.choices)
# What item_source reads, as plain values: model instances (every Wagtail page field) cost six
# times as much to load as the values themselves.
ROW_FIELDS = (
    ("pk", "id"),
    ("title", "title"),
    ("summary", "summary"),
    ("body", "body"),
    ("document_number", "document_number"),
    ("index_number", "index_number"),
    ("keywords", "keywords"),
    ("publisher", "publisher"),
    ("source", "source"),
    ("genre", "genre"),
    ("validity", "validity"),
    ("published_date", "published_date"),
    ("first_published_at", "first_published_at"),
    ("created_date", "created_date"),
    ("organisation_id", "organisation_id"),
    ("organisation_name", "organisation__name"),
    ("organisation_short_name", "organisation__short_name"),
    ("category_id", "category_id"),
    ("category_name", "category__name"),
    ("subject_id", "subject_id"),
    ("subject_name", "subject__name"),
)


class ItemRow:
    """One public item's values that go into its index row."""

    __slots__ = tuple(name for name, _lookup in ROW_FIELDS)

    def __init__(self, values):
        for (name, _lookup), value in zip(ROW_FIELDS, values, strict=True):
            setattr(self, name, value)

    @property
    def day(self):
        """The day it went public (DisclosureItem.published_on), else the day it was made."""
        if self.published_date:
            return self.published_date
        if self.first_published_at:
            return timezone.localdate(self.first_published_at)
        return self.created_date


def _public_items(ids) -> list[ItemRow]:
    rows = (
        items_public()
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list(*(lookup for _name, lookup in ROW_FIELDS))
    )
    return [ItemRow(values) for values in rows]


def search_sync_items(
    *, item_ids, force: bool = False, extract_missing: bool = True, pages: PageContext = None
) -> dict:
    """Index the public items among item_ids, remove the others. Idempotent.

    With extract_missing=False, attachments not read before are indexed by title only and
    their items are returned under "pending" so a background task can read them.
    """
    item_ids = sorted({int(pk) for pk in item_ids})
    if not item_ids:
        return {"indexed": 0, "removed": 0, "unchanged": 0, "pending": []}
    items = _public_items(item_ids)
    sources, pending = item_sources(
        items, pages=pages or PageContext(), extract_missing=extract_missing
    )
    result = write_documents(item_ids=item_ids, docs=build_many(sources), force=force)
    result["pending"] = pending
    return result


@dataclass
class PreparedDoc:
    """An index document made ready to store: its key, content hash and backend row."""

    item_id: int
    rank_key: int
    content_hash: str
    row: tuple


def prepare_documents(docs, backend=None) -> list[PreparedDoc]:
    backend = backend or get_backend()
    return [
        PreparedDoc(
            item_id=doc.item_id,
            rank_key=doc.rank_key,
            content_hash=content_hash(doc),
            row=backend.prepare(doc),
        )
        for doc in docs
    ]


def write_documents(*, item_ids, docs, force: bool = False) -> dict:
    """Store docs; remove entries among item_ids that have no doc (no longer public)."""
    return write_prepared(item_ids=item_ids, prepared=prepare_documents(docs), force=force)


def _insert_entries(prepared, now) -> None:
    """SearchEntry rows for items not in the index yet, in one statement batch (no objects)."""
    sql = (
        "INSERT INTO search_searchentry (item_id, rank_key, content_hash, indexed_at) "
        "VALUES (%s, %s, %s, %s)"
    )
    when = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(p.item_id, p.rank_key, p.content_hash, when) for p in prepared])


def write_prepared(*, item_ids, prepared, force: bool = False, fresh: bool = False) -> dict:
    """Store prepared documents; remove entries among item_ids that have none (not public).

    fresh: the index was emptied and has not reached these items yet (rebuild --clear), so
    they are inserted without comparing or replacing anything; should any of them be there
    after all (published during the rebuild), the batch takes the ordinary path.
    """
    backend = get_backend()
    now = timezone.now()
    with transaction.atomic():
        if fresh and not SearchEntry.objects.filter(item_id__in=item_ids).exists():
            backend.write_rows(rows=[p.row for p in prepared], remove_keys=[], fresh=True)
            if prepared:
                _insert_entries(prepared, now)
            return {"indexed": len(prepared), "removed": 0, "unchanged": 0}
        existing = {
            e.item_id: e
            for e in SearchEntry.objects.select_for_update().filter(item_id__in=item_ids)
        }
        write, remove_keys, entries = [], [], []
        unchanged = 0
        for doc in prepared:
            old = existing.get(doc.item_id)
            if old is not None and not force and old.content_hash == doc.content_hash:
                unchanged += 1
                continue
            if old is not None:
                remove_keys.append(old.rank_key)
            write.append(doc.row)
            entries.append(
                SearchEntry(
                    item_id=doc.item_id,
                    rank_key=doc.rank_key,
                    content_hash=doc.content_hash,
                    indexed_at=now,
                )
            )
        public_ids = {doc.item_id for doc in prepared}
        gone = [e for pk, e in existing.items() if pk not in public_ids]
        remove_keys += [e.rank_key for e in gone]
        backend.write_rows(rows=write, remove_keys=remove_keys)
        if gone:
            SearchEntry.objects.filter(item_id__in=[e.item_id for e in gone]).delete()
        if entries:
            SearchEntry.objects.bulk_create(
                entries,
                update_conflicts=True,
                unique_fields=["item"],
                update_fields=["rank_key", "content_hash", "indexed_at"],
            )
    return {"indexed": len(write), "removed": len(gone), "unchanged": unchanged}


def search_remove_items(*, item_ids) -> int:
    """Take items out of the index at once, whatever their state (withdrawal, deletion)."""
    backend = get_backend()
    with transaction.atomic():
        entries = list(SearchEntry.objects.select_for_update().filter(item_id__in=item_ids))
        if entries:
            backend.write(docs=[], remove_keys=[e.rank_key for e in entries])
            SearchEntry.objects.filter(item_id__in=[e.item_id for e in entries]).delete()
    return len(entries)


def search_item_changed(*, item_id: int) -> None:
    """After commit of a publish, change, unpublish or withdrawal: bring the index in step.

    Withdrawal and unpublishing are handled here and now. Publishing indexes the item at once
    too; attachments not read before are read by a background task, which re-indexes the item.
    """
    result = search_sync_items(item_ids=[item_id], extract_missing=False)
    if result["pending"]:
        from .tasks import search_extract_attachments

        search_extract_attachments.enqueue(item_id=item_id)


def search_sync_pages(*, page_path: str, batch_size: int = 500) -> int:
    """Re-index the items placed in the columns at or below a page (it was moved)."""
    column_ids = list(
        ColumnPage.objects.filter(path__startswith=page_path).values_list("pk", flat=True)
    )
    through = DisclosureItem.columns.through
    item_ids = sorted(
        set(
            through.objects.filter(columnpage_id__in=column_ids).values_list(
                "disclosureitem_id", flat=True
            )
        )
    )
    pages = PageContext()
    for start in range(0, len(item_ids), batch_size):
        search_sync_items(item_ids=item_ids[start : start + batch_size], pages=pages)
    return len(item_ids)


# -- rebuilding -------------------------------------------------------------------------------


# State a rebuild's worker processes inherit when they are forked (fork copies it).
_worker_state: dict = {}
_inherited_connections: list = []


def _worker_init() -> None:
    """In a forked worker: use connections of its own, never the parent's.

    The inherited connection objects are kept, not closed: closing would end the parent's
    session (PostgreSQL) from here.
    """
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        if conn.connection is not None:
            _inherited_connections.append(conn.connection)
            conn.connection = None


def _finish(sources, kind):
    docs = build_many(sources)
    if kind == "docs":
        return docs
    if kind == "prepared":
        return prepare_documents(docs, _worker_state["backend"])
    return [kind(doc) for doc in docs]


def _build_part(sources, kind):
    return _finish(sources, kind)


def _read_and_build(ids, kind):
    """In a worker: read the batch from the database, segment it and prepare its rows."""
    sources, pending = item_sources(
        _public_items(ids), pages=_worker_state["pages"], extract_missing=False
    )
    return ids, _finish(sources, kind), pending


def _workers_can_read() -> bool:
    """Whether worker processes see what this process sees (not inside a transaction, not an
    in-memory test database); otherwise this process reads and the workers only segment."""
    if connection.in_atomic_block:
        return False
    in_memory = getattr(connection, "is_in_memory_db", None)
    return not (in_memory and in_memory())


def iter_built(*, after: int = 0, batch_size: int = 500, workers: int = 1, pages=None, kind):
    """(ids, built, pending) for every public item with id > after, batch by batch in id order.

    kind: "docs" (IndexDocument), "prepared" (PreparedDoc for the backend in use) or a
    function applied to each IndexDocument in the worker. pending: items whose attachments
    were not read before (indexed by title only; the caller re-indexes them).

    With workers > 1, forked worker processes read their batches from the database, segment
    and prepare them, several batches ahead of the caller, so that this process only writes.
    Where workers cannot see this process's data (inside a transaction), this process reads
    and the workers segment.
    """
    from collections import deque

    pages = pages or PageContext()
    queryset = items_public().order_by("pk")
    _worker_state.update(pages=pages, backend=get_backend())
    pool = None
    read_in_workers = False
    if workers > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        from django.db import connections

        segment.jieba()  # load the dictionary once; forked workers inherit it
        read_in_workers = _workers_can_read()
        if read_in_workers:
            connections.close_all()  # reopened on next use; the workers open their own
        pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_worker_init if read_in_workers else None,
        )
    queue: deque = deque()
    last = after
    exhausted = False
    ahead = workers + 1 if read_in_workers else 2
    try:
        while True:
            while not exhausted and len(queue) < ahead:
                ids = list(queryset.filter(pk__gt=last).values_list("pk", flat=True)[:batch_size])
                if not ids:
                    exhausted = True
                    break
                last = ids[-1]
                if read_in_workers:
                    queue.append(pool.submit(_read_and_build, ids, kind))
                    continue
                sources, pending = item_sources(_public_items(ids), pages=pages)
                if pool is None:
                    queue.append((ids, [_finish(sources, kind)], pending))
                    break
                step = max(1, -(-len(sources) // workers))
                parts = [
                    pool.submit(_build_part, sources[i : i + step], kind)
                    for i in range(0, len(sources), step)
                ]
                queue.append((ids, parts, pending))
            if not queue:
                break
            head = queue.popleft()
            if read_in_workers:
                yield head.result()
                continue
            ids, parts, pending = head
            built = []
            for part in parts:
                built.extend(part if pool is None else part.result())
            yield ids, built, pending
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def iter_batches(*, after: int = 0, batch_size: int = 500, workers: int = 1, pages=None):
    """(ids, IndexDocuments) for every public item with id > after, in id order."""
    for ids, docs, _pending in iter_built(
        after=after, batch_size=batch_size, workers=workers, pages=pages, kind="docs"
    ):
        yield ids, docs


def search_rebuild(
    *,
    batch_size: int = 500,
    clear: bool = False,
    resume: bool = False,
    progress=None,
    workers: int = 1,
) -> IndexRun:
    """Index every public item in batches of batch_size, committing after each batch.

    clear: empty the index first (fastest; search is incomplete until the run ends).
    Without it the index is refreshed in place and stays searchable throughout; entries not
    refreshed by the end (items no longer public) are removed. resume: carry on from the last
    committed batch of an interrupted run. workers: processes for segmentation.
    """
    backend = get_backend()
    run = None
    if resume:
        run = IndexRun.objects.filter(finished_at__isnull=True).order_by("-started_at").first()
    if run is None:
        run = IndexRun.objects.create(started_at=timezone.now(), cleared=clear)
        if clear:
            with transaction.atomic():
                backend.clear()
                SearchEntry.objects.all().delete()
            backend.bulk_begin()
    pages = PageContext()
    total = items_public().filter(pk__gt=run.last_item_id).count()
    if progress is not None:
        progress.reset(total=total)
    batches = iter_built(
        after=run.last_item_id,
        batch_size=batch_size,
        workers=workers,
        pages=pages,
        kind="prepared",
    )
    for ids, prepared, pending in batches:
        with transaction.atomic():
            result = write_prepared(item_ids=ids, prepared=prepared, force=True, fresh=run.cleared)
            run.last_item_id = ids[-1]
            run.indexed += result["indexed"]
            run.save(update_fields=["last_item_id", "indexed"])
        if pending:
            # Attachments read for the first time, here (the workers do not write).
            search_sync_items(item_ids=pending, force=True, pages=pages)
        if progress is not None:
            progress.update(len(ids))
    # Entries not touched by this run belong to items that are no longer public.
    stale_ids = list(
        SearchEntry.objects.filter(indexed_at__lt=run.started_at).values_list("item_id", flat=True)
    )
    for start in range(0, len(stale_ids), batch_size):
        search_sync_items(item_ids=stale_ids[start : start + batch_size], pages=pages)
    backend.bulk_end(cleared=run.cleared)
    run.finished_at = timezone.now()
    run.save(update_fields=["finished_at"])
    return run


def search_index_status() -> dict:
    backend = get_backend()
    return {
        "backend": connection.vendor,
        "entries": SearchEntry.objects.count(),
        "rows": backend.row_count(),
        "public_items": items_public().count(),
        "last_indexed": SearchEntry.objects.aggregate(Max("indexed_at"))["indexed_at__max"],
        "size_bytes": backend.size_bytes(),
    }
