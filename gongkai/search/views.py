"""The public search page (/search/) and its JSON twin (/search/api/).

Neither is ever cached: a withdrawn item must disappear from the next search, not the next
cache expiry. Neither ever answers with an error for what a citizen typed: a bad filter is
dropped with a notice, odd text becomes words or an empty page with a hint.
"""

import logging
from urllib.parse import urlencode

from django.http import JsonResponse
from django.template.loader import select_template
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .backends import get_backend
from .forms import SCOPE_ALL, SearchForm
from .selectors import FILTER_KEYS, search_items
from .services import meta_token

logger = logging.getLogger(__name__)

PER_PAGE = 20
API_MAX_PER_PAGE = 50
# The portal's base template when the catalogue provides it; ours otherwise.
BASE_TEMPLATES = ["public/base.html", "search/base.html"]


def _site_and_home(request):
    from wagtail.models import Site

    site = Site.find_for_request(request)
    home = None
    try:
        from gongkai.catalogue.selectors import site_home_for_request

        home = site_home_for_request(request=request)
    except ImportError:  # the portal's selectors are not there (yet)
        home = None
    return site, home


def _scope_site(site, scope: str | None):
    """Search this site only if asked (the default) and it shows any indexed item."""
    if site is None or scope == SCOPE_ALL:
        return None
    try:
        return site if get_backend().has_meta(meta_token("s", site.pk)) else None
    except Exception:  # the index tables are missing (not migrated): search everything
        logger.exception("search: cannot check the site scope")
        return None


def _item_urls(request, items, home) -> dict[int, str]:
    """Each item's address, on this site if it is shown here, else on the first site showing it."""
    if not items:
        return {}
    try:
        from gongkai.catalogue.models import SiteHomePage
        from gongkai.catalogue.selectors import item_site_urls
    except ImportError:
        return {}
    homes = list(SiteHomePage.objects.live())
    if home is not None:
        homes.sort(key=lambda h: h.pk != home.pk)
    urls = {}
    for item_id, places in item_site_urls(items=items, homes=homes).items():
        if places:
            place_home, path = places[0]
            base = place_home.get_url(request=request) or "/"
            urls[item_id] = base + path
    return urls


def _attach_urls(request, results, home) -> None:
    items = [hit.item for hit in results.hits] + [
        s.item for s in results.suggestions if s.item is not None
    ]
    urls = _item_urls(request, items, home)
    for hit in results.hits:
        hit.url = urls.get(hit.item.pk)
    for suggestion in results.suggestions:
        if suggestion.item is not None:
            suggestion.url = urls.get(suggestion.item.pk)


def _link(params: dict, **changes) -> str:
    merged = {**params, **changes}
    return "?" + urlencode({k: v for k, v in merged.items() if v not in (None, "")})


@require_GET
@never_cache
def search_page(request):
    site, home = _site_and_home(request)
    form = SearchForm(request.GET or None, site_root=home)
    filters, bad = form.search_filters() if request.GET else ({}, [])
    query = form.cleaned("q", "") if request.GET else ""
    if request.GET and "q" in form.errors:
        query = request.GET.get("q", "")
    scope = form.cleaned("scope")
    page = form.cleaned("page", 1)
    results = search_items(
        query=query,
        filters=filters,
        site=_scope_site(site, scope),
        page=page,
        per_page=PER_PAGE,
    )
    for label in bad:
        results.notices.append(_("筛选条件“%(name)s”的值无效，已忽略。") % {"name": label})
    _attach_urls(request, results, home)

    params = {"q": results.query, "scope": scope or ""}
    params.update({k: v for k, v in filters.items()})
    suggestion_links = []
    for suggestion in results.suggestions:
        if suggestion.kind in ("drop_filters", "fewer_words"):
            keep = params if suggestion.keep_filters else {"scope": scope or ""}
            suggestion_links.append((suggestion, _link(keep, q=suggestion.query, page=None)))
        else:
            suggestion_links.append((suggestion, suggestion.url))
    context = {
        "base_template": select_template(BASE_TEMPLATES),
        "form": form,
        "results": results,
        "suggestion_links": suggestion_links,
        "previous_url": _link(params, page=results.page - 1) if results.has_previous else None,
        "next_url": _link(params, page=results.page + 1) if results.has_next else None,
        "home": home,
        "searched": bool(request.GET),
        "has_filters": bool(filters),
    }
    return TemplateResponse(request, "search/search.html", context)


@require_GET
@never_cache
def search_api(request):
    """JSON for the kiosk, the application form and anyone else (docs/search.md)."""
    site, home = _site_and_home(request)
    get = request.GET
    filters = {}
    for key in FILTER_KEYS:
        if key == "site":
            continue
        values = [v for v in get.getlist(key) if v.strip()]
        if key == "document_number" and not values:
            values = [v for v in get.getlist("docno") if v.strip()]
        if values:
            filters[key] = values if len(values) > 1 else values[0]
    site_param = get.get("site", "").strip()
    notices = []
    scoped = None
    if site_param and site_param != "all":
        filters["site"] = site_param
    elif site_param != "all":
        scoped = _scope_site(site, None)
    try:
        page = int(get.get("page", 1))
    except ValueError:
        page, notices = 1, [*notices, _("页码无效，已显示第1页。")]
    try:
        per_page = min(API_MAX_PER_PAGE, max(1, int(get.get("per_page", PER_PAGE))))
    except ValueError:
        per_page = PER_PAGE
    results = search_items(
        query=get.get("q", ""), filters=filters, site=scoped, page=page, per_page=per_page
    )
    results.notices = notices + results.notices
    _attach_urls(request, results, home)
    data = results.as_dict()
    data["site"] = scoped.pk if scoped is not None else None
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
