"""Writes for channels: the gate, dispatch, delivery attempts, issues, the TV log, posts,
printed notices and press records.

Everything that puts an item on a channel goes through `dispatch_create`, and
`dispatch_create` refuses an item that `item_is_cleared_for_channels` does not clear
(ARCHITECTURE.md: "Nothing reaches a public channel without passing review. There is no code
path around it."). Issue appearances, broadcasts, posts and printed notices each point at the
Delivery that gate created.
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from gongkai.catalogue.models import DisclosureItem
from gongkai.orgs.selectors import organisation_ancestors
from gongkai.review.clearance import revision_is_cleared

from . import integrations
from .models import (
    Broadcast,
    Channel,
    ChannelSelection,
    Delivery,
    Issue,
    IssueAppearance,
    NewsRelease,
    NoticePrint,
    OutsideArticle,
    Post,
    PressConference,
)
from .permissions import (
    broadcast_policy,
    delivery_policy,
    issue_policy,
    news_release_policy,
    notice_print_policy,
    outside_article_policy,
    post_policy,
    press_conference_policy,
    user_may,
)

logger = logging.getLogger(__name__)

# A worker that claimed a delivery and has not finished within this time is taken to have
# died; the slowest sender (a newspaper-sized PDF) takes well under a minute.
CLAIM_LEASE = timedelta(minutes=15)
BACKOFF_FIRST = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=6)


# --- the gate -------------------------------------------------------------------------------


def item_is_cleared_for_channels(item: DisclosureItem) -> bool:
    """May this item go out on a public channel now?

    It is public (live, not withdrawn), proactively disclosed, what is live is exactly the
    approved revision (nothing edited since), and the confidentiality review cleared that very
    revision (`gongkai.review.clearance.revision_is_cleared(item.live_revision_id)`: a review
    workflow approved it). Keep this the only place the rule is written.
    """
    return item_clearance_problem(item) is None


def item_clearance_problem(item: DisclosureItem) -> str | None:
    """Why the item may not go out, in words for the editor; None if it may."""
    if item.withdrawn_at is not None:
        return _("该信息已撤回，不能发布到任何渠道。")
    if not item.live or item.live_revision_id is None:
        return _("该信息尚未通过审查发布，不能发布到任何渠道。")
    if not revision_is_cleared(item.live_revision_id):
        return _("该信息公开的版本未经保密审查和审批，不能发布到任何渠道。")
    if item.has_unpublished_changes:
        return _("该信息有未经审查发布的修改，须审查通过后才能发布到渠道。")
    if item.disclosure_mode != DisclosureItem.DisclosureMode.PROACTIVE:
        return _("只有主动公开的信息才能发布到公开渠道。")
    return None


def channel_serves_item(*, channel: Channel, item: DisclosureItem) -> bool:
    """A channel carries the information of its own organisation and of those below it."""
    if channel.organisation_id == item.organisation_id:
        return True
    return channel.organisation_id in {
        o.pk for o in organisation_ancestors(organisation=item.organisation)
    }


@transaction.atomic
def dispatch_create(
    *, actor, item: DisclosureItem, channel: Channel, enqueue: bool = True
) -> Delivery:
    """Send the item's approved revision to a channel. The one way onto any channel.

    Idempotent: asking again for the same revision returns the same Delivery. `actor` None is
    the system acting on a choice an editor already made (see receivers.item_published).
    """
    # Lock and re-read: never trust an item object that may be stale (withdrawn meanwhile).
    item = DisclosureItem.objects.select_for_update().select_related("organisation").get(pk=item.pk)
    channel = Channel.objects.select_related("organisation").get(pk=channel.pk)
    if actor is not None and not user_may(
        actor, delivery_policy, "add", item.organisation_id, channel.organisation_id
    ):
        raise PermissionDenied(_("您无权把该信息发布到“%(channel)s”。") % {"channel": channel})
    problem = item_clearance_problem(item)
    if problem:
        raise ValidationError(problem, code="not_cleared")
    if not channel.active:
        raise ValidationError(
            _("渠道“%(channel)s”已停用。") % {"channel": channel}, code="inactive"
        )
    if not channel_serves_item(channel=channel, item=item):
        raise ValidationError(
            _("渠道“%(channel)s”不属于该信息的所属组织或其上级。") % {"channel": channel},
            code="wrong_organisation",
        )
    delivery, created = Delivery.objects.get_or_create(
        item=item,
        channel=channel,
        revision_id=item.live_revision_id,
        defaults={"requested_by": actor, "max_attempts": channel.option("max_attempts")},
    )
    if created:
        log(
            item,
            "gongkai.channels.dispatch",
            user=actor,
            data={"channel": channel.name, "channel_id": channel.pk, "delivery_id": delivery.pk},
        )
        if enqueue:
            transaction.on_commit(lambda: delivery_enqueue(delivery_id=delivery.pk))
    return delivery


@dataclass
class SelectionResult:
    added: list[Channel] = field(default_factory=list)
    removed: list[Channel] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    errors: list[tuple[Channel, str]] = field(default_factory=list)


def channel_selection_set(*, actor, item: DisclosureItem, channels) -> SelectionResult:
    """Store the channels chosen for an item and, if it is cleared, send it to them now.

    A channel the actor may not use, or that refuses, is reported and never stops the others.
    """
    if not user_may(actor, delivery_policy, "add", item.organisation_id):
        raise PermissionDenied(_("您无权为该信息选择发布渠道。"))
    wanted = {c.pk: c for c in channels}
    result = SelectionResult()
    with transaction.atomic():
        current = {
            s.channel_id: s
            for s in ChannelSelection.objects.select_related("channel").filter(item=item)
        }
        for channel_id, channel in wanted.items():
            if channel_id in current:
                continue
            if not user_may(actor, delivery_policy, "add", channel.organisation_id):
                result.errors.append((channel, _("您无权使用该渠道。")))
                continue
            if not channel_serves_item(channel=channel, item=item):
                result.errors.append((channel, _("该渠道不属于该信息的所属组织或其上级。")))
                continue
            ChannelSelection.objects.create(item=item, channel=channel, selected_by=actor)
            result.added.append(channel)
        for channel_id, selection in current.items():
            if channel_id in wanted:
                continue
            if not user_may(actor, delivery_policy, "add", selection.channel.organisation_id):
                result.errors.append((selection.channel, _("您无权取消该渠道。")))
                continue
            selection.delete()
            result.removed.append(selection.channel)
        if result.added or result.removed:
            log(
                item,
                "gongkai.channels.select",
                user=actor,
                data={
                    "added": [c.name for c in result.added],
                    "removed": [c.name for c in result.removed],
                },
            )
    if item_is_cleared_for_channels(item):
        chosen = Channel.objects.filter(selections__item=item).order_by("sort_order", "id")
        for channel in chosen:
            try:
                result.deliveries.append(dispatch_create(actor=actor, item=item, channel=channel))
            except (ValidationError, PermissionDenied) as exc:
                result.errors.append((channel, _message(exc)))
    return result


def item_dispatch_selected(*, item_id: int) -> list[Delivery]:
    """Send an item's approved revision to every channel chosen for it (system action).

    One channel refusing never stops the others; each dispatch is its own transaction.
    """
    deliveries = []
    selections = ChannelSelection.objects.filter(item_id=item_id).select_related("channel", "item")
    for selection in selections:
        try:
            deliveries.append(
                dispatch_create(actor=None, item=selection.item, channel=selection.channel)
            )
        except ValidationError as exc:
            logger.info("item %s not sent to %s: %s", item_id, selection.channel, _message(exc))
        except Exception:
            logger.exception("item %s: dispatch to %s failed", item_id, selection.channel)
    return deliveries


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(str(m) for m in exc.messages)
    return str(exc) or exc.__class__.__name__


# --- delivery attempts ----------------------------------------------------------------------


def delivery_enqueue(*, delivery_id: int, run_after=None) -> None:
    """Hand a delivery to the task queue. If the queue is down the row stays queued and
    `manage.py retry_deliveries` picks it up; the editor's save is never lost for it."""
    from .tasks import deliver

    task = deliver
    try:
        if run_after is not None:
            if not task.get_backend().supports_defer:
                return  # retry_deliveries will run it when it is due
            task = task.using(run_after=run_after)
        task.enqueue(delivery_id=delivery_id)
    except Exception:
        logger.exception("could not enqueue delivery %s", delivery_id)


def delivery_claim(*, delivery_id: int, now=None) -> bool:
    """Take a delivery for sending. True for exactly one caller, however many race."""
    now = now or timezone.now()
    claimed = Delivery.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        id=delivery_id,
        status__in=[Delivery.Status.QUEUED, Delivery.Status.FAILED],
        attempts__lt=F("max_attempts"),
    ).update(
        status=Delivery.Status.SENDING,
        claimed_at=now,
        attempts=F("attempts") + 1,
        next_attempt_at=None,
    )
    return claimed == 1


def delivery_attempt(*, delivery_id: int) -> Delivery | None:
    """Claim and send one delivery. Returns it afterwards, or None if it was not ours."""
    if not delivery_claim(delivery_id=delivery_id):
        return None
    return delivery_send_claimed(delivery_id=delivery_id)


def delivery_send_claimed(*, delivery_id: int) -> Delivery:
    delivery = Delivery.objects.select_related(
        "item",
        "item__organisation",
        "item__category",
        "channel",
        "channel__organisation",
        "channel__column",
    ).get(pk=delivery_id)
    if delivery.status != Delivery.Status.SENDING:
        return delivery
    if delivery.external_id:
        # The other side already has it (recorded before a crash): do not send it again.
        _mark_sent(delivery)
        return _reload(delivery)
    problem = _no_longer_current(delivery)
    if problem:
        Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
            status=Delivery.Status.CANCELLED, last_error=problem
        )
        return _reload(delivery)
    try:
        sent = integrations.send(delivery)
    except Exception as exc:
        # Whatever goes wrong with one channel is recorded on its delivery and shown to the
        # editor; it never propagates, so no other channel's delivery waits on it.
        _mark_failed(delivery, exc)
        return _reload(delivery)
    # Record what the other side gave us *before* marking sent: a worker dying between the
    # two leaves a row that recovery marks sent without sending again.
    Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
        external_id=sent.external_id[:200], output_ref=sent.output_ref[:500]
    )
    _mark_sent(delivery)
    return _reload(delivery)


def _reload(delivery: Delivery) -> Delivery:
    delivery.refresh_from_db()
    return delivery


def _no_longer_current(delivery: Delivery) -> str | None:
    item = DisclosureItem.objects.get(pk=delivery.item_id)
    problem = item_clearance_problem(item)
    if problem:
        return problem
    if item.live_revision_id != delivery.revision_id:
        return _("已有更新的审查通过版本，本版本不再发送。")
    if not delivery.channel.active:
        return _("渠道已停用。")
    return None


def _mark_sent(delivery: Delivery) -> None:
    Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), last_error=""
    )


def backoff(attempts: int) -> timedelta:
    """1 min, 4 min, 16 min, 64 min, … at most 6 hours."""
    return min(BACKOFF_FIRST * (4 ** max(attempts - 1, 0)), BACKOFF_MAX)


def _mark_failed(delivery: Delivery, exc: Exception) -> None:
    if isinstance(exc, integrations.DeliveryError):
        reason = str(exc)
    else:
        logger.exception("delivery %s to %s failed", delivery.pk, delivery.channel)
        reason = _("内部错误：%(error)s") % {"error": f"{exc.__class__.__name__}: {exc}"}
    attempts = Delivery.objects.values_list("attempts", flat=True).get(pk=delivery.pk)
    next_at = timezone.now() + backoff(attempts) if attempts < delivery.max_attempts else None
    Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.FAILED, last_error=reason[:2000], next_attempt_at=next_at
    )
    if next_at is not None:
        transaction.on_commit(lambda: delivery_enqueue(delivery_id=delivery.pk, run_after=next_at))


def deliveries_recover(*, now=None, lease: timedelta = CLAIM_LEASE) -> int:
    """Deliveries whose worker died mid-way: finish or re-queue them, never send twice.

    If the external id was recorded, the other side has it: mark sent. Otherwise we cannot
    know whether it arrived, so it is sent again with the same idempotency key, which the
    receiver uses to ignore a copy it already has.
    """
    now = now or timezone.now()
    stale = Delivery.objects.filter(status=Delivery.Status.SENDING, claimed_at__lt=now - lease)
    recovered = 0
    for row in stale.values("id", "external_id", "claimed_at", "attempts", "max_attempts"):
        same_claim = Delivery.objects.filter(
            id=row["id"], status=Delivery.Status.SENDING, claimed_at=row["claimed_at"]
        )
        if row["external_id"]:
            recovered += same_claim.update(status=Delivery.Status.SENT, sent_at=now, last_error="")
        else:
            recovered += same_claim.update(
                status=Delivery.Status.FAILED,
                last_error=_("发送过程中断（工作进程退出），将用同一幂等键重新发送。"),
                next_attempt_at=None,  # due at once
                # The crash was not the channel's fault: it does not use up the last attempt.
                max_attempts=max(row["max_attempts"], row["attempts"] + 1),
            )
    return recovered


def deliveries_due(*, now=None) -> list[int]:
    now = now or timezone.now()
    return list(
        Delivery.objects.filter(
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
            status__in=[Delivery.Status.QUEUED, Delivery.Status.FAILED],
            attempts__lt=F("max_attempts"),
        )
        .order_by("created_at", "id")
        .values_list("id", flat=True)
    )


def deliveries_retry_due(*, inline: bool = False) -> dict[str, int]:
    """Recover deliveries whose worker died, then send (inline) or enqueue whatever is due."""
    counts = {"recovered": deliveries_recover(), "due": 0, "sent": 0, "failed": 0}
    for delivery_id in deliveries_due():
        counts["due"] += 1
        if not inline:
            delivery_enqueue(delivery_id=delivery_id)
            continue
        delivery = delivery_attempt(delivery_id=delivery_id)
        if delivery is not None and delivery.status == Delivery.Status.SENT:
            counts["sent"] += 1
        elif delivery is not None and delivery.status == Delivery.Status.FAILED:
            counts["failed"] += 1
    return counts


@transaction.atomic
def delivery_retry(*, actor, delivery: Delivery) -> Delivery:
    """The editor's retry button: a failed delivery gets a fresh set of attempts."""
    delivery = Delivery.objects.select_for_update().select_related("channel").get(pk=delivery.pk)
    if not delivery_policy.user_has_permission_for_instance(actor, "change", delivery):
        raise PermissionDenied(_("您无权重试该发布。"))
    if delivery.status != Delivery.Status.FAILED:
        raise ValidationError(_("只有失败的发布可以重试。"), code="not_failed")
    delivery.status = Delivery.Status.QUEUED
    delivery.next_attempt_at = None
    delivery.max_attempts = delivery.attempts + delivery.channel.option("max_attempts")
    delivery.save(update_fields=["status", "next_attempt_at", "max_attempts"])
    log(
        delivery.item,
        "gongkai.channels.retry",
        user=actor,
        data={"channel": delivery.channel.name, "delivery_id": delivery.pk},
    )
    transaction.on_commit(lambda: delivery_enqueue(delivery_id=delivery.pk))
    return delivery


# --- newspaper and magazine -----------------------------------------------------------------

PAPER_KINDS = (Channel.Kind.NEWSPAPER, Channel.Kind.MAGAZINE)


@transaction.atomic
def issue_compose(
    *,
    actor,
    channel: Channel,
    number: int,
    date,
    items,
    copies: int | None = None,
    page_size: str | None = None,
    columns: int | None = None,
) -> Issue:
    """Compose an issue from cleared items and queue its PDF and Word files."""
    if channel.kind not in PAPER_KINDS:
        raise ValidationError(_("只有报纸和杂志可以组版。"))
    if not user_may(actor, issue_policy, "add", channel.organisation_id):
        raise PermissionDenied(_("您无权为“%(channel)s”组版。") % {"channel": channel})
    items = list(items)
    errors = {}
    if not items:
        errors["items"] = _("请至少选择一条信息。")
    if len({i.pk for i in items}) != len(items):
        errors["items"] = _("同一条信息在一期中只能刊登一次。")
    if number < 1:
        errors["number"] = _("期号应为正整数。")
    if Issue.objects.filter(channel=channel, date__year=date.year, number=number).exists():
        errors["number"] = _("%(year)s年第%(number)s期已经存在。") % {
            "year": date.year,
            "number": number,
        }
    if Issue.objects.filter(channel=channel, date=date).exists():
        errors["date"] = _("该报刊当天已有一期。")
    if errors:
        raise ValidationError(errors)
    refused = []
    deliveries = []
    for item in items:
        try:
            deliveries.append(dispatch_create(actor=actor, item=item, channel=channel))
        except ValidationError as exc:
            refused.append(f"“{item.title}”：{_message(exc)}")
    if refused:
        raise ValidationError({"items": refused})
    issue = Issue.objects.create(
        channel=channel,
        number=number,
        date=date,
        copies=channel.option("default_copies") if copies is None else copies,
        page_size=page_size or channel.option("page_size"),
        columns=columns or channel.option("columns"),
        composed_by=actor,
    )
    IssueAppearance.objects.bulk_create(
        IssueAppearance(issue=issue, item_id=d.item_id, delivery=d, position=n)
        for n, d in enumerate(deliveries)
    )
    log(issue, "wagtail.create", user=actor)
    transaction.on_commit(lambda: issue_render_enqueue(issue_id=issue.pk))
    return issue


def issue_render_enqueue(*, issue_id: int) -> None:
    from .tasks import render_issue

    try:
        render_issue.enqueue(issue_id=issue_id)
    except Exception:
        logger.exception("could not enqueue rendering of issue %s", issue_id)


def _store(path: str, content: bytes) -> str:
    if default_storage.exists(path):
        default_storage.delete(path)
    return default_storage.save(path, ContentFile(content))


def issue_render(*, issue_id: int) -> Issue:
    """Build the issue's PDF and Word files. A failure is recorded on the issue, not raised."""
    from .integrations.newspaper import issue_docx, issue_pdf

    issue = Issue.objects.select_related("channel", "channel__organisation").get(pk=issue_id)
    stem = f"channels/issues/{issue.channel.slug}-{issue.date:%Y%m%d}-{issue.number}"
    try:
        pdf_name = _store(f"{stem}.pdf", issue_pdf(issue))
        docx_name = _store(f"{stem}.docx", issue_docx(issue))
    except Exception as exc:
        logger.exception("issue %s could not be rendered", issue_id)
        Issue.objects.filter(pk=issue_id).update(
            render_status=Issue.RenderStatus.FAILED,
            render_error=f"{exc.__class__.__name__}: {exc}"[:2000],
        )
    else:
        Issue.objects.filter(pk=issue_id).update(
            pdf=pdf_name,
            docx=docx_name,
            render_status=Issue.RenderStatus.DONE,
            render_error="",
            rendered_at=timezone.now(),
        )
    issue.refresh_from_db()
    return issue


def issue_render_retry(*, actor, issue: Issue) -> None:
    if not user_may(actor, issue_policy, "change", issue.channel.organisation_id):
        raise PermissionDenied(_("您无权重新生成该期版面。"))
    Issue.objects.filter(pk=issue.pk).update(render_status=Issue.RenderStatus.PENDING)
    transaction.on_commit(lambda: issue_render_enqueue(issue_id=issue.pk))


# --- TV -------------------------------------------------------------------------------------


@transaction.atomic
def broadcast_record(
    *,
    actor,
    channel: Channel,
    aired_at,
    duration_seconds: int,
    item: DisclosureItem | None = None,
    title: str = "",
    programme: str = "",
) -> Broadcast:
    """A line of the broadcast log: an item (which must be cleared) or a public-service advert."""
    if channel.kind != Channel.Kind.TV:
        raise ValidationError(_("只有电视台渠道有节目单。"))
    if not user_may(actor, broadcast_policy, "add", channel.organisation_id):
        raise PermissionDenied(_("您无权登记“%(channel)s”的节目单。") % {"channel": channel})
    errors = {}
    if not 0 < duration_seconds <= 24 * 3600:
        errors["duration_seconds"] = _("时长应在 1 秒到 24 小时之间。")
    if item is None and not title.strip():
        errors["title"] = _("公益广告须填写标题。")
    if errors:
        raise ValidationError(errors)
    delivery = None
    if item is not None:
        delivery = dispatch_create(actor=actor, item=item, channel=channel)
        title = item.title
    broadcast = Broadcast.objects.create(
        channel=channel,
        kind=Broadcast.Kind.ITEM if item else Broadcast.Kind.ADVERT,
        item=item,
        delivery=delivery,
        title=title.strip(),
        programme=programme.strip() or channel.option("programme"),
        aired_at=aired_at,
        duration_seconds=duration_seconds,
        recorded_by=actor,
    )
    log(broadcast, "wagtail.create", user=actor)
    return broadcast


# --- new media ------------------------------------------------------------------------------


@transaction.atomic
def post_mark_posted(*, actor, post: Post, external_ref: str = "") -> Post:
    """Record that the outbox text was posted by hand on the platform."""
    post = Post.objects.select_for_update().select_related("channel").get(pk=post.pk)
    if not user_may(actor, post_policy, "change", post.channel.organisation_id):
        raise PermissionDenied(_("您无权操作该账号的发布稿。"))
    if post.status == Post.Status.POSTED:
        return post
    post.status = Post.Status.POSTED
    post.posted_at = timezone.now()
    post.posted_by = actor
    post.external_ref = external_ref.strip()[:500]
    post.save(update_fields=["status", "posted_at", "posted_by", "external_ref"])
    log(post, "wagtail.edit", user=actor, data={"posted": True})
    return post


# --- notice boards --------------------------------------------------------------------------


@transaction.atomic
def notice_print(*, actor, delivery: Delivery, copies: int = 1) -> tuple[NoticePrint, bytes]:
    """Print the A4 notice of a delivered item for its board, and record who printed it."""
    from .integrations.notice_board import notice_pdf

    delivery = Delivery.objects.select_related("channel", "item", "item__organisation").get(
        pk=delivery.pk
    )
    channel = delivery.channel
    if channel.kind != Channel.Kind.NOTICE_BOARD:
        raise ValidationError(_("只有公告栏渠道可以打印公告。"))
    if not user_may(actor, notice_print_policy, "add", channel.organisation_id):
        raise PermissionDenied(_("您无权为“%(channel)s”打印公告。") % {"channel": channel})
    if not 1 <= copies <= 100:
        raise ValidationError({"copies": _("份数应在 1 到 100 之间。")})
    # The gate again, at the moment of printing: a withdrawn or re-edited item is not printed.
    problem = _no_longer_current(delivery)
    if problem or delivery.status == Delivery.Status.CANCELLED:
        raise ValidationError(problem or delivery.last_error, code="not_cleared")
    pdf = None
    if delivery.status == Delivery.Status.SENT and delivery.output_ref:
        if default_storage.exists(delivery.output_ref):
            with default_storage.open(delivery.output_ref, "rb") as stored:
                pdf = stored.read()
    if pdf is None:
        pdf = notice_pdf(item=delivery.item, channel=channel)
    record = NoticePrint.objects.create(
        channel=channel, item=delivery.item, delivery=delivery, copies=copies, printed_by=actor
    )
    log(
        delivery.item,
        "gongkai.channels.notice_print",
        user=actor,
        data={"channel": channel.name, "copies": copies},
    )
    return record, pdf


# --- press (no items, no review) ------------------------------------------------------------


def _press_allowed(actor, policy, organisation) -> None:
    if not user_may(actor, policy, "add", organisation.pk):
        raise PermissionDenied(_("您无权登记该组织的新闻发布记录。"))


@transaction.atomic
def press_conference_create(*, actor, organisation, **fields) -> PressConference:
    _press_allowed(actor, press_conference_policy, organisation)
    conference = PressConference(organisation=organisation, **fields)
    conference.full_clean()
    conference.save()
    log(conference, "wagtail.create", user=actor)
    return conference


@transaction.atomic
def news_release_create(*, actor, organisation, **fields) -> NewsRelease:
    _press_allowed(actor, news_release_policy, organisation)
    release = NewsRelease(organisation=organisation, **fields)
    release.full_clean()
    release.save()
    log(release, "wagtail.create", user=actor)
    return release


@transaction.atomic
def outside_article_create(*, actor, organisation, **fields) -> OutsideArticle:
    _press_allowed(actor, outside_article_policy, organisation)
    article = OutsideArticle(organisation=organisation, **fields)
    article.full_clean()
    article.save()
    log(article, "wagtail.create", user=actor)
    return article
