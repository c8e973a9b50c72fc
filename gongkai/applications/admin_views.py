"""The case officers' workbench in the Wagtail admin: queues, intake, the case page, actions.

Views only route: each action is a form whose cleaned data goes to one service function.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongkai.orgs.creditcode import mask_id_number
from gongkai.orgs.models import Organisation

from . import forms, services
from .deadlines import application_clock
from .letters import (
    letter_build,
    letter_docx,
    letter_event,
    letter_pdf,
    letters_available,
    template_keys,
)
from .models import Application, CaseDocument, CaseEvent, EnteredVia, Status
from .permissions import applications_visible_to, can, organisation_ids_for
from .selectors import (
    QUEUES,
    application_events,
    application_queue,
    applications_same_applicant,
    applications_similar_open,
    case_officers_for,
    is_overdue,
    queue_counts,
)
from .views import receipt_context, receipt_pdf_response

Kind = CaseEvent.Kind


def mask_phone(value: str) -> str:
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_email(value: str) -> str:
    if "@" not in value:
        return value
    local, domain = value.split("@", 1)
    return (local[:1] + "***@" + domain) if local else value


def masked(application: Application) -> dict:
    """What a staff list shows of the applicant: ID numbers and phones masked (CONVENTIONS)."""
    id_number = application.id_number
    return {
        "id_number": mask_id_number(id_number) if len(id_number) >= 10 else "*" * len(id_number),
        "phone": mask_phone(application.phone),
        "email": mask_email(application.email),
        "address": (application.address[:6] + "……") if len(application.address) > 6 else "",
    }


def _get_case(request, pk) -> Application:
    application = get_object_or_404(
        Application.objects.select_related("organisation", "assigned_to"), pk=pk
    )
    if not can(request.user, "view", application):
        raise PermissionDenied
    return application


# ---- the workbench -------------------------------------------------------------------------


def workbench(request):
    if not organisation_ids_for(request.user, "view") and not request.user.is_superuser:
        raise PermissionDenied
    today = timezone.localdate()
    within = applications_visible_to(request.user)
    queue = request.GET.get("queue", "open")
    if queue not in dict(QUEUES):
        queue = "open"
    counts = queue_counts(within=within, today=today, user=request.user)
    page = Paginator(
        application_queue(within=within, queue=queue, today=today, user=request.user), 50
    ).get_page(request.GET.get("page"))
    rows = [
        {"application": a, "masked": masked(a), "overdue": is_overdue(a, today=today)}
        for a in page.object_list
    ]
    return render(
        request,
        "applications/admin/workbench.html",
        {
            "page_title": _("依申请公开工作台"),
            "queues": [(key, label, counts[key]) for key, label in QUEUES],
            "queue": queue,
            "page": page,
            "rows": rows,
            "today": today,
            "can_add": bool(organisation_ids_for(request.user, "add")),
        },
    )


def intake(request):
    ids = organisation_ids_for(request.user, "add")
    if ids is not None and not ids:
        raise PermissionDenied
    organisations = Organisation.objects.filter(is_active=True).order_by("sort_order", "id")
    if ids is not None:
        organisations = organisations.filter(id__in=ids)
    if request.method == "POST":
        form = forms.StaffApplicationForm(request.POST, request.FILES, organisations=organisations)
        if form.is_valid():
            try:
                application = services.application_receive(
                    actor=request.user,
                    organisation=form.cleaned_data["organisation"],
                    entered_via=EnteredVia.STAFF,
                    channel=form.cleaned_data["channel"],
                    submitted_on=form.cleaned_data["submitted_on"],
                    signed_for_on=form.cleaned_data["signed_for_on"],
                    confirmed_on=form.cleaned_data["confirmed_on"],
                    **form.applicant_data(),
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(
                    request,
                    _("已登记申请 %(number)s。请打印回执交申请人。")
                    % {"number": application.number},
                )
                return redirect("applications_admin:case", pk=application.pk)
    else:
        form = forms.StaffApplicationForm(
            organisations=organisations,
            initial={"organisation": organisations.first(), "submitted_on": timezone.localdate()},
        )
    return render(
        request,
        "applications/admin/intake.html",
        {"page_title": _("登记政府信息公开申请"), "form": form},
    )


# ---- the case page and its actions ---------------------------------------------------------


@dataclass
class Action:
    label: str
    form_class: type
    service: callable
    permission: str = "change"
    statuses: tuple = tuple(s for s in Status if s != Status.CLOSED)

    def available(self, application: Application, allowed: set[str]) -> bool:
        return application.status in self.statuses and self.permission in allowed


OPEN = (Status.NEW, Status.IN_PROGRESS)
ACTIONS = {
    "assign": Action(gettext_lazy("指定经办人"), forms.AssignForm, services.application_assign),
    "request_correction": Action(
        gettext_lazy("发出补正通知"),
        forms.CorrectionRequestForm,
        services.application_request_correction,
        statuses=OPEN,
    ),
    "receive_correction": Action(
        gettext_lazy("登记收到补正"),
        forms.CorrectionReceivedForm,
        services.application_receive_correction,
        statuses=(Status.AWAITING_CORRECTION,),
    ),
    "consult": Action(
        gettext_lazy("征求意见"),
        forms.ConsultForm,
        services.application_consult,
        statuses=(*OPEN, Status.AWAITING_FEE),
    ),
    "end_consultation": Action(
        gettext_lazy("征求意见结束"),
        forms.EndConsultationForm,
        services.application_end_consultation,
    ),
    "fee_notice": Action(
        gettext_lazy("发出收费通知"),
        forms.FeeNoticeForm,
        services.application_send_fee_notice,
        statuses=OPEN,
    ),
    "fee_notice_received": Action(
        gettext_lazy("登记收费通知送达"),
        forms.FeeNoticeReceivedForm,
        services.application_record_fee_notice_received,
        statuses=(Status.AWAITING_FEE,),
    ),
    "fee_paid": Action(
        gettext_lazy("登记缴费"),
        forms.FeePaidForm,
        services.application_record_fee_paid,
        statuses=(Status.AWAITING_FEE,),
    ),
    "extend": Action(
        gettext_lazy("批准延长答复期限"),
        forms.ExtendForm,
        services.application_extend,
        permission="approve",
        statuses=(*OPEN, Status.AWAITING_FEE),
    ),
    "reply": Action(gettext_lazy("作出答复"), forms.ReplyForm, services.application_reply),
    "attach": Action(
        gettext_lazy("附上提供的信息"),
        forms.AttachForm,
        services.application_attach_information,
        statuses=tuple(Status),
    ),
    "deliver": Action(
        gettext_lazy("登记送达"),
        forms.DeliverForm,
        services.application_deliver,
        statuses=(Status.CLOSED,),
    ),
    "note": Action(
        gettext_lazy("添加备注"),
        forms.NoteForm,
        services.application_add_note,
        statuses=tuple(Status),
    ),
}


def _open_consultations(application: Application):
    return application.events.filter(
        kind__in=[Kind.THIRD_PARTY_SENT, Kind.AGENCY_CONSULTED], closed_by__isnull=True
    )


def _make_form(name: str, application: Application, data=None, files=None):
    action = ACTIONS[name]
    kwargs = {"prefix": name}
    today = timezone.localdate()
    if name == "assign":
        kwargs["officers"] = case_officers_for(application=application)
    if name == "end_consultation":
        kwargs["consultations"] = _open_consultations(application)
    initial = {
        field: today
        for field, f in action.form_class.base_fields.items()
        if isinstance(f, forms.forms.DateField) and f.required
    }
    if name == "deliver":
        initial["method"] = application.delivery
    return action.form_class(data=data, files=files, initial=initial, **kwargs)


def _available_forms(application: Application, allowed: set[str], bound=None) -> list[dict]:
    shown = []
    for name, action in ACTIONS.items():
        if not action.available(application, allowed):
            continue
        if name == "end_consultation" and not _open_consultations(application).exists():
            continue
        form = (
            bound if bound is not None and bound.prefix == name else _make_form(name, application)
        )
        shown.append({"name": name, "label": action.label, "form": form})
    return shown


def _case_page(request, application: Application, *, bound=None, revealed=False, status=200):
    today = timezone.localdate()
    within = applications_visible_to(request.user)
    events = list(application_events(application=application))
    clock = application_clock(application, events)
    allowed = {p for p in ("change", "approve", "reveal") if can(request.user, p, application)}
    return render(
        request,
        "applications/admin/case.html",
        {
            "page_title": _("申请 %(number)s") % {"number": application.number},
            "application": application,
            "masked": masked(application),
            "revealed": revealed,
            "can_reveal": "reveal" in allowed,
            "clock": clock,
            "overdue": is_overdue(application, today=today),
            "events": events,
            "documents": application.documents.select_related("uploaded_by").order_by("id"),
            "actions": _available_forms(application, allowed, bound=bound),
            "same_applicant": applications_same_applicant(application=application, within=within),
            "similar": applications_similar_open(application=application, within=within),
            "letters": [
                {"key": key, "label": label}
                for key, label in letters_available(application, events)
            ],
            "today": today,
        },
        status=status,
    )


def case(request, pk):
    return _case_page(request, _get_case(request, pk))


@require_POST
def case_reveal(request, pk):
    application = _get_case(request, pk)
    services.application_reveal_personal_data(actor=request.user, application=application)
    return _case_page(request, application, revealed=True)


@require_POST
def case_action(request, pk, action):
    application = _get_case(request, pk)
    if action not in ACTIONS:
        raise Http404
    spec = ACTIONS[action]
    if not can(request.user, spec.permission, application):
        raise PermissionDenied
    form = _make_form(action, application, data=request.POST, files=request.FILES)
    if form.is_valid():
        try:
            spec.service(actor=request.user, application=application, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("已完成：%(action)s。") % {"action": spec.label})
            return redirect(reverse("applications_admin:case", args=[application.pk]))
    application.refresh_from_db()
    return _case_page(request, application, bound=form, status=400)


def case_letter(request, pk, key, fmt):
    """Download a letter rendered from the current template (the issued copy is on file)."""
    application = _get_case(request, pk)
    if key not in dict(template_keys()) or fmt not in ("docx", "pdf"):
        raise Http404
    event = letter_event(application, key)
    letter = letter_build(application, key, event)
    if fmt == "docx":
        content = letter_docx(letter)
        mime = services.DOCX
    else:
        content = letter_pdf(letter)
        mime = "application/pdf"
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{letter.filename_stem}.{fmt}"'
    return response


def case_document(request, pk, document_pk):
    application = _get_case(request, pk)
    document = get_object_or_404(CaseDocument, pk=document_pk, application=application)
    if document.kind == CaseDocument.Kind.PROOF and not can(request.user, "reveal", application):
        raise PermissionDenied
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.name,
        content_type=document.content_type,
    )


def case_receipt(request, pk):
    application = _get_case(request, pk)
    context = receipt_context(application)
    context["page_title"] = _("申请回执 %(number)s") % {"number": application.number}
    return render(request, "applications/admin/receipt.html", context)


def case_receipt_pdf(request, pk):
    return receipt_pdf_response(_get_case(request, pk))
