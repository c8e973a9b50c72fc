"""manage.py deadline — when is the reply to an application due, and why."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from gongkai.workdays.calendar import ScheduleMissing
from gongkai.workdays.deadlines import (
    PAUSE_CONSULTATION,
    PAUSE_FEE,
    RULES_2008,
    RULES_2019,
    Pause,
    reply_deadline,
)
from gongkai.workdays.schedulefile import parse_date

from ._base import ChineseErrorCommand


def _date(text: str, option: str):
    day = parse_date(text or "")
    if day is None:
        raise CommandError(
            _("%(option)s 的日期“%(text)s”格式不正确，应为 YYYY-MM-DD，例如 2026-09-18。")
            % {"option": option, "text": text}
        )
    return day


def _pause(text: str, option: str, kind: str) -> Pause:
    start, sep, end = text.partition(":")
    if not sep and "：" in text:
        start, sep, end = text.partition("：")
    return Pause(
        start=_date(start, option),
        end=_date(end, option) if end.strip() else None,
        kind=kind,
    )


class Command(ChineseErrorCommand):
    help = _("计算依申请公开的答复期限，第一行输出到期日（YYYY-MM-DD），其后逐条说明计算过程。")

    def add_arguments(self, parser):
        parser.add_argument("--received", required=True, help=_("申请收到日，YYYY-MM-DD"))
        parser.add_argument(
            "--rules",
            help=_("适用的条例版本：2019 或 2008；不填则按收到日自动判断（2019-05-15起为2019）"),
        )
        parser.add_argument("--extended", action="store_true", help=_("已经批准延长答复期限"))
        parser.add_argument("--corrected", help=_("收到补正申请的日期，YYYY-MM-DD"))
        parser.add_argument(
            "--pause",
            action="append",
            default=[],
            metavar="P:Q",
            help=_("征求第三方或其他机关意见：P 为发出日，Q 为收到意见日（未收到则写 P:）；可重复"),
        )
        parser.add_argument(
            "--fee-pause",
            action="append",
            default=[],
            metavar="P:Q",
            help=_("收费通知送达日 P 至缴费日 Q（未缴费则写 P:）；可重复"),
        )

    def handle(self, *args, **options):
        received = _date(options["received"], "--received")
        rules = options["rules"]
        if rules is not None and rules not in (RULES_2019, RULES_2008):
            raise CommandError(_("--rules 只能是 2019 或 2008，收到：%(rules)s") % {"rules": rules})
        corrected = options["corrected"]
        corrected = _date(corrected, "--corrected") if corrected else None
        pauses = [_pause(p, "--pause", PAUSE_CONSULTATION) for p in options["pause"]]
        pauses += [_pause(p, "--fee-pause", PAUSE_FEE) for p in options["fee_pause"]]
        try:
            result = reply_deadline(
                received=received,
                rules=rules,
                extended=options["extended"],
                corrected=corrected,
                pauses=pauses,
            )
        except ScheduleMissing as exc:
            raise CommandError(str(exc)) from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{result.due:%Y-%m-%d}" if result.due else _("未定（中止尚未结束）"))
        for number, step in enumerate(result.steps, start=1):
            self.stdout.write(f"{number}. {step}")
