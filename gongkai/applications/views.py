"""Public pages at /apply/: the application form, the receipt, and tracking a case.

No account is needed. What an applicant may see of a case is decided by the case number and
its secret code, kept in the session after a successful look-up.
"""

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import ratelimit
from .forms import PublicApplicationForm, TrackForm
from .letters import html_to_pdf
from .models import Application, ApplicationDesk, CaseDocument, Channel, EnteredVia
from .selectors import (
    PUBLIC_STATUS,
    application_events,
    application_for_tracking,
    published_items_matching,
)
from .services import application_receive, tracking_url

RECEIPT_KEY = "applications_receipt"
TRACKED_KEY = "applications_tracked"


def _limited(request, message):
    return render(request, "applications/public/limited.html", {"message": message}, status=429)


def start(request):
    desks = list(
        ApplicationDesk.objects.filter(accepts_online=True, organisation__is_active=True)
        .select_related("organisation")
        .order_by("organisation__sort_order", "organisation_id")
    )
    if len(desks) == 1:
        return redirect("applications:apply", code=desks[0].organisation.code)
    return render(request, "applications/public/start.html", {"desks": desks})


@require_http_methods(["GET", "POST"])
def apply(request, code):
    desk = get_object_or_404(
        ApplicationDesk.objects.select_related("organisation"),
        organisation__code=code,
        accepts_online=True,
        organisation__is_active=True,
    )
    status = 200
    published_matches = None
    if request.method == "POST" and request.POST.get("check_published"):
        # Before submitting, the applicant sees what is already published and may stop there
        # (条例第三十六条第一项: already-disclosed information is answered by saying where it is).
        # Nothing is validated or saved here; what was typed is shown again as typed.
        form = PublicApplicationForm(initial=request.POST.dict())
        published_matches = published_items_matching(
            text=request.POST.get("description", ""),
            document_number=request.POST.get("document_number", ""),
        )
    elif request.method == "POST":
        ip = ratelimit.client_ip(request)
        if not ratelimit.hit(f"apply-attempt:{ip}", "GONGKAI_APPLY_ATTEMPT_RATE_LIMIT"):
            return _limited(request, _("提交次数过多，请一小时后再试。"))
        form = PublicApplicationForm(request.POST, request.FILES)
        if form.is_valid():
            if not ratelimit.hit(f"apply:{ip}", "GONGKAI_APPLY_RATE_LIMIT"):
                form.add_error(
                    None, _("同一网络地址提交申请过于频繁，请稍后再试，或者到办公地点当面提交。")
                )
                status = 429
            else:
                try:
                    # 条例第三十一条（三）: online, the date both sides confirm. The platform
                    # confirms at once by issuing the numbered receipt, so that date is today.
                    application = application_receive(
                        organisation=desk.organisation,
                        entered_via=EnteredVia.PUBLIC_FORM,
                        channel=Channel.ONLINE,
                        confirmed_on=timezone.localdate(),
                        **form.applicant_data(),
                    )
                except ValidationError as exc:
                    form.add_service_errors(exc)
                else:
                    request.session[RECEIPT_KEY] = application.pk
                    return redirect("applications:receipt")
    else:
        form = PublicApplicationForm()
    form.new_captcha()
    return render(
        request,
        "applications/public/apply.html",
        {
            "form": form,
            "desk": desk,
            "organisation": desk.organisation,
            "published_matches": published_matches,
        },
        status=status,
    )


def _receipt_application(request) -> Application:
    pk = request.session.get(RECEIPT_KEY)
    if not pk:
        raise Http404
    return get_object_or_404(Application.objects.select_related("organisation"), pk=pk)


def receipt_context(application: Application) -> dict:
    return {
        "application": application,
        "organisation": application.organisation,
        "tracking_url": tracking_url(),
        "printed_at": timezone.localtime(),
    }


def receipt(request):
    application = _receipt_application(request)
    return render(request, "applications/public/receipt.html", receipt_context(application))


def receipt_pdf_response(application: Application) -> HttpResponse:
    html = render_to_string("applications/receipt_pdf.html", receipt_context(application))
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{application.number}-receipt.pdf"'
    return response


def receipt_pdf(request):
    return receipt_pdf_response(_receipt_application(request))


@require_http_methods(["GET", "POST"])
def track(request):
    application = None
    status = 200
    if request.method == "POST":
        ip = ratelimit.client_ip(request)
        if not ratelimit.hit(f"track:{ip}", "GONGKAI_TRACK_RATE_LIMIT"):
            return _limited(request, _("查询次数过多，请一小时后再试。"))
        form = TrackForm(request.POST)
        if form.is_valid():
            application = application_for_tracking(
                number=form.cleaned_data["number"], code=form.cleaned_data["code"]
            )
            if application is None:
                form.add_error(None, _("申请编号或查询码不正确，请核对回执后重新输入。"))
                status = 404
            else:
                tracked = [
                    pk for pk in request.session.get(TRACKED_KEY, []) if pk != application.pk
                ]
                request.session[TRACKED_KEY] = [*tracked[-9:], application.pk]
    else:
        form = TrackForm()
    if application is None:
        return render(request, "applications/public/track.html", {"form": form}, status=status)
    return render(
        request,
        "applications/public/status.html",
        {
            "application": application,
            "status_label": PUBLIC_STATUS[application.status],
            "events": application_events(application=application, public_only=True),
            "documents": application.documents.filter(for_applicant=True).order_by("id"),
        },
    )


def track_document(request, pk):
    document = get_object_or_404(CaseDocument, pk=pk, for_applicant=True)
    if document.application_id not in request.session.get(TRACKED_KEY, []):
        raise Http404
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.name,
        content_type=document.content_type,
    )
