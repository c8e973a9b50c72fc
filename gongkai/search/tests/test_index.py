"""The index follows the catalogue: publish adds, change updates, withdrawal removes at once."""

import io
from datetime import date

from django.core.management import call_command
from django.utils import timezone

from gongkai.catalogue.models import DisclosureItem
from gongkai.catalogue.services import item_withdraw
from gongkai.search.backends import get_backend
from gongkai.search.models import AttachmentText, IndexRun, SearchEntry
from gongkai.search.services import search_rebuild, search_sync_items


def test_it_adds_an_item_when_it_is_published(search, town, category, commit, go_live):
    from gongkai.catalogue.services import item_create

    with commit():
        draft = item_create(
            organisation=town,
            title="寮步镇春季植树活动方案",
            created_date=date(2024, 3, 1),
            category=category,
        )
    assert search("植树") == []  # drafts are never in the index
    assert not SearchEntry.objects.filter(item=draft).exists()
    go_live(draft)
    assert search("植树") == [draft.pk]
    assert SearchEntry.objects.filter(item=draft).exists()


def test_it_removes_a_withdrawn_item_at_once(publish, search, alice, commit):
    item = publish("寮步镇春季植树活动方案")
    rows = get_backend().row_count()
    with commit():
        item_withdraw(actor=alice, item=item, reason="内容有误")
    assert search("植树") == []
    assert not SearchEntry.objects.filter(item=item).exists()
    assert get_backend().row_count() == rows - 1


def test_it_removes_an_unpublished_item(publish, search, commit):
    item = publish("寮步镇春季植树活动方案")
    with commit():
        item.unpublish()
    assert search("植树") == []


def test_it_follows_a_change_to_a_live_item(publish, search, go_live):
    item = publish("寮步镇春季植树活动方案")
    item.title = "寮步镇秋季义务献血活动方案"
    item.save_revision()
    go_live(item)
    assert search("植树") == []
    assert search("献血") == [item.pk]


def test_it_moves_an_item_in_the_index_when_its_date_changes(publish, search, commit):
    item = publish("寮步镇春季植树活动方案", published=date(2020, 3, 2))
    old_key = SearchEntry.objects.get(item=item).rank_key
    DisclosureItem.objects.filter(pk=item.pk).update(published_date=date(2021, 3, 2))
    search_sync_items(item_ids=[item.pk])
    new_key = SearchEntry.objects.get(item=item).rank_key
    assert new_key > old_key
    assert search("植树", year=2021) == [item.pk]
    assert search("植树", year=2020) == []
    assert get_backend().row_count() == 1


def test_it_shrugs_off_a_change_delivered_twice(publish, search):
    item = publish("寮步镇春季植树活动方案")
    first = search_sync_items(item_ids=[item.pk])
    again = search_sync_items(item_ids=[item.pk])
    assert first["unchanged"] == again["unchanged"] == 1
    assert get_backend().row_count() == 1
    assert search("植树") == [item.pk]


def test_it_rebuilds_the_index_with_the_command(publish, search):
    kept = publish("寮步镇春季植树活动方案")
    withdrawn = publish("寮步镇秋季植树活动方案")
    # Behind the index's back: an item published in bulk (no signals), one withdrawn.
    bulk = publish("寮步镇冬季植树活动方案")
    SearchEntry.objects.filter(item=bulk).delete()
    get_backend().clear()
    DisclosureItem.objects.filter(pk=withdrawn.pk).update(withdrawn_at=timezone.now())
    SearchEntry.objects.filter(item=kept).update(indexed_at=timezone.now())
    out, err = io.StringIO(), io.StringIO()
    call_command("rebuild_search_index", "--batch-size", "1", stdout=out, stderr=err)
    assert set(search("植树")) == {kept.pk, bulk.pk}
    assert set(SearchEntry.objects.values_list("item_id", flat=True)) == {kept.pk, bulk.pk}
    assert get_backend().row_count() == 2
    assert "完成" in out.getvalue()
    assert "2/2" in err.getvalue()  # the tqdm progress bar
    run = IndexRun.objects.get()
    assert run.finished_at is not None and run.indexed == 2


def test_it_rebuilds_from_empty_with_clear(publish, search):
    items = [publish(f"第{i}期植树简报") for i in range(3)]
    call_command("rebuild_search_index", "--clear", "--no-progress", stdout=io.StringIO())
    assert set(search("植树")) == {i.pk for i in items}
    assert get_backend().row_count() == 3


def test_a_cleared_rebuild_tolerates_an_item_published_while_it_runs(publish, search):
    from gongkai.search import services

    items = [publish(f"第{i}期植树简报") for i in range(3)]
    # A --clear run that was interrupted after emptying the index (clear, then one batch).
    get_backend().clear()
    SearchEntry.objects.all().delete()
    IndexRun.objects.create(started_at=timezone.now(), cleared=True, last_item_id=0)
    # Meanwhile an editor published the newest item, which the index took at once.
    search_sync_items(item_ids=[items[2].pk])
    run = search_rebuild(batch_size=2, resume=True, workers=2)
    assert run.indexed == 3 and run.finished_at is not None
    assert sorted(search("植树")) == sorted(i.pk for i in items)
    assert get_backend().row_count() == 3
    assert SearchEntry.objects.count() == 3
    # What the workers prepare is what the one-by-one path stores.
    rows = services._public_items([items[0].pk])
    assert rows[0].title == "第0期植树简报" and rows[0].day == items[0].published_on


def test_it_resumes_an_interrupted_rebuild(publish, search):
    items = [publish(f"第{i}期植树简报") for i in range(4)]
    get_backend().clear()
    SearchEntry.objects.all().delete()
    # A run that committed its first two batches and then died.
    search_sync_items(item_ids=[items[0].pk, items[1].pk])
    interrupted = IndexRun.objects.create(
        started_at=timezone.now(), last_item_id=items[1].pk, indexed=2
    )
    run = search_rebuild(batch_size=1, resume=True)
    assert run.pk == interrupted.pk
    assert run.indexed == 4 and run.finished_at is not None
    assert set(search("植树")) == {i.pk for i in items}


def test_it_reads_pdf_docx_and_xlsx_attachments(publish, make_attachment, search):
    import docx
    import openpyxl
    from pypdf import PdfWriter

    document = docx.Document()
    document.add_paragraph("防汛物资储备清单")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "冲锋舟"
    docx_bytes = io.BytesIO()
    document.save(docx_bytes)

    workbook = openpyxl.Workbook()
    workbook.active.append(["救生衣", 120])
    xlsx_bytes = io.BytesIO()
    workbook.save(xlsx_bytes)

    item = publish(
        "防汛准备情况",
        attachments=[
            make_attachment("a.docx", docx_bytes.getvalue()),
            make_attachment("b.xlsx", xlsx_bytes.getvalue()),
            make_attachment("c.pdf", _pdf_with_text("Sandbags 3000 bags")),
        ],
    )
    assert search("冲锋舟") == [item.pk]
    assert search("救生衣") == [item.pk]
    assert search("sandbags") == [item.pk]
    statuses = set(AttachmentText.objects.values_list("status", flat=True))
    assert statuses == {"ok"}
    del PdfWriter


def test_it_skips_encrypted_pdfs_and_zip_bombs_without_losing_the_item(
    publish, make_attachment, search, caplog
):
    import zipfile

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf_with_text("Secret plan"))))
    writer.encrypt(user_password="open-sesame", owner_password="owner")
    encrypted = io.BytesIO()
    writer.write(encrypted)

    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (20 * 1024 * 1024))

    item = publish(
        "应急预案",
        attachments=[
            make_attachment("secret.pdf", encrypted.getvalue(), title="加密件"),
            make_attachment("bomb.docx", bomb.getvalue(), title="大文件"),
        ],
    )
    assert search("应急预案") == [item.pk]
    assert search("plan") == []
    assert set(AttachmentText.objects.values_list("status", flat=True)) == {"skipped"}
    assert "secret" in caplog.text and ("加密" in caplog.text or "encrypt" in caplog.text.lower())
    assert "bomb" in caplog.text


def test_it_does_not_read_an_attachment_again_when_reindexing(publish, make_attachment, search):
    import docx

    document = docx.Document()
    document.add_paragraph("冲锋舟")
    buffer = io.BytesIO()
    document.save(buffer)
    item = publish("防汛", attachments=[make_attachment("a.docx", buffer.getvalue())])
    AttachmentText.objects.update(text="橡皮艇")  # the cached text is what gets indexed
    search_sync_items(item_ids=[item.pk], force=True)
    assert search("橡皮艇") == [item.pk]


def test_it_has_its_own_readers_with_the_same_checks():
    import zipfile

    import docx
    from pypdf import PdfReader, PdfWriter

    from gongkai.search import extract

    document = docx.Document()
    document.add_paragraph("冲锋舟")
    buffer = io.BytesIO()
    document.save(buffer)
    assert extract.extract_own(buffer.getvalue(), name="a.docx").text == "冲锋舟"
    assert extract.extract_own(_pdf_with_text("Sandbags"), name="a.pdf").text == "Sandbags"

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf_with_text("Secret"))))
    writer.encrypt(user_password="open-sesame")
    encrypted = io.BytesIO()
    writer.write(encrypted)
    assert extract.extract_own(encrypted.getvalue(), name="s.pdf").status == "skipped"

    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (20 * 1024 * 1024))
    result = extract.extract_own(bomb.getvalue(), name="b.docx")
    assert result.status == "skipped" and "zip bomb" in result.note
    assert extract.extract_own(b"\x00garbage", name="x.bin").status == "skipped"


def _pdf_with_text(content: str) -> bytes:
    """A one-page PDF with an ASCII text layer (Helvetica; no font file needed)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({content}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()
