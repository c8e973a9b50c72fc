"""The read-only open-data API over the published catalogue (JSON and CSV), under /api/v1/.

Only public items (live, not withdrawn) are ever returned, through the same selectors as the
pages. Parameters are checked by a form: a bad one is a 400 with a message in Chinese naming
it; an unknown id is a 404. Documented in docs/api.md.
"""

import csv
import io
from datetime import datetime, time

from django import forms
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from wagtail.models import Site

from gongkai.orgs.models import Organisation

from . import cache, selectors
from .models import Category, ColumnPage, DisclosureItem, SiteHomePage

DEFAULT_LIMIT = 20
MAX_LIMIT_JSON = 100
MAX_LIMIT_CSV = 1000
MAX_OFFSET = 10_000_000

CSV_FIELDS = [
    "id",
    "index_number",
    "title",
    "summary",
    "publisher",
    "organisation",
    "created_date",
    "published_date",
    "document_number",
    "subject",
    "genre",
    "category",
    "keywords",
    "validity",
    "effective_from",
    "validity_changed_on",
    "replaced_by",
    "disclosure_mode",
    "updated_at",
    "urls",
]


def _json(data, status=200):
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    # Public data: any web page may read it.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _error(status, message, detail=None):
    body = {"error": message}
    if detail:
        body["detail"] = detail
    return _json(body, status=status)


def _form_errors(form):
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}


class ItemQueryForm(forms.Form):
    site = forms.IntegerField(
        label=_("网站"), min_value=1, max_value=selectors.MAX_ID, required=False
    )
    organisation = forms.CharField(label=_("发布机构代码"), max_length=40, required=False)
    column = forms.IntegerField(
        label=_("栏目"), min_value=1, max_value=selectors.MAX_ID, required=False
    )
    category = forms.CharField(label=_("信息类别代码"), max_length=40, required=False)
    year = forms.IntegerField(label=_("发布年份"), min_value=1949, max_value=2999, required=False)
    validity = forms.ChoiceField(
        label=_("有效性"), choices=[("", "")] + DisclosureItem.Validity.choices, required=False
    )
    document_number = forms.CharField(label=_("文号"), max_length=100, required=False)
    updated_since = forms.CharField(label=_("更新起始时间"), max_length=40, required=False)
    limit = forms.IntegerField(label=_("每页条数"), min_value=1, required=False)
    offset = forms.IntegerField(
        label=_("偏移量"), min_value=0, max_value=MAX_OFFSET, required=False
    )
    format = forms.ChoiceField(
        label=_("格式"), choices=[("", ""), ("json", "JSON"), ("csv", "CSV")], required=False
    )

    def __init__(self, *args, max_limit=MAX_LIMIT_JSON, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_limit = max_limit

    def clean_site(self):
        pk = self.cleaned_data["site"]
        if pk is None:
            return None
        site = Site.objects.select_related("root_page").filter(pk=pk).first()
        if site is None:
            raise forms.ValidationError(gettext("没有编号为 %(pk)s 的网站。") % {"pk": pk})
        return site

    def clean_organisation(self):
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
        column = ColumnPage.objects.live().filter(pk=pk).first()
        if column is None:
            raise forms.ValidationError(gettext("没有编号为 %(pk)s 的栏目。") % {"pk": pk})
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

    def clean_updated_since(self):
        raw = self.cleaned_data["updated_since"].strip()
        if not raw:
            return None
        from django.utils.dateparse import parse_date, parse_datetime

        try:
            moment = parse_datetime(raw.replace(" ", "T"))
            if moment is None:
                day = parse_date(raw)
                moment = datetime.combine(day, time.min) if day else None
        except ValueError:
            moment = None
        if moment is None:
            raise forms.ValidationError(
                gettext("时间格式应为 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM:SS+08:00。")
            )
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment

    def clean_limit(self):
        limit = self.cleaned_data["limit"]
        if limit is None:
            return DEFAULT_LIMIT
        if limit > self.max_limit:
            raise forms.ValidationError(gettext("每页最多 %(max)s 条。") % {"max": self.max_limit})
        return limit


def _homes():
    return list(SiteHomePage.objects.live())


def _site_hosts(request):
    """home page id → base URL of its site: the address asked for, for the request's own site
    (it may be served on another port than the Site record says), the Site record otherwise."""
    hosts = {}
    for site in Site.objects.all():
        port = "" if site.port in (80, 443) else f":{site.port}"
        scheme = "https" if site.port == 443 else "http"
        hosts[site.root_page_id] = f"{scheme}://{site.hostname}{port}/"
    home = selectors.site_home_for_request(request=request)
    if home is not None:
        hosts[home.pk] = request.build_absolute_uri("/")
    return hosts


def _serialise(item, urls):
    return {
        "id": item.pk,
        "index_number": item.index_number,
        "title": item.title,
        "summary": item.summary,
        "publisher": item.publisher_name,
        "organisation": item.organisation.code,
        "created_date": item.created_date.isoformat() if item.created_date else None,
        "published_date": item.published_date.isoformat() if item.published_date else None,
        "document_number": item.document_number,
        "subject": item.subject.name if item.subject_id else "",
        "genre": item.genre,
        "category": item.category.code if item.category_id else "",
        "category_name": item.category.name if item.category_id else "",
        "keywords": item.keywords,
        "validity": item.validity,
        "effective_from": item.effective_from.isoformat() if item.effective_from else None,
        "validity_changed_on": (
            item.validity_changed_on.isoformat() if item.validity_changed_on else None
        ),
        "replaced_by": item.replaced_by_id,
        "disclosure_mode": item.disclosure_mode,
        "updated_at": timezone.localtime(item.updated_at).isoformat(),
        "urls": urls,
    }


def _with_urls(request, items):
    homes = _homes()
    hosts = _site_hosts(request)
    placed = selectors.item_site_urls(items=items, homes=homes)
    return [
        _serialise(
            item,
            [hosts[home.pk] + path for home, path in placed[item.pk] if home.pk in hosts],
        )
        for item in items
    ]


ITEM_RELATED = ("organisation", "category", "subject")


@require_GET
def api_index(request):
    return cache.mark_cacheable(
        _json(
            {
                "name": gettext("政府信息公开目录开放数据接口"),
                "version": "v1",
                "endpoints": {
                    "items": request.build_absolute_uri(reverse("portal:api_items")),
                    "items_csv": request.build_absolute_uri(reverse("portal:api_items_csv")),
                    "item": request.build_absolute_uri(
                        reverse("portal:api_item", kwargs={"pk": 0})
                    ).replace("/0/", "/{id}/"),
                    "sites": request.build_absolute_uri(reverse("portal:api_sites")),
                    "organisations": request.build_absolute_uri(
                        reverse("portal:api_organisations")
                    ),
                    "categories": request.build_absolute_uri(reverse("portal:api_categories")),
                },
                "documentation": "docs/api.md",
            }
        )
    )


@require_GET
def api_items(request, *, as_csv=False):
    as_csv = as_csv or request.GET.get("format") == "csv"
    form = ItemQueryForm(request.GET, max_limit=MAX_LIMIT_CSV if as_csv else MAX_LIMIT_JSON)
    if not form.is_valid():
        return _error(400, gettext("请求参数有误。"), _form_errors(form))
    data = form.cleaned_data
    site = data["site"]
    queryset = selectors.items_public_filtered(
        root=site.root_page if site else None,
        organisation=data["organisation"],
        column=data["column"],
        category=data["category"],
        year=data["year"],
        validity=data["validity"],
        document_number=data["document_number"].strip(),
        updated_since=data["updated_since"],
    )
    limit, offset = data["limit"], data["offset"] or 0
    count = queryset.count()
    items = list(queryset.select_related(*ITEM_RELATED)[offset : offset + limit])
    results = _with_urls(request, items)
    if as_csv:
        return cache.mark_cacheable(_csv_response(results))

    def page_url(new_offset):
        query = request.GET.copy()
        query["offset"] = str(new_offset)
        query["limit"] = str(limit)
        return request.build_absolute_uri(request.path + "?" + query.urlencode())

    return cache.mark_cacheable(
        _json(
            {
                "count": count,
                "limit": limit,
                "offset": offset,
                "next": page_url(offset + limit) if offset + limit < count else None,
                "previous": page_url(max(0, offset - limit)) if offset > 0 else None,
                "results": results,
            }
        )
    )


def _csv_response(results):
    buffer = io.StringIO()
    # A byte-order mark so that spreadsheet programs read the Chinese text as UTF-8.
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(CSV_FIELDS)
    for row in results:
        writer.writerow(
            [
                " ".join(row[field])
                if field == "urls"
                else ("" if row[field] is None else row[field])
                for field in CSV_FIELDS
            ]
        )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="items.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def api_items_csv(request):
    return api_items(request, as_csv=True)


@require_GET
def api_item(request, pk):
    if not 0 < pk <= selectors.MAX_ID:
        return _error(404, gettext("该信息不存在、尚未公开或已撤回。"))
    item = selectors.items_public().select_related(*ITEM_RELATED).filter(pk=pk).first()
    if item is None:
        return _error(404, gettext("该信息不存在、尚未公开或已撤回。"))
    data = _with_urls(request, [item])[0]
    data["attachments"] = [
        {"title": a.title, "size": a.size, "sha256": a.sha256, "content_type": a.content_type}
        for a in item.attachments.all()
    ]
    return cache.mark_cacheable(_json(data))


@require_GET
def api_sites(request):
    hosts = _site_hosts(request)
    site_ids = dict(Site.objects.values_list("root_page_id", "pk"))
    sites = []
    for home in _homes():
        columns = list(selectors.site_columns(root=home))
        by_path = {column.path: column.pk for column in columns}
        sites.append(
            {
                "id": site_ids.get(home.pk),
                "name": home.title,
                "url": hosts.get(home.pk),
                "organisation": home.organisation.code,
                "columns": [
                    {
                        "id": column.pk,
                        "title": column.title,
                        "parent": by_path.get(column.path[: -column.steplen]),
                        "kind": column.kind,
                        "statutory_basis": column.statutory_basis,
                    }
                    for column in columns
                ],
            }
        )
    return cache.mark_cacheable(_json({"results": sites}))


@require_GET
def api_organisations(request):
    orgs = Organisation.objects.filter(is_active=True).select_related("parent")
    return cache.mark_cacheable(
        _json(
            {
                "results": [
                    {
                        "code": org.code,
                        "name": org.name,
                        "kind": org.kind,
                        "parent": org.parent.code if org.parent_id else None,
                    }
                    for org in orgs
                ]
            }
        )
    )


@require_GET
def api_categories(request):
    categories = Category.objects.filter(is_active=True)
    return cache.mark_cacheable(
        _json(
            {"results": [{"scheme": c.scheme, "code": c.code, "name": c.name} for c in categories]}
        )
    )


def api_not_found(request, *args, **kwargs):
    return _error(404, gettext("接口地址不存在。"))
