import os
import sqlite3
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from gongkai.workdays.models import WorkdayCalendarYear

pytestmark = pytest.mark.django_db

MANAGE = Path(settings.BASE_DIR) / "manage.py"


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_it_prints_the_due_date_first_and_then_the_steps():
    lines = run("deadline", "--received", "2026-09-18").splitlines()
    assert lines[0] == "2026-10-22"
    assert lines[1].startswith("1. 申请收到日为2026-09-18（星期五）")
    assert any("国庆节 2026-10-01至2026-10-07" in line for line in lines)
    assert lines[-1].endswith("答复期限：2026-10-22（星期四）。")


def test_it_takes_rules_extension_correction_and_pauses():
    out = run(
        "deadline",
        "--received",
        "2019-05-01",
        "--rules",
        "2008",
        "--extended",
        "--corrected",
        "2019-05-14",
        "--pause",
        "2019-05-20:2019-05-24",
    )
    first = out.splitlines()[0]
    # 30 working days after 2019-05-14, plus the 4 paused (05-21..05-24)
    assert first == "2019-07-02"
    assert "2008年条例第二十四条" in out
    assert "其间4个工作日不计入" in out


def test_it_says_the_due_date_is_open_during_a_pause():
    out = run("deadline", "--received", "2026-09-18", "--pause", "2026-09-22:")
    assert out.splitlines()[0] == "未定（中止尚未结束）"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--received", "2099-01-05"], "2099年的节假日安排尚未录入"),
        (["--received", "2026-09-31"], "--received 的日期“2026-09-31”格式不正确"),
        (["--received", "2026-09-18", "--pause", "x:2026-09-20"], "--pause 的日期“x”"),
        (["--received", "2026-09-18", "--rules", "2020"], "--rules 只能是 2019 或 2008"),
    ],
    ids=["missing-year", "bad-date", "bad-pause", "bad-rules"],
)
def test_it_refuses_with_a_chinese_message(args, message):
    with pytest.raises(CommandError) as exc:
        run("deadline", *args)
    assert message in str(exc.value)


def test_it_loads_a_schedule_file(tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text("date,kind,name\n2027-01-01,holiday,元旦\n2027-02-06,makeup_workday,春节\n")
    out = run("load_workday_schedule", str(path), "--notice-number", "测试〔2026〕1号")
    assert "已导入2027年节假日安排：放假1天，调休上班1天（已生效）。" in out
    assert WorkdayCalendarYear.objects.get().notice_number == "测试〔2026〕1号"
    assert run("deadline", "--received", "2026-12-31").splitlines()[0] == "2027-01-29"


def test_it_lists_every_bad_line_and_loads_nothing(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("2027-01-01,holiday,元旦\n2027-01-32,holiday,元旦\n2027-01-04,班,元旦\n")
    with pytest.raises(CommandError) as exc:
        run("load_workday_schedule", str(path))
    message = str(exc.value)
    assert "有2处错误，未导入任何内容" in message
    assert "第2行" in message and "第3行" in message
    assert WorkdayCalendarYear.objects.count() == 0


def test_it_checks_without_writing_on_a_dry_run(tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text("2027-01-01,holiday,元旦\n")
    assert "检查通过（未写入）" in run("load_workday_schedule", str(path), "--dry-run")
    assert WorkdayCalendarYear.objects.count() == 0


@pytest.fixture
def database_url(tmp_path):
    """A DATABASE_URL a child process can open, holding this test run's schema."""
    if connection.vendor == "sqlite":
        # The test database lives in this process's memory: give the child a file with this
        # app's tables (the calendar reads nothing else, and none of this test's rows).
        target = tmp_path / "copy.sqlite3"
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND tbl_name LIKE 'workdays_%'"
                " ORDER BY type = 'table' DESC"
            )
            statements = [row[0] for row in cursor.fetchall()]
        with sqlite3.connect(target) as dest:
            for statement in statements:
                dest.execute(statement)
        return f"sqlite:///{target}"
    params = connection.settings_dict
    user = params.get("USER") or ""
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{params['NAME']}"


def _manage(database_url, *args):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": os.environ.get(
            "DJANGO_SETTINGS_MODULE", settings.SETTINGS_MODULE
        ),
    }
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, str(MANAGE), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=MANAGE.parent,
        timeout=120,
    )


def test_it_exits_zero_and_prints_the_date_on_the_command_line(database_url):
    done = _manage(database_url, "deadline", "--received", "2026-09-18")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "2026-10-22"


@pytest.mark.parametrize(
    "received, message",
    [
        (
            "2099-01-05",
            "2099年的节假日安排尚未录入，无法计算工作日。请公开办管理员在后台“工作日历”中录入。",
        ),
        ("2026-9-31", "--received 的日期“2026-9-31”格式不正确，应为 YYYY-MM-DD，例如 2026-09-18。"),
    ],
    ids=["missing-year", "bad-date"],
)
def test_it_exits_non_zero_with_one_chinese_line(database_url, received, message):
    done = _manage(database_url, "deadline", "--received", received)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.strip() == message
    assert "Traceback" not in done.stderr


def test_it_records_who_loaded_a_file_and_refuses_a_user_without_the_right(tmp_path, alice, dave):
    path = tmp_path / "2027.csv"
    path.write_text("2027-01-01,holiday,元旦\n")
    with pytest.raises(CommandError, match="只有上级公开办管理员可以修改工作日历"):
        run("load_workday_schedule", str(path), "--user", "dave")
    assert WorkdayCalendarYear.objects.count() == 0
    run("load_workday_schedule", str(path), "--user", "alice")
    assert WorkdayCalendarYear.objects.get().entered_by == alice
