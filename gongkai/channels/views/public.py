"""Public pages: the plaza screen and the lobby kiosk, and their JSON for devices.

No login: these run unattended on screens in public places. They show only what
`selectors.items_cleared_for_channels` lets through.
"""

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .. import selectors
from ..models import Channel


def _channel(slug: str, kind: str) -> Channel:
    return get_object_or_404(Channel, slug=slug, kind=kind, active=True)


def _json(data, *, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    # Third-party screen controllers read the feed from their own origin; it is public data.
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def screen(request, slug):
    channel = _channel(slug, Channel.Kind.SCREEN)
    return render(
        request,
        "channels/screen.html",
        {
            "channel": channel,
            "interval_seconds": channel.option("interval_seconds"),
            "poll_seconds": channel.option("poll_seconds"),
            "labels": {
                "offline": _("离线，显示最近一次内容"),
                "offline_since": _("离线，显示 %s 更新的内容"),
            },
        },
    )


@require_GET
@never_cache
def screen_feed(request, slug):
    channel = _channel(slug, Channel.Kind.SCREEN)
    return _json(selectors.screen_feed(channel=channel))


@require_GET
def kiosk(request, slug):
    channel = _channel(slug, Channel.Kind.KIOSK)
    return render(
        request,
        "channels/kiosk.html",
        {
            "channel": channel,
            "idle_seconds": channel.option("idle_seconds"),
            "topics": selectors.kiosk_search_topics(channel=channel),
            "labels": {
                "featured": _("推荐信息"),
                "latest": _("最新发布"),
                "categories": _("按信息类别"),
                "columns": _("按栏目"),
                "count": _("%s 条"),
                "more": _("显示更多"),
                "none": _("没有符合条件的信息"),
                "loading": _("正在读取…"),
                "offline": _("网络暂时不通，显示的是最近一次的内容"),
                "category": _("信息类别"),
                "publisher": _("发布机构"),
                "date": _("发布日期"),
                "document_number": _("文号"),
                "index_number": _("索引号"),
                "search_title": _("“%s”的检索结果"),
                "searching": _("正在查找…"),
                "found": _("共 %s 条"),
                "found_about": _("约 %s 条"),
                "page": _("第 %s 页"),
                "page_of": _("第 %(page)s 页，共 %(pages)s 页"),
                "previous": _("上一页"),
                "next": _("下一页"),
                "try": _("可以试试："),
                "search_offline": _("网络暂时不通，只在最近取得的目录的标题和概述中查找。"),
            },
        },
    )


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_GET
@never_cache
def kiosk_data(request, slug):
    channel = _channel(slug, Channel.Kind.KIOSK)
    data = selectors.kiosk_data(channel=channel)
    letters = "".join(ch for ch in request.GET.get("letters", "") if ch.isascii() and ch.isalpha())
    category = _int_or_none(request.GET.get("category"))
    column = _int_or_none(request.GET.get("column"))
    if letters or category is not None or column is not None:
        data["items"] = selectors.kiosk_filter(
            data["items"], letters=letters, category_id=category, column_id=column
        )
    return _json(data)


@require_GET
@never_cache
def kiosk_search(request, slug):
    """Full-text search of what this kiosk shows. Always 200: odd text gets a hint, not an error."""
    channel = _channel(slug, Channel.Kind.KIOSK)
    page = _int_or_none(request.GET.get("page"))
    data = selectors.kiosk_search(
        channel=channel,
        query=request.GET.get("q", ""),
        page=page if page is not None and page > 0 else 1,
    )
    return _json(data)


@require_GET
@never_cache
def kiosk_item(request, slug, item_id):
    channel = _channel(slug, Channel.Kind.KIOSK)
    data = selectors.kiosk_item(channel=channel, item_id=item_id)
    if data is None:
        raise Http404
    return _json(data)
