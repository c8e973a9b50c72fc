"""Admin views (registered under /admin/channels/ by wagtail_hooks; Wagtail requires a login
with admin access for all of them). Each view checks the organisation scope itself and leaves
the rules to services and selectors."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from gongkai.catalogue.models import DisclosureItem
from gongkai.orgs.models import Organisation

from .. import selectors, services
from ..forms import (
    BroadcastForm,
    ChannelSelectionForm,
    IssueComposeForm,
    MarkPostedForm,
    NoticePrintForm,
)
from ..models import Broadcast, Channel, ChannelSelection, Delivery, Issue, Post
from ..permissions import (
    broadcast_policy,
    channel_policy,
    delivery_policy,
    issue_policy,
    post_policy,
    user_may,
)


def _back(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _channel_for(request, channel_id: int, kind, policy, action: str = "view") -> Channel:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    channel = get_object_or_404(
        Channel.objects.select_related("organisation"), pk=channel_id, kind__in=kinds
    )
    if not user_may(request.user, policy, action, channel.organisation_id):
        raise PermissionDenied
    return channel


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        form.add_error(None, exc)


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 1990 <= year <= 2100 else timezone.localdate().year


# --- overview -------------------------------------------------------------------------------


def index(request):
    channels = (
        channel_policy.instances_user_has_any_permission_for(request.user, ["view", "change"])
        .select_related("organisation")
        .order_by("organisation__sort_order", "organisation_id", "sort_order", "kind", "id")
    )
    failed = (
        delivery_policy.instances_user_has_any_permission_for(request.user, ["view"])
        .filter(status=Delivery.Status.FAILED)
        .count()
    )
    return render(
        request,
        "channels/admin/index.html",
        {"page_title": _("发布渠道"), "channels": channels, "failed": failed},
    )


# --- one item: choose channels, see deliveries, retry ---------------------------------------


def item_channels(request, item_id):
    item = get_object_or_404(
        DisclosureItem.objects.select_related("organisation", "category"), pk=item_id
    )
    user = request.user
    if not user_may(user, delivery_policy, "view", item.organisation_id):
        raise PermissionDenied
    can_dispatch = user_may(user, delivery_policy, "add", item.organisation_id)
    available = list(selectors.channels_for_item(item=item))
    usable = [c for c in available if user_may(user, delivery_policy, "add", c.organisation_id)]
    selected = set(ChannelSelection.objects.filter(item=item).values_list("channel_id", flat=True))
    # Channels chosen by someone with more reach stay chosen when this user saves.
    kept = [c for c in available if c.pk in selected and c not in usable]
    usable_qs = Channel.objects.filter(pk__in=[c.pk for c in usable]).order_by(
        "sort_order", "kind", "id"
    )
    if request.method == "POST":
        if not can_dispatch:
            raise PermissionDenied
        form = ChannelSelectionForm(request.POST, channels=usable_qs)
        if form.is_valid():
            result = services.channel_selection_set(
                actor=user, item=item, channels=[*form.cleaned_data["channels"], *kept]
            )
            for channel, message in result.errors:
                messages.error(request, f"{channel.name}：{message}")
            if result.added or result.removed:
                messages.success(request, _("已保存发布渠道。"))
            problem = services.item_clearance_problem(item)
            if problem and (result.added or selected):
                messages.warning(
                    request, problem + _("已保存的渠道将在信息审查通过并发布后自动发送。")
                )
            elif result.deliveries:
                messages.success(
                    request,
                    _("已提交 %(n)s 个渠道的发布，发布在后台进行，结果见下表。")
                    % {"n": len(result.deliveries)},
                )
            return redirect("channels_item", item.pk)
    else:
        form = ChannelSelectionForm(
            initial={"channels": [c.pk for c in usable if c.pk in selected]}, channels=usable_qs
        )
    return render(
        request,
        "channels/admin/item.html",
        {
            "page_title": _("发布渠道：%(title)s") % {"title": item.title},
            "item": item,
            "problem": services.item_clearance_problem(item),
            "form": form,
            "kept": kept,
            "can_dispatch": can_dispatch,
            "deliveries": selectors.item_deliveries(item=item),
            "print_form": NoticePrintForm(),
        },
    )


@require_POST
def delivery_retry(request, pk):
    delivery = get_object_or_404(Delivery.objects.select_related("channel", "item"), pk=pk)
    try:
        services.delivery_retry(actor=request.user, delivery=delivery)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(
            request, _("已重新提交“%(channel)s”的发布。") % {"channel": delivery.channel.name}
        )
    return redirect(_back(request, reverse("channels_item", args=[delivery.item_id])))


def deliveries(request):
    status = request.GET.get("status", "")
    rows = (
        delivery_policy.instances_user_has_any_permission_for(request.user, ["view"])
        .select_related("item", "channel")
        .order_by("-created_at", "-id")
    )
    if status in Delivery.Status.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, 50).get_page(request.GET.get("p"))
    return render(
        request,
        "channels/admin/deliveries.html",
        {
            "page_title": _("发布记录"),
            "page": page,
            "status": status,
            "statuses": Delivery.Status.choices,
        },
    )


@require_POST
def notice_print(request, delivery_id):
    delivery = get_object_or_404(Delivery.objects.select_related("item"), pk=delivery_id)
    form = NoticePrintForm(request.POST)
    back = _back(request, reverse("channels_item", args=[delivery.item_id]))
    if not form.is_valid():
        messages.error(request, _("份数应在 1 到 100 之间。"))
        return redirect(back)
    try:
        record, pdf = services.notice_print(
            actor=request.user, delivery=delivery, copies=form.cleaned_data["copies"]
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(back)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notice-{record.pk}.pdf"'
    return response


# --- new media outbox -----------------------------------------------------------------------


def outbox(request, channel_id):
    channel = _channel_for(request, channel_id, Channel.Kind.NEW_MEDIA, post_policy)
    posts = Paginator(
        Post.objects.filter(channel=channel)
        .select_related("item", "posted_by")
        .order_by("status", "-created_at", "-id"),
        30,
    ).get_page(request.GET.get("p"))
    return render(
        request,
        "channels/admin/outbox.html",
        {
            "page_title": _("发布稿件箱：%(channel)s") % {"channel": channel.name},
            "channel": channel,
            "limit": channel.option("max_length"),
            "page": posts,
            "can_change": user_may(request.user, post_policy, "change", channel.organisation_id),
            "form": MarkPostedForm(),
            "copied_label": _("已复制"),
        },
    )


@require_POST
def post_posted(request, pk):
    post = get_object_or_404(Post, pk=pk)
    form = MarkPostedForm(request.POST)
    if form.is_valid():
        services.post_mark_posted(
            actor=request.user, post=post, external_ref=form.cleaned_data["external_ref"]
        )
        messages.success(request, _("已记录为已发布。"))
    return redirect(_back(request, reverse("channels_outbox", args=[post.channel_id])))


# --- newspaper and magazine -----------------------------------------------------------------


def issues(request, channel_id):
    channel = _channel_for(request, channel_id, services.PAPER_KINDS, issue_policy)
    year = _year(request)
    rows = (
        Issue.objects.filter(channel=channel, date__year=year)
        .select_related("channel")
        .order_by("-date")
    )
    counts = selectors.channel_counts(organisation_ids=[channel.organisation_id], year=year)
    totals = next(r for r in counts["channels"] if r["id"] == channel.pk)
    return render(
        request,
        "channels/admin/issues.html",
        {
            "page_title": _("%(paper)s 期次") % {"paper": channel.name},
            "channel": channel,
            "year": year,
            "issues": rows,
            "totals": totals,
            "can_add": user_may(request.user, issue_policy, "add", channel.organisation_id),
        },
    )


def issue_compose(request, channel_id):
    channel = _channel_for(request, channel_id, services.PAPER_KINDS, issue_policy, "add")
    candidates = selectors.issue_candidates(channel=channel)
    if request.method == "POST":
        form = IssueComposeForm(request.POST, candidates=candidates)
        if form.is_valid():
            data = form.cleaned_data
            chosen = {i.pk: i for i in data["items"]}
            # Keep the order in which the items are listed (pending ones first).
            ordered = [chosen[c.pk] for c in candidates if c.pk in chosen]
            try:
                issue = services.issue_compose(
                    actor=request.user,
                    channel=channel,
                    number=data["number"],
                    date=data["date"],
                    copies=data["copies"],
                    page_size=data["page_size"],
                    columns=data["columns"],
                    items=ordered,
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("已组版，正在生成 PDF 和 Word 文件。"))
                return redirect("channels_issue", issue.pk)
    else:
        today = timezone.localdate()
        form = IssueComposeForm(
            candidates=candidates,
            initial={
                "number": selectors.issue_next_number(channel=channel, year=today.year),
                "date": today,
                "copies": channel.option("default_copies"),
                "page_size": channel.option("page_size"),
                "columns": channel.option("columns"),
            },
        )
    return render(
        request,
        "channels/admin/issue_compose.html",
        {
            "page_title": _("组版：%(paper)s") % {"paper": channel.name},
            "channel": channel,
            "form": form,
        },
    )


def _issue_for(request, pk, action="view") -> Issue:
    issue = get_object_or_404(Issue.objects.select_related("channel"), pk=pk)
    if not user_may(request.user, issue_policy, action, issue.channel.organisation_id):
        raise PermissionDenied
    return issue


def issue_detail(request, pk):
    issue = _issue_for(request, pk)
    return render(
        request,
        "channels/admin/issue.html",
        {
            "page_title": str(issue),
            "issue": issue,
            "appearances": issue.appearances.select_related("item", "item__category"),
            "can_change": user_may(
                request.user, issue_policy, "change", issue.channel.organisation_id
            ),
        },
    )


def issue_file(request, pk, fmt):
    issue = _issue_for(request, pk)
    stored = issue.pdf if fmt == "pdf" else issue.docx
    if not stored or not default_storage.exists(stored.name):
        raise Http404
    return FileResponse(
        default_storage.open(stored.name, "rb"),
        as_attachment=fmt == "docx",
        filename=f"{issue.channel.slug}-{issue.date:%Y%m%d}-{issue.number}.{fmt}",
    )


@require_POST
def issue_render(request, pk):
    issue = _issue_for(request, pk, "change")
    services.issue_render_retry(actor=request.user, issue=issue)
    messages.success(request, _("已重新提交生成。"))
    return redirect("channels_issue", issue.pk)


# --- TV -------------------------------------------------------------------------------------


def tv_log(request, channel_id):
    channel = _channel_for(request, channel_id, Channel.Kind.TV, broadcast_policy)
    year = _year(request)
    can_add = user_may(request.user, broadcast_policy, "add", channel.organisation_id)
    items = selectors.cleared_items_for_channel(channel=channel)
    form = BroadcastForm(request.POST or None, items=items)
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            is_item = data["kind"] == Broadcast.Kind.ITEM
            try:
                services.broadcast_record(
                    actor=request.user,
                    channel=channel,
                    aired_at=data["aired_at"],
                    duration_seconds=data["minutes"] * 60 + data["seconds"],
                    item=data["item"] if is_item else None,
                    title="" if is_item else data["title"],
                    programme=data["programme"] or "",
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("已登记。"))
                return redirect(f"{reverse('channels_tv_log', args=[channel.pk])}?year={year}")
    start, end = selectors.year_range(year)
    rows = Paginator(
        Broadcast.objects.filter(channel=channel, aired_at__gte=start, aired_at__lt=end)
        .select_related("item")
        .order_by("-aired_at", "-id"),
        100,
    ).get_page(request.GET.get("p"))
    return render(
        request,
        "channels/admin/tv_log.html",
        {
            "page_title": _("节目单：%(channel)s") % {"channel": channel.name},
            "channel": channel,
            "year": year,
            "totals": selectors.tv_totals(channel=channel, year=year),
            "page": rows,
            "form": form,
            "can_add": can_add,
        },
    )


# --- counts ---------------------------------------------------------------------------------


def counts(request):
    ids = channel_policy.org_ids_for(request.user, ["view"])
    if ids is not None and not ids:
        raise PermissionDenied
    if ids is None:
        ids = set(Organisation.objects.values_list("id", flat=True))
    year = _year(request)
    return render(
        request,
        "channels/admin/counts.html",
        {
            "page_title": _("%(year)s年各渠道发布统计") % {"year": year},
            "year": year,
            "counts": selectors.channel_counts(organisation_ids=ids, year=year),
        },
    )
