"""The statutory clocks of 依申请公开, computed from the dates recorded on a case.

Nothing here reads or writes a case: callers pass the dates (received, corrected, paused,
resumed, extended) and get the due date back with the count explained in Chinese sentences,
so a case officer — or a court — can follow it day by day.

Two rules are marked [UNVERIFIED] in RULES.md and are therefore settings:

- ``GONGKAI_FEE_PAUSES_CLOCK`` (default True): the time between a fee notice reaching the
  applicant and payment is not counted in the reply period (RULES.md §3, §9);
- ``GONGKAI_COUNT_FROM_NEXT_DAY`` (default True): day 1 of a period is the working day after
  the event (民法典第二百零一条; RULES.md §6, §9). Set False to count the day of receipt
  itself when it is a working day.

The day counts themselves are read from the regulation texts ([V] in RULES.md §1) and are
constants.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils.translation import get_language, gettext, gettext_noop

from .calendar import add_working_days, is_working_day, special_days, working_days_between

RULES_2019 = "2019"
RULES_2008 = "2008"
# 国务院令第711号: the revised regulation is in force from 2019-05-15 (条例第五十六条).
RULES_2019_IN_FORCE = date(2019, 5, 15)

# 2019年条例第三十三条第二款: reply within 20 working days; one extension of at most 20.
REPLY_DAYS_2019 = 20
EXTENSION_DAYS_2019 = 20
# 2008年条例第二十四条: reply within 15 working days; extension of at most 15.
REPLY_DAYS_2008 = 15
EXTENSION_DAYS_2008 = 15
# 2019年条例第三十条: the 补正 notice goes out within 7 working days of receipt.
CORRECTION_NOTICE_DAYS = 7
# 2019年条例第三十二条: the third party answers within 15 working days of receiving the letter.
THIRD_PARTY_REPLY_DAYS = 15
# 国办函〔2020〕109号 as applied by the 四川 notice (RULES.md §3): pay within 20 working days
# starting the day after the fee notice is received.
FEE_PAYMENT_DAYS = 20

PAUSE_CONSULTATION = "consultation"  # 征求第三方或其他机关意见 (第三十三条第三款)
PAUSE_FEE = "fee"  # 收费通知送达至缴费 (RULES.md §3, [UNVERIFIED])

WEEKDAYS = [
    gettext_noop("星期一"),
    gettext_noop("星期二"),
    gettext_noop("星期三"),
    gettext_noop("星期四"),
    gettext_noop("星期五"),
    gettext_noop("星期六"),
    gettext_noop("星期日"),
]

_translated: dict[str | None, dict[str, str]] = {}


def _translator() -> Callable[[str], str]:
    """gettext for the active language, remembered.

    A report explains tens of thousands of deadlines; each gettext call walks every
    catalogue's fallback chain and looks up the language in a context variable, which made
    the explanation 40 times slower than the arithmetic. Catalogues do not change while a
    process runs. (Named `_` where it is used, so makemessages finds the strings.)
    """
    memo = _translated.setdefault(get_language(), {})

    def translate(message: str) -> str:
        try:
            return memo[message]
        except KeyError:
            memo[message] = value = gettext(message)
            return value

    return translate


def rules_for(received: date) -> str:
    """Which regulation governs an application received on this day."""
    return RULES_2019 if received >= RULES_2019_IN_FORCE else RULES_2008


@dataclass(frozen=True)
class Pause:
    """Time not counted: a letter sent on `start`, the answer received on `end`.

    The working days after `start` up to and including `end` are not counted. `end` is None
    while the answer is awaited. `kind` is PAUSE_CONSULTATION (the default) or PAUSE_FEE.
    """

    start: date
    end: date | None = None
    kind: str = PAUSE_CONSULTATION


@dataclass(frozen=True)
class DeadlineResult:
    due: date | None  # None while a pause is open
    rules: str
    base_days: int
    extension_days: int
    paused_days: int
    steps: list[str]


def _count_from_next_day() -> bool:
    return bool(getattr(settings, "GONGKAI_COUNT_FROM_NEXT_DAY", True))


def _fee_pauses_clock() -> bool:
    return bool(getattr(settings, "GONGKAI_FEE_PAUSES_CLOCK", True))


def _nth_working_day(start: date, n: int) -> date:
    """The last day of a period of n working days "自…之日起" `start`."""
    if n > 0 and not _count_from_next_day() and is_working_day(start):
        # The day of the event counts as day 1 (only when the setting says so).
        return add_working_days(start, n - 1)
    return add_working_days(start, n)


def _merge(pauses: Sequence[Pause]) -> list[tuple[date, date | None, set[str]]]:
    """Overlapping pauses (a third party and another agency consulted at once) count once."""
    merged: list[list] = []  # [start, end, kinds]
    for pause in sorted(pauses, key=lambda p: p.start):
        if merged:
            last = merged[-1]
            if last[1] is None or pause.start < last[1]:
                last[2].add(pause.kind)
                if last[1] is not None:
                    last[1] = None if pause.end is None else max(last[1], pause.end)
                continue
        merged.append([pause.start, pause.end, {pause.kind}])
    return [(p, q, kinds) for p, q, kinds in merged]


# What happened to each (merged) pause, for the explanation.
_BEFORE_START, _AFTER_DUE, _OPEN, _COUNTED, _FEE_IGNORED = range(5)


def reply_deadline(
    *,
    received: date,
    rules: str | None = None,
    extended: bool = False,
    corrected: date | None = None,
    pauses: Sequence[Pause] = (),
    explain: bool = True,
) -> DeadlineResult:
    """When the reply to an application is due.

    `explain=False` leaves `steps` empty: a report over tens of thousands of cases needs only
    the dates, and the sentences cost ten times the arithmetic.
    """
    chosen = rules
    rules = rules_for(received) if rules is None else rules
    if rules not in (RULES_2019, RULES_2008):
        _ = _translator()
        raise ValueError(_("规则只能是 2019 或 2008，收到：%(rules)s") % {"rules": rules})
    if rules == RULES_2019:
        # 2019年条例第三十三条第二款
        base_days = REPLY_DAYS_2019
        extension_days = EXTENSION_DAYS_2019 if extended else 0
    else:
        # 2008年条例第二十四条
        base_days = REPLY_DAYS_2008
        extension_days = EXTENSION_DAYS_2008 if extended else 0

    start = received
    if corrected is not None:
        if corrected < received:
            _ = _translator()
            raise ValueError(
                _("补正申请收到日%(corrected)s早于申请收到日%(received)s。")
                % {"corrected": f"{corrected:%Y-%m-%d}", "received": f"{received:%Y-%m-%d}"}
            )
        # 2019年条例第三十条: "答复期限自行政机关收到补正的申请之日起计算".
        start = corrected
    for pause in pauses:
        if pause.kind not in (PAUSE_CONSULTATION, PAUSE_FEE):
            _ = _translator()
            raise ValueError(_("未知的中止类型：%(kind)s") % {"kind": pause.kind})
        if pause.end is not None and pause.end < pause.start:
            _ = _translator()
            raise ValueError(
                _("中止的结束日%(end)s早于开始日%(start)s。")
                % {"end": f"{pause.end:%Y-%m-%d}", "start": f"{pause.start:%Y-%m-%d}"}
            )

    total = base_days + extension_days
    due = first_due = _nth_working_day(start, total)
    # 2019年条例第三十三条第三款 (2008年条例第二十四条): time spent consulting third parties and
    # other agencies is not counted. RULES.md §3 [UNVERIFIED]: nor is the time a fee is awaited.
    fee_counts = _fee_pauses_clock()
    events: list[tuple] = [
        (_FEE_IGNORED, p) for p in pauses if p.kind == PAUSE_FEE and not fee_counts
    ]
    counted = [p for p in pauses if p.kind != PAUSE_FEE or fee_counts]
    paused_days = 0
    open_pause = False
    for p, q, kinds in _merge(counted):
        if q is not None and q <= start:
            events.append((_BEFORE_START, p, q))
            continue
        if p > due:
            # The deadline had passed when the letter went out: nothing left to suspend.
            events.append((_AFTER_DUE, p, due))
            continue
        p = max(p, start)
        if q is None:
            events.append((_OPEN, p, kinds, working_days_between(p, due)))
            open_pause = True
            break
        removed = working_days_between(p, q)
        paused_days += removed
        due = add_working_days(due, removed)
        events.append((_COUNTED, p, q, kinds, removed, due))

    result_due = None if open_pause else due
    steps = []
    if explain:
        steps = _explain(
            received=received,
            chosen=chosen,
            rules=rules,
            base_days=base_days,
            extension_days=extension_days,
            corrected=corrected,
            start=start,
            first_due=first_due,
            has_pauses=bool(pauses),
            events=events,
            due=result_due,
        )
    return DeadlineResult(
        due=result_due,
        rules=rules,
        base_days=base_days,
        extension_days=extension_days,
        paused_days=paused_days,
        steps=steps,
    )


def _explain(
    *,
    received,
    chosen,
    rules,
    base_days,
    extension_days,
    corrected,
    start,
    first_due,
    has_pauses,
    events,
    due,
) -> list[str]:
    _ = _translator()

    def fmt(day: date) -> str:
        return _("%(date)s（%(weekday)s）") % {
            "date": f"{day:%Y-%m-%d}",
            "weekday": _(WEEKDAYS[day.weekday()]),
        }

    steps = []
    if chosen is not None:
        steps.append(
            _("申请收到日为%(received)s，按指定适用%(rules)s年《政府信息公开条例》。")
            % {"received": fmt(received), "rules": rules}
        )
    elif rules == RULES_2019:
        steps.append(
            _(
                "申请收到日为%(received)s，在2019-05-15（含）之后，"
                "适用2019年修订的《政府信息公开条例》。"
            )
            % {"received": fmt(received)}
        )
    else:
        steps.append(
            _("申请收到日为%(received)s，在2019-05-15之前，适用2008年施行的《政府信息公开条例》。")
            % {"received": fmt(received)}
        )
    if rules == RULES_2019:
        article, pause_article = _("2019年条例第三十三条第二款"), _("2019年条例第三十三条第三款")
    else:
        article = pause_article = _("2008年条例第二十四条")
    steps.append(
        _("答复期限为%(days)s个工作日（%(article)s）。") % {"days": base_days, "article": article}
    )
    total = base_days + extension_days
    if extension_days:
        steps.append(
            _(
                "经政府信息公开工作机构负责人同意延长%(days)s个工作日（%(article)s），"
                "合计%(total)s个工作日。"
            )
            % {"days": extension_days, "article": article, "total": total}
        )
    if corrected is not None:
        steps.append(
            _("申请人已补正，答复期限自收到补正申请之日%(date)s起重新计算%(article)s。")
            % {
                "date": fmt(corrected),
                "article": _("（2019年条例第三十条）") if rules == RULES_2019 else "",
            }
        )
    if _count_from_next_day():
        steps.append(
            _("起算日当天不计入，自次日起计算（民法典第二百零一条）。第1个工作日为%(first)s。")
            % {"first": fmt(add_working_days(start, 1))}
        )
    else:
        steps.append(
            _(
                "按本平台设置（GONGKAI_COUNT_FROM_NEXT_DAY=False），起算日当天如为工作日"
                "即计为第1个工作日。第1个工作日为%(first)s。"
            )
            % {"first": fmt(_nth_working_day(start, 1))}
        )
    if has_pauses:
        steps.append(
            _("如无中止，第%(n)s个工作日为%(due)s。") % {"n": total, "due": fmt(first_due)}
        )
    else:
        steps.append(_("第%(n)s个工作日为%(due)s。") % {"n": total, "due": fmt(first_due)})

    def basis(kinds) -> str:
        return "；".join(
            pause_article if kind == PAUSE_CONSULTATION else _("国办函〔2020〕109号")
            for kind in sorted(kinds)
        )

    for event in events:
        what = event[0]
        if what == _FEE_IGNORED:
            steps.append(
                _(
                    "自%(start)s起的收费通知期间不扣除"
                    "（本平台设置 GONGKAI_FEE_PAUSES_CLOCK=False）。"
                )
                % {"start": f"{event[1].start:%Y-%m-%d}"}
            )
        elif what == _BEFORE_START:
            steps.append(
                _("中止%(p)s至%(q)s在起算日之前，不影响期限。")
                % {"p": f"{event[1]:%Y-%m-%d}", "q": f"{event[2]:%Y-%m-%d}"}
            )
        elif what == _AFTER_DUE:
            steps.append(
                _("中止自%(p)s开始时，答复期限%(due)s已届满，不再扣除。")
                % {"p": f"{event[1]:%Y-%m-%d}", "due": f"{event[2]:%Y-%m-%d}"}
            )
        elif what == _OPEN:
            _what, p, kinds, left = event
            steps.append(
                _(
                    "自%(p)s起中止计算（%(basis)s），尚未结束；结束后从次日起继续计算。"
                    "已用%(used)s个工作日，剩余%(left)s个工作日，答复期限待定。"
                )
                % {"p": fmt(p), "basis": basis(kinds), "used": total - left, "left": left}
            )
        else:
            _what, p, q, kinds, removed, moved_to = event
            if kinds == {PAUSE_CONSULTATION}:
                happened = _("%(p)s发出征求意见书，%(q)s收到意见") % {"p": fmt(p), "q": fmt(q)}
            elif kinds == {PAUSE_FEE}:
                happened = _("%(p)s收费通知送达，%(q)s缴费") % {"p": fmt(p), "q": fmt(q)}
            else:
                happened = _("%(p)s至%(q)s征求意见与收费期间重叠，合并计算") % {
                    "p": fmt(p),
                    "q": fmt(q),
                }
            steps.append(
                _("%(what)s，其间%(n)s个工作日不计入（%(basis)s），期限顺延至%(due)s。")
                % {"what": happened, "n": removed, "basis": basis(kinds), "due": fmt(moved_to)}
            )
    if due is None:
        return steps

    holidays = special_days(start, due)
    runs: list[list] = []  # [first, last, names]
    for info in holidays:
        if info.is_working_day:
            continue
        if runs and (info.date - runs[-1][1]).days == 1:
            runs[-1][1] = info.date
            if info.name not in runs[-1][2]:
                runs[-1][2].append(info.name)
        else:
            runs.append([info.date, info.date, [info.name]])
    makeups = [info for info in holidays if info.is_working_day]
    parts = []
    if runs:
        parts.append(
            _("其间放假不计入：%(runs)s")
            % {
                "runs": "、".join(
                    _("%(names)s %(first)s至%(last)s")
                    % {
                        "names": "、".join(names),
                        "first": f"{first:%Y-%m-%d}",
                        "last": f"{last:%Y-%m-%d}",
                    }
                    if first != last
                    else f"{'、'.join(names)} {first:%Y-%m-%d}"
                    for first, last, names in runs
                )
            }
        )
    if makeups:
        parts.append(
            _("调休上班日照常计入：%(days)s")
            % {
                "days": "、".join(
                    _("%(date)s（%(weekday)s，%(name)s调休）")
                    % {
                        "date": f"{m.date:%Y-%m-%d}",
                        "weekday": _(WEEKDAYS[m.date.weekday()]),
                        "name": m.name,
                    }
                    for m in makeups
                )
            }
        )
    if parts:
        steps.append("；".join(parts) + "。")
    steps.append(_("答复期限：%(due)s。") % {"due": fmt(due)})
    return steps


def correction_notice_deadline(received: date) -> date:
    """Last day to send the one-time 补正 notice.

    2019年条例第三十条: "自收到申请之日起7个工作日内一次性告知申请人作出补正". RULES.md records
    no such limit for the 2008 regulation; the platform applies the same 7 days to older cases
    as good practice.
    """
    return _nth_working_day(received, CORRECTION_NOTICE_DAYS)


def third_party_reply_deadline(letter_received: date) -> date:
    """Last day for a third party to answer the consultation letter.

    2019年条例第三十二条: "第三方应当自收到征求意见书之日起15个工作日内提出意见"; silence
    leaves the decision to the agency. (Art. 34 gives co-making agencies the same 15 days.)
    """
    return _nth_working_day(letter_received, THIRD_PARTY_REPLY_DAYS)


def fee_payment_deadline(notice_received: date) -> date:
    """Last day for the applicant to pay the 信息处理费.

    RULES.md §3: pay within 20 working days starting the day after the notice is received;
    otherwise the application is treated as abandoned (annual-report row （六）2). The source
    says "the day after" explicitly, so this ignores GONGKAI_COUNT_FROM_NEXT_DAY.
    """
    return add_working_days(notice_received, FEE_PAYMENT_DAYS)
