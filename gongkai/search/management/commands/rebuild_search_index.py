"""manage.py rebuild_search_index: (re)build the full-text index from the published items."""

import os

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from tqdm import tqdm

from gongkai.search.services import search_index_status, search_rebuild


class Command(BaseCommand):
    help = "重建全文检索索引（按批提交，可用 --resume 从中断处继续）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=500, help="每批索引的条数（默认 500）"
        )
        parser.add_argument(
            "--clear",
            action="store_true",
            help="先清空索引再重建（最快，但重建期间检索结果不全）",
        )
        parser.add_argument("--resume", action="store_true", help="从上次中断的重建处继续")
        parser.add_argument(
            "--workers",
            type=int,
            default=min(4, os.cpu_count() or 1),
            help="分词进程数（默认为 CPU 核数，最多 4）",
        )
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args, batch_size, clear, resume, workers, no_progress, **options):
        if batch_size < 1:
            self.stderr.write(_("--batch-size 须为正整数"))
            return
        bar = tqdm(
            total=0,
            unit="条",
            desc="索引",
            disable=no_progress,
            file=self.stderr,
            dynamic_ncols=True,
        )
        try:
            run = search_rebuild(
                batch_size=batch_size,
                clear=clear,
                resume=resume,
                progress=bar,
                workers=max(1, workers),
            )
        finally:
            bar.close()
        status = search_index_status()
        self.stdout.write(
            _(
                "完成：本次索引 %(indexed)d 条；索引中共 %(entries)d 条，公开信息 %(public)d 条（%(backend)s）。"
            )
            % {
                "indexed": run.indexed,
                "entries": status["entries"],
                "public": status["public_items"],
                "backend": status["backend"],
            }
        )
