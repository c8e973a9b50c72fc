"""Writes for applications.

Each state transition is one function (CONVENTIONS 3): it locks the case, checks its state and
the actor's permission, changes it, appends an event, writes an audit row (wagtail.log_actions)
and queues side effects with transaction.on_commit. `actor=None` is the platform itself.
"""

import os
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from gongkai.orgs.models import Organisation
from gongkai.reports.locks import period_check
from gongkai.workdays.calendar import ScheduleMissing, add_working_days
from gongkai.workdays.deadlines import RULES_2008, correction_notice_deadline, rules_for

from . import conf, tasks
from .deadlines import Clock, application_clock, receipt_date
from .fees import FeeBasis, fee_for
from .importer import LedgerError, ledger_lock_errors
from .letter_defaults import DEFAULTS
from .letters import letter_build, letter_docx, letter_pdf
from .models import (
    OPEN_STATUSES,
    Application,
    ApplicationDesk,
    CaseDocument,
    CaseEvent,
    Delivery,
    EnteredVia,
    LetterTemplate,
    ReminderSent,
    Status,
)
from .outcomes import OUTCOMES, Outcome
from .permissions import require
from .selectors import applicant_earlier_requests_in_month, case_officers_for
from .validation import (
    APPLICANT_FIELDS,
    INFORMATION_TYPES,
    PROOF_TYPES,
    check_upload,
    clean_applicant,
)

Kind = CaseEvent.Kind

# Secret codes avoid characters that are easy to misread (0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# ---- helpers -------------------------------------------------------------------------------


def _today() -> date:
    return timezone.localdate()


def _log(application: Application, action: str, actor, **data) -> None:
    log(application, f"gongkai.applications.{action}", user=actor, data=data or None)


def _later(task, **kwargs) -> None:
    transaction.on_commit(lambda: task.enqueue(**kwargs))


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update()
        .select_related("organisation")
        .get(pk=application.pk)
    )


def _require_open(application: Application, allowed=None) -> None:
    if application.status == Status.CLOSED:
        raise ValidationError(_("该申请已办结，不能再办理此事项。"))
    if allowed is not None and application.status not in allowed:
        raise ValidationError(
            _("该申请当前状态为“%(status)s”，不能办理此事项。")
            % {"status": application.get_status_display()}
        )


def _check_date(application: Application, value: date, field_name: str, not_before=None) -> None:
    if value is None:
        raise ValidationError({field_name: _("请填写日期。")})
    if value > _today():
        raise ValidationError({field_name: _("日期不能晚于今天。")})
    floor = not_before or application.received_on
    if value < floor:
        raise ValidationError(
            {field_name: _("日期不能早于%(date)s。") % {"date": floor.strftime("%Y-%m-%d")}}
        )
    # Issue #8: a fact dated in a locked report period would change a figure already reported.
    period_check(organisation=application.organisation, days=[value], field=field_name)


# Internal notes change no figure of any report, so they may be added to a case whose period
# is locked; every other event is a case fact of its date.
EVENTS_ALLOWED_IN_LOCKED_PERIOD = {Kind.NOTE}


def _append(application: Application, kind: str, happened_on: date, *, actor, **fields):
    if kind not in EVENTS_ALLOWED_IN_LOCKED_PERIOD:
        # The last guard for every path (imports, scheduled work, events dated today).
        period_check(organisation=application.organisation, days=[happened_on])
    event = CaseEvent(
        application=application, kind=kind, happened_on=happened_on, actor=actor, **fields
    )
    event.save()
    return event


def _refresh_due(application: Application) -> Clock:
    """The due date is recomputed from the events, never typed (条例第三十条、第三十三条)."""
    clock = application_clock(application)
    if clock.due_on != application.due_on:
        application.due_on = clock.due_on
        application.save(update_fields=["due_on"])
    return clock


def _mail_applicant(application: Application, subject: str, body: str) -> None:
    if application.email:
        _later(tasks.send_email, subject=subject, body=body, to=[application.email])


def _officer_emails(application: Application) -> list[str]:
    if application.assigned_to_id and application.assigned_to.email:
        return [application.assigned_to.email]
    return sorted(
        {u.email for u in case_officers_for(application=application) if u.email}
        | ({application.organisation.email} if application.organisation.email else set())
    )


def _document_save(
    application, upload, *, kind, allowed, actor, for_applicant, field_name="file", event=None
) -> CaseDocument:
    try:
        mime = check_upload(upload, allowed=allowed)
    except ValidationError as exc:
        raise ValidationError({field_name: exc.messages}) from None
    original = os.path.basename(upload.name or "file")[:200]
    document = CaseDocument(
        application=application,
        event=event,
        kind=kind,
        name=original,
        content_type=mime,
        size=upload.size,
        for_applicant=for_applicant,
        uploaded_by=actor,
    )
    # A random stored name: the original may carry personal data; it is kept in `name`.
    extension = os.path.splitext(original)[1].lower()[:10]
    document.file.save(f"{uuid.uuid4().hex}{extension}", upload, save=False)
    document.save()
    return document


# ---- intake --------------------------------------------------------------------------------


def _prefix_for(organisation: Organisation) -> str:
    base = "".join(c for c in organisation.code.upper() if c.isascii() and c.isalnum())
    if not base or not base[0].isalpha():
        base = "G" + base
    base = base[:10]
    candidate, n = base, 1
    while ApplicationDesk.objects.filter(prefix=candidate).exists():
        n += 1
        candidate = f"{base[:8]}{n}"
    return candidate


def _desk_locked(organisation: Organisation) -> ApplicationDesk:
    desk = ApplicationDesk.objects.select_for_update().filter(organisation=organisation).first()
    if desk is None:
        ApplicationDesk.objects.create(organisation=organisation, prefix=_prefix_for(organisation))
        desk = ApplicationDesk.objects.select_for_update().get(organisation=organisation)
    return desk


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def tracking_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("applications:track")


@transaction.atomic
def application_receive(
    *,
    actor=None,
    organisation: Organisation,
    entered_via: str,
    channel: str,
    submitted_on: date | None = None,
    signed_for_on: date | None = None,
    confirmed_on: date | None = None,
    proof=None,
    **fields,
) -> Application:
    """Register an application; it gets its number and secret code and the clock starts.

    Saved before anything is sent: the acknowledgment and the officers' notice go on commit.
    """
    if entered_via == EnteredVia.STAFF:
        require(actor, "add", Application(organisation=organisation))
    data = clean_applicant(fields)
    received_on = receipt_date(
        channel=channel,
        submitted_on=submitted_on,
        signed_for_on=signed_for_on,
        confirmed_on=confirmed_on,
    )
    if received_on > _today():
        raise ValidationError(_("收到申请之日不能晚于今天。"))
    period_check(
        organisation=organisation,
        days=[received_on],
        what=_("收到申请日期"),
        field=_CHANNEL_DATE.get(channel),
        adding=True,
    )
    if proof is not None:
        try:
            check_upload(proof, allowed=PROOF_TYPES)
        except ValidationError as exc:
            raise ValidationError({"proof": exc.messages}) from None

    desk = _desk_locked(organisation)
    year = received_on.year
    serial = (
        Application.objects.filter(organisation=organisation, year=year).aggregate(
            last=Max("serial")
        )["last"]
        or 0
    ) + 1
    number = f"{desk.prefix}-{year}-{serial:05d}"
    while Application.objects.filter(number=number).exists():  # an imported ledger's number
        serial += 1
        number = f"{desk.prefix}-{year}-{serial:05d}"
    application = Application(
        organisation=organisation,
        number=number,
        year=year,
        serial=serial,
        secret_code=_new_code(),
        entered_via=entered_via,
        channel=channel,
        submitted_on=submitted_on,
        signed_for_on=signed_for_on,
        confirmed_on=confirmed_on,
        received_on=received_on,
        created_by=actor,
        **{name: data.get(name) or "" for name in APPLICANT_FIELDS},
    )
    application.full_clean()
    application.save()
    _append(application, Kind.RECEIVED, received_on, actor=actor, data={"channel": channel})
    if proof is not None:
        _document_save(
            application,
            proof,
            kind=CaseDocument.Kind.PROOF,
            allowed=PROOF_TYPES,
            actor=actor,
            for_applicant=False,
            field_name="proof",
        )
    clock = _refresh_due(application)
    _log(application, "receive", actor, channel=channel)

    due = clock.due_on.strftime("%Y-%m-%d") if clock.due_on else _("待定")
    _mail_applicant(
        application,
        _("您的政府信息公开申请已收到（%(number)s）") % {"number": number},
        _(
            "%(name)s：\n\n%(agency)s已于%(received)s收到您的政府信息公开申请。\n"
            "申请编号：%(number)s\n查询码：%(code)s\n答复期限：%(due)s\n\n"
            "请凭申请编号和查询码在 %(url)s 查询办理进度。查询码请妥善保管，不要告诉他人。"
        )
        % {
            "name": application.name,
            "agency": organisation.name,
            "received": received_on.strftime("%Y-%m-%d"),
            "number": number,
            "code": application.secret_code,
            "due": due,
            "url": tracking_url(),
        },
    )
    officers = _officer_emails(application)
    if officers:
        _later(
            tasks.send_email,
            subject=_("新的政府信息公开申请 %(number)s") % {"number": number},
            body=_("%(agency)s收到新的政府信息公开申请 %(number)s，答复期限 %(due)s。")
            % {"agency": organisation.name, "number": number, "due": due},
            to=officers,
        )
    return application


# ---- handling ------------------------------------------------------------------------------


@transaction.atomic
def application_assign(*, actor, application: Application, officer) -> CaseEvent:
    application = _lock(application)
    require(actor, "change", application)
    _require_open(application)
    if not case_officers_for(application=application).filter(pk=officer.pk).exists():
        raise ValidationError({"officer": _("所选人员不是该机关的依申请经办人。")})
    application.assigned_to = officer
    fields = ["assigned_to"]
    if application.status == Status.NEW:
        application.status = Status.IN_PROGRESS
        fields.append("status")
    application.save(update_fields=fields)
    event = _append(application, Kind.ASSIGNED, _today(), actor=actor, person=officer)
    _log(application, "assign", actor, officer=officer.get_username())
    if officer.email:
        _later(
            tasks.send_email,
            subject=_("请办理政府信息公开申请 %(number)s") % {"number": application.number},
            body=_("您已被指定为政府信息公开申请 %(number)s 的经办人，答复期限 %(due)s。")
            % {
                "number": application.number,
                "due": application.due_on.strftime("%Y-%m-%d") if application.due_on else "—",
            },
            to=[officer.email],
        )
    return event


@transaction.atomic
def application_request_correction(
    *,
    actor,
    application: Application,
    sent_on: date,
    items: str,
    correction_due_on: date | None = None,
) -> CaseEvent:
    """条例第三十条: 自收到申请之日起7个工作日内一次性告知申请人作出补正，说明需要补正的事项和
    合理的补正期限。"""
    application = _lock(application)
    require(actor, "change", application)
    _require_open(application, allowed=[Status.NEW, Status.IN_PROGRESS])
    if application.events.filter(kind=Kind.CORRECTION_REQUESTED).exists():
        raise ValidationError(_("条例第三十条规定补正应一次性告知，本申请已发出过补正通知。"))
    _check_date(application, sent_on, "sent_on")
    items = (items or "").strip()
    if not items:
        raise ValidationError({"items": _("请写明需要补正的事项。")})
    try:
        notice_by = correction_notice_deadline(application.received_on)
    except ScheduleMissing:
        notice_by = None
    if correction_due_on is None:
        try:
            correction_due_on = add_working_days(
                sent_on, conf.get("GONGKAI_CORRECTION_PERIOD_WORKDAYS")
            )
        except ScheduleMissing as exc:
            raise ValidationError(
                {"correction_due_on": _("%(error)s 请手工填写补正期限。") % {"error": exc}}
            ) from None
    if correction_due_on <= sent_on:
        raise ValidationError({"correction_due_on": _("补正期限应晚于发出通知的日期。")})
    application.status = Status.AWAITING_CORRECTION
    application.save(update_fields=["status"])
    event = _append(
        application,
        Kind.CORRECTION_REQUESTED,
        sent_on,
        actor=actor,
        note=items,
        due_on=correction_due_on,
        data={
            "notice_by": notice_by.isoformat() if notice_by else None,
            "late": bool(notice_by and sent_on > notice_by),
        },
    )
    _refresh_due(application)
    _log(application, "request_correction", actor, due_on=correction_due_on.isoformat())
    _later(
        tasks.issue_letter,
        application_id=application.pk,
        key=LetterTemplate.Key.CORRECTION_NOTICE,
        event_id=event.pk,
        email_applicant=bool(application.email),
    )
    return event


@transaction.atomic
def application_receive_correction(
    *, actor, application: Application, received_on: date
) -> CaseEvent:
    """条例第三十条: 答复期限自行政机关收到补正的申请之日起计算."""
    application = _lock(application)
    require(actor, "change", application)
    _require_open(application, allowed=[Status.AWAITING_CORRECTION])
    request = application.events.filter(kind=Kind.CORRECTION_REQUESTED).latest("id")
    _check_date(application, received_on, "received_on", not_before=request.happened_on)
    application.status = Status.IN_PROGRESS if application.assigned_to_id else Status.NEW
    application.save(update_fields=["status"])
    event = _append(application, Kind.CORRECTION_RECEIVED, received_on, actor=actor, closes=request)
    _refresh_due(application)
    _log(application, "receive_correction", actor, received_on=received_on.isoformat())
    return event


CONSULTATIONS = {
    # 条例第三十二条 (third party, 15 working days) and 第三十四条 (co-making agencies).
    "third_party": (Kind.THIRD_PARTY_SENT, Kind.THIRD_PARTY_REPLIED),
    "agency": (Kind.AGENCY_CONSULTED, Kind.AGENCY_ANSWERED),
}


@transaction.atomic
def application_consult(
    *, actor, application: Application, party_kind: str, sent_on: date, party: str, note=""
) -> CaseEvent:
    """Record a written consultation; its time is not counted (条例第三十三条第三款)."""
    application = _lock(application)
    require(actor, "change", application)
    _require_open(application, allowed=[Status.NEW, Status.IN_PROGRESS, Status.AWAITING_FEE])
    start_kind, _end = CONSULTATIONS[party_kind]
    _check_date(application, sent_on, "sent_on")
    party = (party or "").strip()
    if not party:
        raise ValidationError({"party": _("请填写被征求意见的第三方或机关。")})
    event = _append(application, start_kind, sent_on, actor=actor, note=note, data={"party": party})
    _refresh_due(application)
    _log(application, "consult", actor, party_kind=party_kind)
    return event


@transaction.atomic
def application_end_consultation(
    *,
    actor,
    application: Application,
    consultation: CaseEvent,
    ended_on: date,
    replied: bool = True,
    note: str = "",
) -> CaseEvent:
    """A reply came in, or the time for it ran out (条例第三十二条: 逾期未提出意见的，由行政机关
    依照本条例的规定决定是否公开)."""
    application = _lock(application)
    require(actor, "change", application)
    _require_open(application)
    kinds = {start: end for start, end in CONSULTATIONS.values()}
    if (
        consultation.application_id != application.pk
        or consultation.kind not in kinds
        or consultation.closed_by.exists()
    ):
        raise ValidationError({"consultation": _("请选择一项尚未结束的征求意见。")})
    _check_date(application, ended_on, "ended_on", not_before=consultation.happened_on)
    event = _append(
        application,
        kinds[consultation.kind],
        ended_on,
        actor=actor,
        closes=consultation,
        note=note,
        data={"replied": replied, "party": consultation.data.get("party", "")},
    )
    _refresh_due(application)
    _log(application, "end_consultation", actor, replied=replied)
    return event


@transaction.atomic
def application_send_fee_notice(
    *,
    actor,
    application: Application,
    sent_on: date,
    basis: str,
    pages: int = 0,
    pieces: int = 1,
    received_on: date | None = None,
    note: str = "",
) -> CaseEvent:
    """条例第四十二条 and 国办函〔2020〕109号: the fee is computed here from the records."""
    application = _lock(application)
    require(actor, "change", application)
    _require_open(application, allowed=[Status.NEW, Status.IN_PROGRESS])
    if rules_for(application.received_on) == RULES_2008:
        raise ValidationError(_("该申请适用2008年条例，不收取信息处理费。"))
    _check_date(application, sent_on, "sent_on")
    if basis not in FeeBasis.values:
        raise ValidationError({"basis": _("请选择计收方式。")})
    if basis == FeeBasis.PAGE and (pages or 0) < 1:
        raise ValidationError({"pages": _("按量计收时请填写提供信息的页数。")})
    if basis == FeeBasis.PIECE and (pieces or 0) < 1:
        raise ValidationError({"pieces": _("件数至少为1。")})
    earlier = applicant_earlier_requests_in_month(application=application)
    amount = fee_for(basis=basis, earlier_in_month=earlier, pieces=pieces or 1, pages=pages or 0)
    if amount == 0:
        raise ValidationError(
            {"basis": _("按此方式计算应缴费用为0元（不超过免费额度），无需发出收费通知。")}
        )
    application.status = Status.AWAITING_FEE
    application.save(update_fields=["status"])
    event = _append(
        application,
        Kind.FEE_NOTICE_SENT,
        sent_on,
        actor=actor,
        amount=amount,
        fee_basis=basis,
        note=note,
        data={"earlier": earlier, "pieces": pieces or 1, "pages": pages or 0},
    )
    if received_on is not None:
        _check_date(application, received_on, "received_on", not_before=sent_on)
        _append(application, Kind.FEE_NOTICE_RECEIVED, received_on, actor=actor, closes=event)
    _refresh_due(application)
    _log(application, "fee_notice", actor, amount=str(amount), basis=basis)
    _later(
        tasks.issue_letter,
        application_id=application.pk,
        key=LetterTemplate.Key.FEE_NOTICE,
        event_id=event.pk,
        email_applicant=bool(application.email),
    )
    return event


def _open_fee_notice(application: Application) -> CaseEvent:
    notice = application.events.filter(kind=Kind.FEE_NOTICE_SENT).order_by("-id").first()
    if notice is None or notice.closed_by.filter(kind=Kind.FEE_PAID).exists():
        raise ValidationError(_("该申请没有待缴的收费通知。"))
    return notice


@transaction.atomic
def application_record_fee_notice_received(
    *, actor, application: Application, received_on: date
) -> CaseEvent:
    application = _lock(application)
    require(actor, "change", application)
    _require_open(application, allowed=[Status.AWAITING_FEE])
    notice = _open_fee_notice(application)
    if notice.closed_by.filter(kind=Kind.FEE_NOTICE_RECEIVED).exists():
        raise ValidationError(_("已登记收费通知送达日期。"))
    _check_date(application, received_on, "received_on", not_before=notice.happened_on)
    event = _append(application, Kind.FEE_NOTICE_RECEIVED, received_on, actor=actor, closes=notice)
    _refresh_due(application)
    _log(application, "fee_notice_received", actor)
    return event


@transaction.atomic
def application_record_fee_paid(*, actor, application: Application, paid_on: date) -> CaseEvent:
    application = _lock(application)
    require(actor, "change", application)
    _require_open(application, allowed=[Status.AWAITING_FEE])
    notice = _open_fee_notice(application)
    received = notice.closed_by.filter(kind=Kind.FEE_NOTICE_RECEIVED).first()
    if received is None:
        raise ValidationError(_("请先登记收费通知送达申请人的日期。"))
    _check_date(application, paid_on, "paid_on", not_before=received.happened_on)
    application.status = Status.IN_PROGRESS if application.assigned_to_id else Status.NEW
    application.save(update_fields=["status"])
    event = _append(
        application,
        Kind.FEE_PAID,
        paid_on,
        actor=actor,
        closes=notice,
        amount=notice.amount,
        fee_basis=notice.fee_basis,
    )
    _refresh_due(application)
    _log(application, "fee_paid", actor, amount=str(notice.amount))
    return event


@transaction.atomic
def application_extend(
    *, actor, application: Application, approved_on: date, notified_on: date, reason: str
) -> CaseEvent:
    """条例第三十三条第二款: 需要延长答复期限的，应当经政府信息公开工作机构负责人同意并告知申请人，
    延长的期限最长不得超过20个工作日 (2008年条例第二十四条: 15)."""
    application = _lock(application)
    require(actor, "approve", application)
    _require_open(application, allowed=[Status.NEW, Status.IN_PROGRESS, Status.AWAITING_FEE])
    if application.events.filter(kind=Kind.EXTENDED).exists():
        raise ValidationError(_("答复期限只能延长一次（条例第三十三条）。"))
    _check_date(application, approved_on, "approved_on")
    _check_date(application, notified_on, "notified_on", not_before=approved_on)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请写明延期理由。")})
    events = list(application.events.all())
    event = CaseEvent(
        application=application,
        kind=Kind.EXTENDED,
        happened_on=notified_on,
        actor=actor,
        person=actor,
        note=reason,
        data={"approved_on": approved_on.isoformat()},
    )
    before = application_clock(application, events)
    after = application_clock(application, [*events, event])
    if before.error or after.error:
        raise ValidationError(before.error or after.error)
    if before.due_on and approved_on > before.due_on:
        raise ValidationError(
            {
                "approved_on": _("原答复期限（%(due)s）已过，不能再延长。")
                % {"due": before.due_on.strftime("%Y-%m-%d")}
            }
        )
    if after.deadline is not None:
        event.data["extension_days"] = after.deadline.extension_days
        event.data["due_on"] = after.due_on.isoformat() if after.due_on else None
    event.save()
    _refresh_due(application)
    _log(application, "extend", actor, approved_on=approved_on.isoformat())
    _later(
        tasks.issue_letter,
        application_id=application.pk,
        key=LetterTemplate.Key.EXTENSION_NOTICE,
        event_id=event.pk,
        email_applicant=bool(application.email),
    )
    return event


def _close(
    application: Application,
    *,
    outcome: str,
    on: date,
    actor,
    kind: str,
    note: str = "",
    responsible_agency: str = "",
    issue_letter: bool = True,
) -> CaseEvent:
    application.status = Status.CLOSED
    application.outcome = outcome
    application.closed_on = on
    fields = ["status", "outcome", "closed_on"]
    if responsible_agency:
        application.responsible_agency = responsible_agency
        fields.append("responsible_agency")
    application.save(update_fields=fields)
    event = _append(application, kind, on, actor=actor, outcome=outcome, note=note)
    _log(application, "reply" if kind == Kind.REPLIED else "abandon", actor, outcome=outcome)
    if issue_letter:
        _later(
            tasks.issue_letter,
            application_id=application.pk,
            key=outcome,
            event_id=event.pk,
            email_applicant=False,  # the reply goes out with the information, by `deliver`
        )
    return event


@transaction.atomic
def application_reply(
    *,
    actor,
    application: Application,
    outcome: str,
    replied_on: date,
    reasons: str = "",
    responsible_agency: str = "",
) -> CaseEvent:
    """条例第三十六条: the reply, with one of the outcomes of the annual report."""
    application = _lock(application)
    require(actor, "change", application)
    _require_open(application)
    if outcome not in OUTCOMES:
        raise ValidationError({"outcome": _("请选择办理结果。")})
    kinds = set(application.events.values_list("kind", flat=True))
    needs = {
        Outcome.UNAVAILABLE_UNCLEAR: (Kind.CORRECTION_RECEIVED, _("申请人补正后才能作此答复。")),
        Outcome.OTHER_NO_CORRECTION: (Kind.CORRECTION_REQUESTED, _("未发出补正通知。")),
        Outcome.OTHER_FEE_UNPAID: (Kind.FEE_NOTICE_SENT, _("未发出收费通知。")),
    }
    if outcome in needs and needs[outcome][0] not in kinds:
        raise ValidationError({"outcome": needs[outcome][1]})
    if application.status == Status.AWAITING_CORRECTION and outcome not in (
        Outcome.OTHER_NO_CORRECTION,
        Outcome.OTHER,
    ):
        raise ValidationError({"outcome": _("申请人尚未补正，请先登记收到补正的申请。")})
    _check_date(application, replied_on, "replied_on")
    reasons = (reasons or "").strip()
    if outcome == Outcome.OTHER and not reasons:
        raise ValidationError({"reasons": _("选择“其他”时请写明理由。")})
    return _close(
        application,
        outcome=outcome,
        on=replied_on,
        actor=actor,
        kind=Kind.REPLIED,
        note=reasons,
        responsible_agency=(responsible_agency or "").strip(),
    )


@transaction.atomic
def application_attach_information(
    *, actor, application: Application, upload, for_applicant: bool = True
) -> CaseDocument:
    application = _lock(application)
    require(actor, "change", application)
    document = _document_save(
        application,
        upload,
        kind=CaseDocument.Kind.INFORMATION,
        allowed=INFORMATION_TYPES,
        actor=actor,
        for_applicant=for_applicant,
    )
    _append(
        application,
        Kind.INFORMATION_ATTACHED,
        _today(),
        actor=actor,
        note=document.name,
        data={"document": document.pk},
    )
    _log(application, "attach", actor, document=document.name)
    return document


@transaction.atomic
def application_deliver(
    *, actor, application: Application, delivered_on: date, method: str, note: str = ""
) -> CaseEvent:
    """Deliver the reply and the information as the applicant chose (条例第二十九条（三）)."""
    application = _lock(application)
    require(actor, "change", application)
    if application.status != Status.CLOSED:
        raise ValidationError(_("请先作出答复，再登记送达。"))
    if method not in Delivery.values:
        raise ValidationError({"method": _("请选择送达方式。")})
    if method == Delivery.EMAIL and not application.email:
        raise ValidationError({"method": _("申请人没有留下电子邮箱，不能通过电子邮件送达。")})
    _check_date(application, delivered_on, "delivered_on", not_before=application.closed_on)
    event = _append(
        application,
        Kind.DELIVERED,
        delivered_on,
        actor=actor,
        note=(note or "").strip(),
        data={"method": method},
    )
    _log(application, "deliver", actor, method=method)
    if method == Delivery.EMAIL:
        _later(tasks.deliver_by_email, application_id=application.pk)
    return event


@transaction.atomic
def application_add_note(*, actor, application: Application, note: str) -> CaseEvent:
    application = _lock(application)
    require(actor, "change", application)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("请填写备注内容。")})
    event = _append(application, Kind.NOTE, _today(), actor=actor, note=note)
    _log(application, "note", actor)
    return event


def application_reveal_personal_data(*, actor, application: Application) -> None:
    """Showing an applicant's ID number and phone in full is an audited act."""
    require(actor, "reveal", application)
    _log(application, "reveal", actor)


# ---- letters -------------------------------------------------------------------------------


@transaction.atomic
def letter_issue(*, application_id: int, key: str, event_id: int) -> list[CaseDocument]:
    """File the letter for an event as Word and PDF; once per event (a task may run twice)."""
    application = Application.objects.select_for_update().get(pk=application_id)
    event = CaseEvent.objects.get(pk=event_id, application=application)
    existing = list(event.documents.filter(kind=CaseDocument.Kind.LETTER))
    if existing:
        return existing
    with translation.override("zh-hans"):
        letter = letter_build(application, key, event)
        files = [
            (f"{letter.filename_stem}.docx", letter_docx(letter), DOCX),
            (f"{letter.filename_stem}.pdf", letter_pdf(letter), "application/pdf"),
        ]
    documents = []
    for name, content, mime in files:
        document = CaseDocument(
            application=application,
            event=event,
            kind=CaseDocument.Kind.LETTER,
            name=name,
            content_type=mime,
            size=len(content),
            for_applicant=True,
        )
        extension = os.path.splitext(name)[1]
        document.file.save(f"{uuid.uuid4().hex}{extension}", ContentFile(content), save=False)
        document.save()
        documents.append(document)
    return documents


def letter_email_applicant(*, application_id: int, documents: list[CaseDocument]) -> None:
    application = Application.objects.select_related("organisation").get(pk=application_id)
    if not application.email:
        return
    pdfs = [d.pk for d in documents if d.content_type == "application/pdf"]
    title = documents[0].name if documents else ""
    tasks.send_email.call(
        subject=_("%(agency)s：关于您的政府信息公开申请 %(number)s")
        % {"agency": application.organisation.name, "number": application.number},
        body=_(
            "%(name)s：\n\n附件是关于您的政府信息公开申请（%(number)s）的文书（%(title)s），请查收。"
        )
        % {"name": application.name, "number": application.number, "title": title},
        to=[application.email],
        document_ids=pdfs,
    )


def delivery_email_send(*, application_id: int) -> int:
    """E-mail the reply letter and the information given (delivery chosen: 电子邮件)."""
    application = Application.objects.select_related("organisation").get(pk=application_id)
    closing = (
        application.events.filter(kind__in=[Kind.REPLIED, Kind.ABANDONED]).order_by("-id").first()
    )
    if closing is not None:
        letter_issue(application_id=application.pk, key=application.outcome, event_id=closing.pk)
    documents = application.documents.filter(for_applicant=True).exclude(
        kind=CaseDocument.Kind.LETTER, content_type=DOCX
    )
    if closing is not None:
        documents = documents.exclude(
            kind=CaseDocument.Kind.LETTER, event__kind__in=[Kind.FEE_NOTICE_SENT, Kind.EXTENDED]
        )
    return tasks.send_email.call(
        subject=_("%(agency)s：政府信息公开申请答复（%(number)s）")
        % {"agency": application.organisation.name, "number": application.number},
        body=_(
            "%(name)s：\n\n您的政府信息公开申请（%(number)s）已办结，答复书及所提供的信息见附件。"
        )
        % {"name": application.name, "number": application.number},
        to=[application.email],
        document_ids=[d.pk for d in documents],
    )


def load_default_letter_templates() -> int:
    """Create the letter templates that do not exist yet; an edited one is never overwritten."""
    created = 0
    with translation.override("zh-hans"):
        for key, (title, paragraphs) in DEFAULTS.items():
            _row, made = LetterTemplate.objects.get_or_create(
                key=key,
                defaults={"title": str(title), "body": "\n\n".join(str(p) for p in paragraphs)},
            )
            created += made
    return created


# ---- scheduled work ------------------------------------------------------------------------


@dataclass
class RunReport:
    done: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        return [*self.done, *self.problems]


@transaction.atomic
def application_close_if_abandoned(*, application_id: int, today: date) -> str:
    """Close one case as abandoned if its time ran out; '' if not (idempotent).

    条例第三十条: 申请人无正当理由逾期不补正的，视为放弃申请 (report row 其他处理 1).
    RULES.md §3: 逾期未按收费通知要求缴纳费用的，视为放弃申请 (report row 其他处理 2).
    """
    application = Application.objects.select_for_update().get(pk=application_id)
    clock = application_clock(application)
    if application.status == Status.AWAITING_CORRECTION:
        due, outcome = clock.correction_due_on, Outcome.OTHER_NO_CORRECTION
        reason = _("补正期限（%(due)s）届满，申请人未补正，视为放弃申请（条例第三十条）。")
    elif application.status == Status.AWAITING_FEE:
        due, outcome = clock.fee_due_on, Outcome.OTHER_FEE_UNPAID
        reason = _("缴费期限（%(due)s）届满，申请人未缴纳信息处理费，视为放弃申请。")
    else:
        return ""
    if due is None:
        if clock.error:  # the payment deadline falls in a year with no holiday schedule
            raise ValidationError(clock.error)
        return ""
    if due >= today:
        return ""
    note = reason % {"due": due.strftime("%Y-%m-%d")}
    _close(application, outcome=outcome, on=today, actor=None, kind=Kind.ABANDONED, note=note)
    return outcome


def applications_close_abandoned(*, today: date | None = None) -> RunReport:
    today = today or _today()
    report = RunReport()
    waiting = Application.objects.filter(
        status__in=[Status.AWAITING_CORRECTION, Status.AWAITING_FEE]
    ).values_list("pk", "number")
    for pk, number in waiting:
        try:
            outcome = application_close_if_abandoned(application_id=pk, today=today)
        except ValidationError as exc:
            report.problems.append(
                _("%(number)s：%(error)s") % {"number": number, "error": " ".join(exc.messages)}
            )
            continue
        if outcome:
            report.done.append(
                _("%(number)s 已视为放弃申请并办结：%(outcome)s")
                % {"number": number, "outcome": OUTCOMES[outcome].ledger_label}
            )
    return report


def deadline_reminders_send(*, today: date | None = None) -> RunReport:
    """E-mail the officers three working days before a reply is due and on the day.

    Each reminder is recorded (ReminderSent, unique per case, kind and due date) before it is
    queued, so running this twice, or on two machines at once, never sends one twice.
    """
    today = today or _today()
    report = RunReport()
    before_days = conf.get("GONGKAI_REMINDER_WORKDAYS_BEFORE")
    try:
        horizon = add_working_days(today, before_days)
    except ScheduleMissing as exc:
        report.problems.append(str(exc))
        horizon = today + timedelta(days=before_days)
    cases = (
        Application.objects.filter(
            status__in=OPEN_STATUSES, due_on__isnull=False, due_on__lte=horizon
        )
        .select_related("organisation", "assigned_to")
        .order_by("due_on", "id")
    )
    for application in cases:
        kind = ReminderSent.Kind.DUE if application.due_on <= today else ReminderSent.Kind.BEFORE
        recipients = _officer_emails(application)
        try:
            with transaction.atomic():
                ReminderSent.objects.create(
                    application=application,
                    kind=kind,
                    due_on=application.due_on,
                    recipients=", ".join(recipients),
                )
                if recipients:
                    _later(
                        tasks.send_email,
                        subject=_reminder_subject(application, kind, today),
                        body=_reminder_body(application, kind, today),
                        to=recipients,
                    )
        except IntegrityError:
            continue  # sent before
        report.done.append(
            _("%(number)s：%(kind)s（答复期限 %(due)s）已发送给 %(to)s")
            % {
                "number": application.number,
                "kind": ReminderSent.Kind(kind).label,
                "due": application.due_on.strftime("%Y-%m-%d"),
                "to": ", ".join(recipients) or _("（无收件人）"),
            }
        )
    return report


def _reminder_subject(application: Application, kind: str, today: date) -> str:
    if kind == ReminderSent.Kind.BEFORE:
        return _("【即将到期】政府信息公开申请 %(number)s 将于 %(due)s 到期") % {
            "number": application.number,
            "due": application.due_on.strftime("%Y-%m-%d"),
        }
    if application.due_on == today:
        return _("【今日到期】政府信息公开申请 %(number)s") % {"number": application.number}
    return _("【已逾期】政府信息公开申请 %(number)s") % {"number": application.number}


def _reminder_body(application: Application, kind: str, today: date) -> str:
    return _(
        "申请编号：%(number)s\n受理机关：%(agency)s\n收到日期：%(received)s\n答复期限：%(due)s\n"
        "当前状态：%(status)s\n\n请及时办理。"
    ) % {
        "number": application.number,
        "agency": application.organisation.name,
        "received": application.received_on.strftime("%Y-%m-%d"),
        "due": application.due_on.strftime("%Y-%m-%d"),
        "status": application.get_status_display(),
    }


# ---- import --------------------------------------------------------------------------------

_CHANNEL_DATE = {
    "in_person": "submitted_on",
    "post_signed": "signed_for_on",
    "letter": "confirmed_on",
    "fax": "confirmed_on",
    "online": "confirmed_on",
}


@transaction.atomic
def applications_import(*, actor=None, organisation: Organisation, rows) -> list[Application]:
    """Load validated ledger rows (importer.validate_ledger) in one transaction.

    The ledger's numbers are kept as they are (they are on letters already sent). No letter is
    issued and nothing is sent: these cases were handled before the platform existed. Rows
    dated in a locked report period are refused, all of them listed (LedgerError), and
    nothing is imported.
    """
    if actor is not None:
        require(actor, "add", Application(organisation=organisation))
    rows = list(rows)
    locked = ledger_lock_errors(organisation=organisation, rows=rows)
    if locked:
        raise LedgerError(locked)
    created = []
    for row in rows:
        application = Application(
            organisation=organisation,
            number=row.number,
            year=row.received_on.year,
            serial=None,
            secret_code=_new_code(),
            entered_via=EnteredVia.IMPORT,
            channel=row.channel,
            received_on=row.received_on,
            applicant_type=row.applicant_type,
            name=row.name,
            description=row.description,
            created_by=actor,
            **{_CHANNEL_DATE[row.channel]: row.received_on},
        )
        application.full_clean()
        application.save()
        note = _("自台账导入（第%(line)d行）") % {"line": row.line}
        _append(application, Kind.RECEIVED, row.received_on, actor=actor, note=note)
        _refresh_due(application)
        if row.outcome:
            _close(
                application,
                outcome=row.outcome,
                on=row.closed_on,
                actor=actor,
                kind=Kind.REPLIED,
                note=note,
                issue_letter=False,
            )
        created.append(application)
    return created
