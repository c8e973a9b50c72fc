"""Load the Liaobu demo: the town, its people, sites, channels and the 2012 records.

Run by `make run` on an empty database. Refuses to run twice.
"""

import importlib
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from gongkai.orgs import demo
from gongkai.orgs.models import Organisation


class Command(BaseCommand):
    help = "载入寮步镇演示数据（只能运行一次）。Load the Liaobu demo (runs once)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="数据库已有演示数据时静默跳过（供 make run 使用）。",
        )
        parser.add_argument(
            "--logins",
            default=str(Path(settings.VAR_DIR) / "demo-logins.txt"),
            help="演示账号密码写入的文件。",
        )

    def handle(self, *args, **options):
        if Organisation.objects.filter(code=demo.TOWN["code"]).exists():
            if options["if_empty"]:
                self.stdout.write("演示数据已存在，跳过载入。")
                return
            raise CommandError("演示数据已经载入过，不能重复载入。(The demo is already loaded.)")
        started = time.monotonic()
        logins = self.load()
        self.write_logins(Path(options["logins"]), logins)
        self.stdout.write(
            self.style.SUCCESS(
                f"寮步镇演示数据载入完成，用时 {time.monotonic() - started:.1f} 秒；"
                f"演示账号见 {options['logins']}"
            )
        )

    def step(self, label, func, **kwargs):
        started = time.monotonic()
        result = func(**kwargs)
        self.stdout.write(f"  {label} ({time.monotonic() - started:.1f} s)")
        return result

    def app_demo(self, app_label: str, module: str):
        if not apps.is_installed(f"gongkai.{app_label}"):
            return None
        return importlib.import_module(f"gongkai.{app_label}.{module}").load_demo

    @transaction.atomic
    def load(self):
        orgs = self.step("组织", demo.load_organisations)
        users, logins = self.step("人员与角色", demo.load_users, orgs=orgs)
        self.step("领导小组名单", demo.load_rosters, orgs=orgs)
        common = {"orgs": orgs, "users": users, "stdout": self.stdout}
        for app_label, label in (("workdays", "工作日历"), ("review", "保密审查词库")):
            loader = self.app_demo(app_label, "demo")
            if loader:
                self.step(label, loader, **common)
        sites = None
        loader = self.app_demo("catalogue", "demo")
        if loader:
            sites = self.step("网站与栏目", loader, **common)
        items_by_category = {}
        if sites:
            from gongkai.catalogue.demo_placements import load_items

            items_by_category = self.step(
                "2012年及本年度政府信息",
                load_items,
                orgs=orgs,
                users=users,
                sites=sites,
                today=timezone.localdate(),
            )
        loader = self.app_demo("channels", "demo")
        if loader:
            self.step(
                "发布渠道与2012年渠道记录", loader, items_by_category=items_by_category, **common
            )
        for app_label, label in (
            ("applications", "依申请公开案件"),
            ("reports", "年度报告工作记录"),
        ):
            loader = self.app_demo(app_label, "demo")
            if loader:
                self.step(label, loader, **common)
        return logins

    def write_logins(self, path: Path, logins):
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = ["# 寮步镇演示账号 (demo logins) — 管理后台 /admin/", ""]
        lines += [f"{username}\t{password}\t{note}" for username, password, note in logins]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        path.chmod(0o600)
