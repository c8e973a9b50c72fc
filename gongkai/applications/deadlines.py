"""The clock of a case: the date of receipt and the dates that follow from its events.

Working-day arithmetic is `gongkai.workdays`'; this module only decides which events start,
stop and restart the clock, as the regulation says.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gongkai.workdays.calendar import ScheduleMissing
from gongkai.workdays.deadlines import (
    PAUSE_CONSULTATION,
    PAUSE_FEE,
    DeadlineResult,
    Pause,
    fee_payment_deadline,
    reply_deadline,
)

from .models import Application, CaseEvent, Channel

Kind = CaseEvent.Kind


def receipt_date(
    *,
    channel: str,
    submitted_on: date | None = None,
    signed_for_on: date | None = None,
    confirmed_on: date | None = None,
) -> date:
    """条例第三十一条 行政机关收到政府信息公开申请的时间，按照下列规定确定：

    （一）申请人当面提交政府信息公开申请的，以提交之日为收到申请之日；
    （二）申请人以邮寄方式提交政府信息公开申请的，以行政机关签收之日为收到申请之日；以平常信函等
    无需签收的邮寄方式提交政府信息公开申请的，政府信息公开工作机构应当于收到申请的当日与申请人
    确认，确认之日为收到申请之日；
    （三）申请人通过互联网渠道或者政府信息公开工作机构的传真提交政府信息公开申请的，以双方确认之日
    为收到申请之日。
    """
    needed = {
        Channel.IN_PERSON: ("submitted_on", submitted_on, _("当面提交的，请填写提交日期。")),
        Channel.POST_SIGNED: ("signed_for_on", signed_for_on, _("邮寄提交的，请填写签收日期。")),
        Channel.LETTER: (
            "confirmed_on",
            confirmed_on,
            _("平常信函提交的，请填写与申请人确认的日期。"),
        ),
        Channel.FAX: ("confirmed_on", confirmed_on, _("传真提交的，请填写双方确认的日期。")),
        Channel.ONLINE: (
            "confirmed_on",
            confirmed_on,
            _("通过互联网提交的，请填写双方确认的日期。"),
        ),
    }
    if channel not in needed:
        raise ValidationError({"channel": _("请选择提交方式。")})
    field_name, value, message = needed[channel]
    if value is None:
        raise ValidationError({field_name: message})
    return value


@dataclass
class Clock:
    """Everything the staff need to know about a case's time limits, computed from its events."""

    deadline: DeadlineResult | None = None
    error: str = ""  # a schedule is missing: staff see this, never a 500
    awaiting_correction: bool = False
    correction_due_on: date | None = None
    fee_due_on: date | None = None  # the applicant must pay by then (20 working days)
    open_pauses: list[str] = field(default_factory=list)

    @property
    def due_on(self) -> date | None:
        return self.deadline.due if self.deadline else None


def _pauses(events: list[CaseEvent]) -> tuple[list[Pause], list[str]]:
    """条例第三十三条第三款: 行政机关征求第三方和其他机关意见所需时间不计算在前款规定的期限内.

    RULES.md §9 adds the time between the fee notice reaching the applicant and payment
    (workdays applies or ignores it by GONGKAI_FEE_PAUSES_CLOCK).
    """
    # A consultation's end points at its start; the fee notice's receipt and its payment both
    # point at the notice that was sent.
    ends: dict[int, date] = {
        e.closes_id: e.happened_on
        for e in events
        if e.closes_id and e.kind in (Kind.THIRD_PARTY_REPLIED, Kind.AGENCY_ANSWERED, Kind.FEE_PAID)
    }
    pauses, open_labels = [], []
    for event in events:
        if event.kind in (Kind.THIRD_PARTY_SENT, Kind.AGENCY_CONSULTED):
            pause = Pause(start=event.happened_on, end=ends.get(event.pk), kind=PAUSE_CONSULTATION)
        elif event.kind == Kind.FEE_NOTICE_RECEIVED:
            pause = Pause(start=event.happened_on, end=ends.get(event.closes_id), kind=PAUSE_FEE)
        else:
            continue
        pauses.append(pause)
        if pause.end is None:
            open_labels.append(str(event.get_kind_display()))
    return pauses, open_labels


def application_clock(application: Application, events: list[CaseEvent] | None = None) -> Clock:
    if events is None:
        events = list(application.events.all())
    clock = Clock()
    requested = [e for e in events if e.kind == Kind.CORRECTION_REQUESTED]
    corrected = [e for e in events if e.kind == Kind.CORRECTION_RECEIVED]
    if requested and not corrected:
        # 条例第三十条: 答复期限自行政机关收到补正的申请之日起计算 — until then no reply clock runs.
        clock.awaiting_correction = True
        clock.correction_due_on = requested[-1].due_on
    try:
        fee_received = [e for e in events if e.kind == Kind.FEE_NOTICE_RECEIVED]
        paid_notices = {e.closes_id for e in events if e.kind == Kind.FEE_PAID}
        unpaid = [e for e in fee_received if e.closes_id not in paid_notices]
        if unpaid:
            # 国办函〔2020〕109号 (RULES.md §3): pay within 20 working days of receiving the notice.
            clock.fee_due_on = fee_payment_deadline(unpaid[-1].happened_on)
        if clock.awaiting_correction:
            return clock
        pauses, clock.open_pauses = _pauses(events)
        clock.deadline = reply_deadline(
            received=application.received_on,
            extended=any(e.kind == Kind.EXTENDED for e in events),
            corrected=corrected[-1].happened_on if corrected else None,
            pauses=pauses,
        )
    except ScheduleMissing as exc:
        clock.error = str(exc)
    return clock
