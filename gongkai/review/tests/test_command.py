"""`manage.py scan` and `manage.py sensitive_words`: output and exit status."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from gongkai.review.management.commands.scan import Command as ScanCommand
from gongkai.review.services import allowed_phrase_add, word_list_import

from .helpers import ID_A

MANAGE = Path(settings.BASE_DIR) / "manage.py"


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "通知.txt").write_text("寮步镇召开安全生产工作会议。\n", encoding="utf-8")
    (tmp_path / "sub" / "名单.html").write_text(
        f"<p>申请人身份证 {ID_A}</p><p>秘密★1年</p>", encoding="utf-8"
    )
    (tmp_path / "sub" / "坏.pdf").write_bytes(b"%PDF-1.4 broken")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    return tmp_path


def test_it_exits_0_and_says_so_when_clean(tmp_path):
    (tmp_path / "a.txt").write_text("寮步镇召开安全生产工作会议。", encoding="utf-8")
    code, out, _err = run("scan", str(tmp_path / "a.txt"))
    assert code == 0
    assert "未发现问题" in out and "共 0 处" in out


def test_it_scans_folders_recursively_and_exits_1_on_findings(folder):
    code, out, _err = run("scan", str(folder))
    assert code == 1
    assert "身份证号码·高" in out and ID_A[:6] + "********" + ID_A[-4:] in out
    assert ID_A not in out
    assert "密级标志" in out and "秘密★1年" in out
    assert "坏.pdf" in out and "PDF 文件已损坏" in out  # unreadable: reported, not skipped
    assert "扫描 3 个文件" in out and "跳过隐藏文件和临时文件 1 个" in out


def test_it_writes_json(folder):
    code, out, _err = run("scan", str(folder), "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["summary"]["files"] == 3
    assert data["summary"]["counts"] == {"id_number": 1, "classification": 1, "unreadable": 1}
    by_name = {Path(f["path"]).name: f for f in data["files"]}
    assert by_name["通知.txt"]["findings"] == []
    (finding,) = [f for f in by_name["名单.html"]["findings"] if f["kind"] == "id_number"]
    assert finding["line"] == 1 and finding["kind_label"] == "身份证号码"
    assert ID_A not in out


def test_it_uses_a_word_list_file(tmp_path):
    (tmp_path / "words.txt").write_text("# 演示\n安全生产\t测试\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("寮步镇召开安全生产工作会议。", encoding="utf-8")
    code, out, _err = run("scan", str(tmp_path / "a.txt"), "--words", str(tmp_path / "words.txt"))
    assert code == 1 and "敏感词·高·测试" in out


def test_it_uses_an_organisations_word_list_and_allow_list(tmp_path, town, bob):
    word_list_import(actor=None, organisation=town, text="标底\n评标专家名单\n")
    allowed_phrase_add(actor=bob, organisation=town, phrase="标底价公示", reason="公开招标程序要求")
    path = tmp_path / "a.txt"
    path.write_text("本项目标底价公示如下。", encoding="utf-8")
    assert run("scan", str(path), "--org", "liaobu")[0] == 0
    path.write_text("评标专家名单见附件。", encoding="utf-8")
    code, out, _err = run("scan", str(path), "--org", "liaobu")
    assert code == 1 and "评标专家名单" in out


@pytest.mark.parametrize(
    "args",
    [
        ["scan", "/no/such/file.pdf"],
        ["scan", "README.md", "--words", "/no/such/words.txt"],
        ["scan", "README.md", "--max-mb", "0"],
    ],
)
def test_it_reports_usage_errors_with_status_2(args):
    with pytest.raises(CommandError) as exc:
        call_command(*args, stdout=StringIO(), stderr=StringIO())
    assert exc.value.returncode == 2


def test_it_reports_an_unknown_organisation_with_status_2(db):
    with pytest.raises(CommandError) as exc:
        call_command("scan", str(MANAGE), "--org", "nowhere", stdout=StringIO())
    assert exc.value.returncode == 2


def test_it_returns_real_exit_codes_from_the_shell(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE}
    path = tmp_path / "a.txt"
    path.write_text("联系人手机 13800138000", encoding="utf-8")
    found = subprocess.run(  # noqa: S603 — our own manage.py with fixed arguments
        [sys.executable, str(MANAGE), "scan", str(path)], capture_output=True, env=env, text=True
    )
    assert found.returncode == 1, found.stderr
    assert "138****8000" in found.stdout


def argv_status(*argv):
    """Run the command as manage.py does (argument errors exit 2 there, not in call_command)."""
    try:
        ScanCommand(stdout=StringIO(), stderr=StringIO()).run_from_argv(
            ["manage.py", "scan", *argv]
        )
    except SystemExit as exc:
        return exc.code
    return 0


def test_it_exits_2_on_usage_errors_from_the_command_line(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("寮步镇召开安全生产工作会议。", encoding="utf-8")
    assert argv_status(str(path)) == 0
    assert argv_status("--format", "xml", str(path)) == 2
    assert argv_status() == 2
    assert argv_status(str(tmp_path / "missing.pdf")) == 2
    path.write_text("手机13800138000", encoding="utf-8")
    assert argv_status(str(path)) == 1


def test_it_imports_and_exports_word_lists_from_the_shell(tmp_path, town):
    source = tmp_path / "in.txt"
    source.write_text("标底\t招标\n病历\n", encoding="utf-8")
    out = StringIO()
    call_command("sensitive_words", "import", str(source), "--org", "liaobu", stdout=out)
    assert "新增 2 个" in out.getvalue()
    target = tmp_path / "out.txt"
    call_command("sensitive_words", "export", str(target), "--org", "liaobu", stdout=StringIO())
    assert "标底\t招标" in target.read_text(encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("sensitive_words", "import", "--org", "liaobu", stdout=StringIO())
