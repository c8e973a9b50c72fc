"""What the index knows about each item, and text taken out of attachments.

The index itself lives in tables the ORM does not model, created by migration 0001 for the
database in use: FTS5 virtual tables on SQLite, a table of tsvectors with GIN indexes on
PostgreSQL (see backends/). Both are keyed by `rank_key`, the item's publication day and id
packed in one integer, so "newest matches first" is the index's own order.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.catalogue.models import DisclosureItem, ItemAttachment


class SearchEntry(models.Model):
    """An item that is in the index, with the key it is stored under."""

    item = models.OneToOneField(
        DisclosureItem,
        verbose_name=_("政府信息"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="search_entry",
        db_constraint=False,
    )
    rank_key = models.BigIntegerField(_("排序键"), unique=True)
    content_hash = models.CharField(_("内容摘要"), max_length=40)
    indexed_at = models.DateTimeField(_("索引时间"), db_index=True)

    class Meta:
        verbose_name = _("检索索引条目")
        verbose_name_plural = _("检索索引条目")

    def __str__(self):
        return f"{self.item_id}@{self.rank_key}"


class AttachmentText(models.Model):
    """Text extracted from an attachment, kept so that re-indexing does not read files again."""

    class Status(models.TextChoices):
        OK = "ok", _("已提取")
        EMPTY = "empty", _("无文字")
        SKIPPED = "skipped", _("已跳过")
        FAILED = "failed", _("提取失败")

    attachment = models.OneToOneField(
        ItemAttachment,
        verbose_name=_("附件"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="search_text",
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices)
    text = models.TextField(_("文字"), blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    extracted_at = models.DateTimeField(_("提取时间"), auto_now=True)

    class Meta:
        verbose_name = _("附件文字")
        verbose_name_plural = _("附件文字")

    def __str__(self):
        return f"{self.attachment_id}: {self.status}"


class IndexRun(models.Model):
    """One run of `rebuild_search_index`, so an interrupted run can resume where it stopped."""

    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    last_item_id = models.BigIntegerField(_("已处理到"), default=0)
    indexed = models.PositiveIntegerField(_("已索引"), default=0)
    cleared = models.BooleanField(_("先清空"), default=False)

    class Meta:
        verbose_name = _("索引重建")
        verbose_name_plural = _("索引重建")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M} → {self.last_item_id}"
