"""The public portal: site homes, columns, items, the 目录, the guide, feeds' neighbours.

Every view checks its query string with a form (bad input: a 400 page in Chinese), reads
through `selectors`, and marks what it renders as cacheable (cache.py); the cache middleware
stores it. Nothing here writes to the database.
"""

import mimetypes
import os
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from . import cache, selectors
from .models import (
    Category,
    ColumnPage,
    DisclosureItem,
    DisclosureSectionPage,
    GuidePage,
    StatutoryBasis,
)
from .models.pages import ITEM_ROUTE_PREFIX

PER_PAGE = 20
MAX_PAGE = 100_000


# --- answers for bad input ----------------------------------------------------------------


def bad_request(request, form_or_errors, *, message=None):
    """400 in Chinese, naming each bad parameter."""
    if isinstance(form_or_errors, forms.BaseForm):
        errors = [
            (form_or_errors.fields[name].label if name in form_or_errors.fields else name, msgs)
            for name, msgs in form_or_errors.errors.items()
        ]
    else:
        errors = list(form_or_errors)
    return render(
        request,
        "400.html",
        {"errors": errors, "message": message or gettext("请求的参数有误，请检查后重试。")},
        status=400,
    )


def not_found(request, message=None):
    return render(
        request,
        "404.html",
        {"message": message or gettext("您访问的页面不存在或已被移除。")},
        status=404,
    )


class PageNumberForm(forms.Form):
    page = forms.IntegerField(label=_("页码"), min_value=1, max_value=MAX_PAGE, required=False)


def _paginate(request, queryset, form):
    """A page of `queryset`, or None when the page number is past the end (a 404)."""
    number = form.cleaned_data.get("page") or 1
    paginator = Paginator(queryset, PER_PAGE, allow_empty_first_page=True)
    if number > paginator.num_pages:
        return None
    return paginator.page(number)


def _page_links(request, page_obj, params=None):
    """Previous/next and numbered links for a page, keeping the other GET parameters."""
    params = dict(params or {})

    def url(number):
        query = {**params, "page": number} if number > 1 else params
        return "?" + urlencode(query) if query else request.path

    numbers = sorted(
        {1, page_obj.paginator.num_pages}
        | set(
            range(
                max(1, page_obj.number - 2),
                min(page_obj.paginator.num_pages, page_obj.number + 2) + 1,
            )
        )
    )
    links = []
    previous = 0
    for number in numbers:
        if number - previous > 1:
            links.append({"gap": True})
        links.append({"number": number, "url": url(number), "current": number == page_obj.number})
        previous = number
    return {
        "links": links,
        "previous": url(page_obj.number - 1) if page_obj.has_previous() else None,
        "next": url(page_obj.number + 1) if page_obj.has_next() else None,
        "count": page_obj.paginator.count,
        "num_pages": page_obj.paginator.num_pages,
        "number": page_obj.number,
    }


def _with_urls(items, base: str):
    """Give each item its address on the site being served (`base` is the home's URL)."""
    for item in items:
        item.public_url = f"{base}{ITEM_ROUTE_PREFIX}{item.pk}/"
    return items


def _home_url(request, home) -> str:
    return home.get_url(request=request) or "/"


def _breadcrumbs(request, page, home):
    if home is None:
        return []
    ancestors = page.get_ancestors(inclusive=True).filter(depth__gte=home.depth)
    return [{"title": p.title, "url": p.get_url(request=request)} for p in ancestors]


# --- pages ----------------------------------------------------------------------------------


def site_home(request, *, home):
    sections = []
    base = _home_url(request, home)
    for column, items in selectors.site_latest_by_column(home=home, per_column=home.latest_count):
        sections.append(
            {
                "column": column,
                "url": column.get_url(request=request),
                "items": _with_urls(items, base),
            }
        )
    section_page = DisclosureSectionPage.objects.live().child_of(home).first()
    context = {
        "page": home,
        "self": home,
        "sections": sections,
        "section_page": section_page,
        "section_children": (
            [
                {"title": p.title, "url": p.get_url(request=request)}
                for p in section_page.get_children().live()
            ]
            if section_page
            else []
        ),
    }
    return cache.mark_cacheable(
        TemplateResponse(request, "catalogue/site_home_page.html", context), page=home
    )


def column_list(request, *, column):
    form = PageNumberForm(request.GET)
    if not form.is_valid():
        return bad_request(request, form)
    home = selectors.site_home_for_request(request=request)
    page_obj = _paginate(
        request, selectors.items_public_in_column(column=column).only(*selectors.LIST_FIELDS), form
    )
    if page_obj is None:
        return not_found(request, gettext("该栏目没有这一页。"))
    base = _home_url(request, home) if home else "/"
    context = {
        "page": column,
        "self": column,
        "home": home,
        "items": _with_urls(list(page_obj.object_list), base),
        "pagination": _page_links(request, page_obj),
        "children": [
            {"title": c.title, "url": c.get_url(request=request)}
            for c in column.get_children().live().order_by("path")
        ],
        "breadcrumbs": _breadcrumbs(request, column, home),
    }
    return cache.mark_cacheable(
        TemplateResponse(request, "catalogue/column_page.html", context), page=column
    )


def item_detail(request, *, home, pk, printable=False):
    if request.GET:
        # Item pages take no parameters. Links shared through messaging apps come back with
        # tracking parameters: send them to the one clean address (which is also cached once).
        return HttpResponsePermanentRedirect(request.path)
    item = selectors.item_public_on_site(root=home, pk=pk)
    if item is None:
        return not_found(request, gettext("该信息不存在、尚未公开或已撤回。"))
    base = _home_url(request, home)
    columns = list(selectors.item_columns_on_site(item=item, root=home))
    column = columns[0] if columns else None
    replaced_by_url = None
    if item.replaced_by_id and selectors.item_public_on_site(root=home, pk=item.replaced_by_id):
        replaced_by_url = f"{base}{home.item_path(item.replaced_by_id)}"
    proactive = item.disclosure_mode == DisclosureItem.DisclosureMode.PROACTIVE
    attachments = list(item.attachments.all()) if proactive else []
    item_url = f"{base}{home.item_path(item.pk)}"
    for attachment in attachments:
        attachment.public_url = f"{item_url}files/{attachment.pk}/"
        attachment.kind = os.path.splitext(attachment.file.name)[1].lstrip(".").upper()
    breadcrumbs = (
        _breadcrumbs(request, column, home) if column else _breadcrumbs(request, home, home)
    )
    context = {
        # The column drives the menu's current entry; the home page is the fallback.
        "page": column or home,
        "home": home,
        "item": item,
        "item_url": item_url,
        "print_url": f"{item_url}print/",
        "column": column,
        "columns": [{"title": c.title, "url": c.get_url(request=request)} for c in columns],
        "replaced_by_url": replaced_by_url,
        "attachments": attachments,
        "proactive": proactive,
        "apply_url": _apply_url(home),
        "breadcrumbs": breadcrumbs,
    }
    template = "catalogue/item_print.html" if printable else "catalogue/item_detail.html"
    return cache.mark_cacheable(TemplateResponse(request, template, context), page=home)


def _apply_url(home) -> str:
    section = DisclosureSectionPage.objects.live().child_of(home).first()
    return section.specific.apply_url if section else "/apply/"


def item_attachment(request, *, home, pk, attachment_pk):
    """Download an attachment of a public item; checked on every request, never cached."""
    item = selectors.item_public_on_site(root=home, pk=pk)
    if item is None or item.disclosure_mode != DisclosureItem.DisclosureMode.PROACTIVE:
        return not_found(request, gettext("该信息不存在、尚未公开或已撤回。"))
    if not 0 < attachment_pk <= selectors.MAX_ID:
        return not_found(request, gettext("附件不存在。"))
    attachment = item.attachments.filter(pk=attachment_pk).first()
    if attachment is None or not attachment.file:
        return not_found(request, gettext("附件不存在。"))
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError):
        return not_found(request, gettext("附件文件缺失，请联系网站管理员。"))
    extension = os.path.splitext(attachment.file.name)[1]
    filename = (
        attachment.title if attachment.title.endswith(extension) else attachment.title + extension
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type=attachment.content_type
        or mimetypes.guess_type(attachment.file.name)[0]
        or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


class CatalogueQueryForm(forms.Form):
    """The 目录's GET filters. Unknown codes are errors (a 400), not silently empty lists."""

    organisation = forms.CharField(label=_("发布机构"), max_length=40, required=False)
    column = forms.IntegerField(
        label=_("栏目"), min_value=1, max_value=selectors.MAX_ID, required=False
    )
    category = forms.CharField(label=_("信息类别"), max_length=40, required=False)
    year = forms.IntegerField(label=_("年份"), min_value=1949, max_value=2999, required=False)
    validity = forms.ChoiceField(
        label=_("有效性"), choices=[("", "")] + DisclosureItem.Validity.choices, required=False
    )
    page = forms.IntegerField(label=_("页码"), min_value=1, max_value=MAX_PAGE, required=False)

    def __init__(self, *args, root, **kwargs):
        self.root = root
        super().__init__(*args, **kwargs)

    def clean_organisation(self):
        from gongkai.orgs.models import Organisation

        code = self.cleaned_data["organisation"].strip()
        if not code:
            return None
        org = Organisation.objects.filter(code=code).first()
        if org is None:
            raise forms.ValidationError(gettext("找不到代码为“%(code)s”的机构。") % {"code": code})
        return org

    def clean_column(self):
        pk = self.cleaned_data["column"]
        if pk is None:
            return None
        column = selectors.site_columns(root=self.root).filter(pk=pk).first()
        if column is None:
            raise forms.ValidationError(gettext("本站没有编号为 %(pk)s 的栏目。") % {"pk": pk})
        return column

    def clean_category(self):
        code = self.cleaned_data["category"].strip()
        if not code:
            return None
        category = Category.objects.filter(scheme=Category.Scheme.INFO, code=code).first()
        if category is None:
            raise forms.ValidationError(
                gettext("找不到代码为“%(code)s”的信息类别。") % {"code": code}
            )
        return category


def catalogue_browse(request, *, page):
    home = selectors.site_home_of_page(page=page)
    if home is None:
        return not_found(request)
    form = CatalogueQueryForm(request.GET, root=home)
    if not form.is_valid():
        return bad_request(request, form)
    data = form.cleaned_data
    queryset = selectors.items_public_filtered(
        root=home,
        organisation=data["organisation"],
        column=data["column"],
        category=data["category"],
        year=data["year"],
        validity=data["validity"],
    )
    page_obj = _paginate(request, queryset.only(*selectors.LIST_FIELDS), form)
    if page_obj is None:
        return not_found(request, gettext("目录没有这一页。"))
    # The filters in use, in their canonical spelling (so "column=007" marks column 7).
    canonical = {
        "organisation": data["organisation"].code if data["organisation"] else "",
        "column": str(data["column"].pk) if data["column"] else "",
        "category": data["category"].code if data["category"] else "",
        "year": str(data["year"]) if data["year"] else "",
        "validity": data["validity"],
    }
    active = {name: value for name, value in canonical.items() if value}
    facets = selectors.catalogue_facets(root=home, queryset=queryset)
    facet_groups = []
    for name, label in (
        ("organisation", _("发布机构")),
        ("column", _("栏目")),
        ("category", _("信息类别")),
        ("year", _("发布年份")),
        ("validity", _("有效性")),
    ):
        entries = []
        for entry in facets[name]:
            selected = active.get(name) == entry["value"]
            query = {k: v for k, v in active.items() if k != name}
            if not selected:
                query[name] = entry["value"]
            entries.append(
                {
                    **entry,
                    "selected": selected,
                    "url": "?" + urlencode(query) if query else request.path,
                }
            )
        clear_query = {k: v for k, v in active.items() if k != name}
        facet_groups.append(
            {
                "name": name,
                "label": label,
                "entries": entries,
                "active": name in active,
                "clear_url": "?" + urlencode(clear_query) if clear_query else request.path,
            }
        )
    base = _home_url(request, home)
    context = {
        "page": page,
        "self": page,
        "home": home,
        "items": _with_urls(list(page_obj.object_list), base),
        "pagination": _page_links(request, page_obj, active),
        "facets": facet_groups,
        "filtered": bool(active),
        "breadcrumbs": _breadcrumbs(request, page, home),
    }
    return cache.mark_cacheable(
        TemplateResponse(request, "catalogue/catalogue_page.html", context), page=page
    )


def statutory_contents(request, *, page):
    home = selectors.site_home_of_page(page=page)
    if home is None:
        return not_found(request)
    by_basis: dict[str, list] = {}
    for column in selectors.site_columns(root=home).exclude(statutory_basis=""):
        by_basis.setdefault(column.statutory_basis, []).append(
            {"title": column.title, "url": column.get_url(request=request)}
        )
    articles = [
        {
            "title": gettext("《中华人民共和国政府信息公开条例》第二十条"),
            "lead": gettext(
                "行政机关应当依照本条例第十九条的规定，主动公开本行政机关的下列政府信息："
            ),
            "headings": [
                {"label": basis.label, "columns": by_basis.get(basis.value, [])}
                for basis in StatutoryBasis.article(20)
            ],
        }
    ]
    if page.include_township:
        articles.append(
            {
                "title": gettext("《中华人民共和国政府信息公开条例》第二十一条"),
                "lead": gettext(
                    "乡（镇）人民政府还应当根据本地方的具体情况，主动公开下列政府信息："
                ),
                "headings": [
                    {"label": basis.label, "columns": by_basis.get(basis.value, [])}
                    for basis in StatutoryBasis.article(21)
                ],
            }
        )
    context = {
        "page": page,
        "self": page,
        "home": home,
        "articles": articles,
        "breadcrumbs": _breadcrumbs(request, page, home),
    }
    return cache.mark_cacheable(
        TemplateResponse(request, "catalogue/statutory_content_page.html", context), page=page
    )


def section(request, *, page):
    home = selectors.site_home_of_page(page=page)
    children = []
    for child in page.get_children().live().specific():
        children.append(
            {
                "title": child.title,
                "url": child.get_url(request=request),
                "intro": getattr(child, "intro", ""),
                "is_column": isinstance(child, ColumnPage),
            }
        )
    context = {
        "page": page,
        "self": page,
        "home": home,
        "children": children,
        "breadcrumbs": _breadcrumbs(request, page, home),
    }
    return cache.mark_cacheable(
        TemplateResponse(request, "catalogue/disclosure_section_page.html", context), page=page
    )


def guide(request, *, page: GuidePage):
    home = selectors.site_home_of_page(page=page)
    organisation = page.organisation or (home.organisation if home else None)
    fields = [
        ("office_name", _("工作机构名称"), organisation.name if organisation else ""),
        ("address", _("办公地址"), organisation.address if organisation else ""),
        ("postcode", _("邮政编码"), organisation.postcode if organisation else ""),
        ("office_hours", _("办公时间"), organisation.office_hours if organisation else ""),
        ("phone", _("联系电话"), organisation.phone if organisation else ""),
        ("fax", _("传真"), organisation.fax if organisation else ""),
        ("email", _("电子邮箱"), organisation.email if organisation else ""),
        ("website", _("网址"), organisation.website if organisation else ""),
    ]
    contact = [
        {"name": name, "label": label, "value": getattr(page, name) or fallback}
        for name, label, fallback in fields
    ]
    if home is not None and not any(c["name"] == "website" and c["value"] for c in contact):
        for entry in contact:
            if entry["name"] == "website":
                entry["value"] = request.build_absolute_uri(_home_url(request, home))
    tree = []
    if home is not None:
        for column in selectors.site_columns(root=home):
            tree.append(
                {
                    "title": column.title,
                    "url": column.get_url(request=request),
                    "level": column.depth - home.depth,
                }
            )
    categories = Category.objects.filter(scheme=Category.Scheme.INFO, is_active=True)
    context = {
        "page": page,
        "self": page,
        "home": home,
        "contact": [c for c in contact if c["value"]],
        "column_tree": tree,
        "categories": categories,
        "apply_url": _apply_url(home) if home else "/apply/",
        "breadcrumbs": _breadcrumbs(request, page, home),
    }
    return cache.mark_cacheable(
        TemplateResponse(request, "catalogue/guide_page.html", context), page=page
    )


# --- display preferences (no JavaScript: a link sets a cookie and comes back) --------------


def _safe_next(request, value) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return "/"


ONE_YEAR = 365 * 24 * 3600


@require_http_methods(["GET", "POST"])
def elder_mode(request):
    """长辈版 on (on=1) or off (on=0), remembered in a cookie, then back to `next`.

    A GET link works without JavaScript and without a CSRF token (so cached pages can carry
    it); it changes only how this browser displays pages.
    """
    data = request.POST if request.method == "POST" else request.GET
    value = data.get("on", "1")
    if value not in ("0", "1"):
        return bad_request(request, [(gettext("长辈版"), [gettext("参数 on 只能是 0 或 1。")])])
    response = HttpResponseRedirect(_safe_next(request, data.get("next")))
    if value == "1":
        response.set_cookie(
            cache.ELDER_COOKIE,
            "1",
            max_age=ONE_YEAR,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure(),
        )
    else:
        response.delete_cookie(cache.ELDER_COOKIE, samesite="Lax")
    return response


@require_http_methods(["GET", "POST"])
def set_language(request):
    """The language switch as a plain link (Django's own view needs a POST form)."""
    data = request.POST if request.method == "POST" else request.GET
    code = data.get("language", "")
    if code not in dict(settings.LANGUAGES):
        return bad_request(request, [(gettext("语言"), [gettext("不支持的语言。")])])
    response = HttpResponseRedirect(_safe_next(request, data.get("next")))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=ONE_YEAR,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


# --- robots.txt and sitemaps -------------------------------------------------------------


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /elder-mode/",
        "Disallow: /language/",
        "Allow: /",
        f"Sitemap: {request.scheme}://{request.get_host()}/sitemap.xml",
        "",
    ]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    return cache.mark_cacheable(response)


class SitemapPageForm(forms.Form):
    p = forms.IntegerField(label=_("页码"), min_value=1, max_value=MAX_PAGE, required=False)


def _sitemaps(request):
    from .feeds import ItemsSitemap, PagesSitemap

    home = selectors.site_home_for_request(request=request)
    if home is None:
        return None
    return {"pages": PagesSitemap(home=home), "items": ItemsSitemap(home=home)}


def sitemap_index(request):
    sitemaps = _sitemaps(request)
    if sitemaps is None:
        return not_found(request)
    response = sitemap_views.index(request, sitemaps, sitemap_url_name="portal:sitemap_section")
    return cache.mark_cacheable(response)


def sitemap_section(request, section):
    sitemaps = _sitemaps(request)
    if sitemaps is None or section not in sitemaps:
        return not_found(request)
    form = SitemapPageForm(request.GET)
    if not form.is_valid():
        return bad_request(request, form)
    page = form.cleaned_data.get("p") or 1
    if page > sitemaps[section].paginator.num_pages:
        return not_found(request)
    response = sitemap_views.sitemap(request, sitemaps, section=section)
    response.render()
    return cache.mark_cacheable(response)
