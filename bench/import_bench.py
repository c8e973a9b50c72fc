"""Catalogue import speed (issue 3): generate N realistic rows, import them into a fresh database.

    .venv/bin/python bench/import_bench.py [--rows 20000] [--pg postgres://postgres@127.0.0.1:5432/postgres]

Writes the CSV once, then for SQLite (a fresh file) and PostgreSQL (a fresh database, if the
server answers) runs `migrate` and imports the file in a child process, the way an operator
runs `manage.py import_items`. Prints a table of items per second: the whole import (reading,
checking every row, writing), and the checking and writing phases on their own.
Not part of the test suite.
"""

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TOPICS = [
    "安全生产",
    "环境保护",
    "城乡规划",
    "社会救助",
    "劳动就业",
    "义务教育",
    "医疗卫生",
    "食品药品",
    "消防安全",
    "农田水利",
    "农村土地承包",
    "村(社区)财务",
    "文化体育",
    "沉香文化",
    "招商引资",
    "企业服务",
    "社会治安",
    "交通运输",
    "市容环境",
    "统计调查",
    "财政预决算",
    "优抚安置",
    "残疾人保障",
]
DEPTS = [
    "党政人大办",
    "经济发展局",
    "财政分局",
    "规划管理所",
    "社会事务局",
    "宣传教育文体局",
    "安监分局",
]
VILLAGES = ["寮步社区", "西溪村", "横坑村", "石龙坑村", "上屯村", "下岭贝村", "凫山村", "竹园村"]
CATEGORIES = [
    "规范性文件",
    "规划计划",
    "业务工作",
    "统计数据",
    "机构职能",
    "政府文件",
    "村(居)委会",
    "政府采购",
    "财政预决算",
    "其他",
]
SUBJECTS = [
    "综合政务",
    "财政、金融、审计",
    "城乡建设、环境保护",
    "民政、扶贫、救灾",
    "劳动、人事、监察",
    "卫生、体育",
    "科技、教育",
]
GENRES = ["通知", "公告", "通告", "决定", "意见", "办法", "方案", "报告", "纪要", "动态"]
TITLES = [
    "寮步镇人民政府关于印发《寮步镇{topic}管理办法》的通知",
    "寮步镇人民政府关于进一步加强{topic}工作的意见",
    "寮步镇{year}年{topic}工作计划",
    "寮步镇{dept}{month}月份{topic}工作情况",
    "{village}{year}年{month}月村(居)务公开",
    "寮步镇{topic}专项检查情况通报",
    "寮步镇{year}年{month}月主要经济指标",
    "关于{village}{topic}项目的公示",
]
SENTENCES = [
    "为进一步做好{topic}工作，根据上级有关文件精神，结合我镇实际，现将有关事项通知如下。",
    "各村（社区）、各单位要高度重视，明确责任分工，确保各项工作落到实处。",
    "{dept}牵头负责组织实施，相关部门按照职责分工做好配合。",
    "工作中遇到的问题请及时向镇{dept}反映，联系电话：0769-83311234。",
    "本镇将加强督促检查，对工作落实不力的单位予以通报。",
    "请各单位于每月5日前将工作情况报送镇{dept}。",
]
HEADER = [
    "索引号",
    "名称",
    "内容概述",
    "发布机构",
    "生成日期",
    "发布日期",
    "文号",
    "主题分类",
    "体裁分类",
    "信息类别",
    "关键词",
    "有效性",
    "废止日期",
    "公开方式",
    "不予公开理由",
    "正文",
    "附件",
]


def generate(path: Path, rows: int, seed: int = 3) -> None:
    rng = random.Random(seed)
    start = date(2012, 1, 4)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(rows):
            created = start + timedelta(days=rng.randrange(0, 4700))
            published = created + timedelta(days=rng.randrange(0, 25))
            topic, dept = rng.choice(TOPICS), rng.choice(DEPTS)
            title = rng.choice(TITLES).format(
                topic=topic,
                dept=dept,
                village=rng.choice(VILLAGES),
                year=created.year,
                month=created.month,
            )
            body = "".join(
                f"<p>{s.format(topic=topic, dept=dept)}</p>" for s in rng.sample(SENTENCES, 4)
            )
            repealed = rng.random() < 0.05
            # A few rows bring the old site's index numbers, in the formats seen on gov sites.
            index_number = f"0142768-8/{created.year}-{n:05d}" if rng.random() < 0.1 else ""
            writer.writerow(
                [
                    index_number,
                    title,
                    f"{title}。{SENTENCES[0].format(topic=topic, dept=dept)}"[:280],
                    "寮步镇人民政府",
                    created.isoformat(),
                    published.isoformat(),
                    f"寮府〔{created.year}〕{n % 300 + 1}号" if rng.random() < 0.4 else "",
                    rng.choice(SUBJECTS),
                    rng.choice(GENRES),
                    rng.choice(CATEGORIES),
                    f"{topic} {dept}",
                    "已废止" if repealed else "现行有效",
                    (published + timedelta(days=400)).isoformat() if repealed else "",
                    "主动公开",
                    "",
                    body,
                    "",
                ]
            )


WORKER = r"""
import json, sys, time
from pathlib import Path
import django
django.setup()
from django.core.management import call_command
from gongkai.catalogue import importing
from gongkai.orgs.creditcode import make_credit_code
from gongkai.orgs.models import Organisation
from gongkai.orgs.services import organisation_create

call_command("migrate", verbosity=0)
org = organisation_create(
    name="寮步镇人民政府", code="liaobu", kind=Organisation.Kind.GOVERNMENT,
    credit_code=make_credit_code("11441900007330001"),
)
path = sys.argv[1]
cpu = time.process_time()
started = time.perf_counter()
rows = importing.read_rows(Path(path))
parsed, _ignored = importing.check_rows(rows)
checked = time.perf_counter()
ids = importing.import_rows(parsed, organisation=org, source_name=path)
done = time.perf_counter()
print(json.dumps({
    "count": len(ids),
    "total": done - started,
    "check": checked - started,
    "write": done - checked,
    "cpu": time.process_time() - cpu,
}))
"""


def run(label: str, database_url: str, csv_path: Path, settings: str) -> dict | None:
    env = dict(os.environ, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE=settings)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    proc = subprocess.run(
        [sys.executable, "-c", WORKER, str(csv_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        print(f"{label}: failed\n{proc.stderr[-3000:]}", file=sys.stderr)
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def fresh_postgres(url: str, name: str, *, create: bool = True) -> str | None:
    try:
        import psycopg
    except ImportError:
        return None
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            if create:
                conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        print(f"PostgreSQL not reachable ({exc.__class__.__name__}); skipped", file=sys.stderr)
        return None
    return url.rsplit("/", 1)[0] + "/" + name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--settings", default="gongkai.settings.base")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="gongkai-import-bench-") as tmp:
        tmp = Path(tmp)
        csv_path = tmp / "catalogue.csv"
        started = time.perf_counter()
        generate(csv_path, args.rows)
        print(
            f"generated {args.rows} rows ({csv_path.stat().st_size / 1e6:.1f} MB) "
            f"in {time.perf_counter() - started:.1f} s"
        )
        targets = [("SQLite (WAL, file)", f"sqlite:///{tmp / 'bench.sqlite3'}")]
        pg = fresh_postgres(args.pg, "gongkai_import_bench") if args.pg else None
        if pg:
            targets.append(("PostgreSQL", pg))
        print(
            f"\n{'database':<20} {'rows':>7} {'total s':>8} {'items/s':>8} {'check/s':>8} "
            f"{'write/s':>8} {'CPU s':>7}"
        )
        for label, url in targets:
            result = run(label, url, csv_path, args.settings)
            if result is None:
                continue
            n = result["count"]
            print(
                f"{label:<20} {n:>7} {result['total']:>8.2f} {n / result['total']:>8.0f} "
                f"{n / result['check']:>8.0f} {n / result['write']:>8.0f} {result['cpu']:>7.2f}"
            )
        print(
            f"\nload average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (busy machine: slower)"
        )
        if pg:
            fresh_postgres(args.pg, "gongkai_import_bench", create=False)


if __name__ == "__main__":
    main()
