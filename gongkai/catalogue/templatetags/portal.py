"""Template helpers for the public portal's shared layout (public/base.html)."""

from urllib.parse import urlencode

import nh3
from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from gongkai.catalogue import cache, selectors

register = template.Library()

LANGUAGE_LABELS = {"zh-hans": "中文", "en": "English"}

# Tags Wagtail's rich text produces (and that imported bodies may carry); everything else,
# including scripts, styles and event attributes, is removed on output.
BODY_TAGS = {
    "p", "br", "h2", "h3", "h4", "h5", "h6", "b", "strong", "i", "em", "u", "s", "sub", "sup",
    "ol", "ul", "li", "a", "hr", "blockquote", "code", "pre", "img", "figure", "figcaption",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "span", "div",
}  # fmt: skip
BODY_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "*": {"class", "lang"},
}


@register.filter
def clean_html(value):
    """Sanitise rendered rich text (after Wagtail's `richtext`) with an allow-list."""
    if not value:
        return ""
    return mark_safe(  # noqa: S308 - nh3 has just removed everything not on the allow-list
        nh3.clean(
            str(value),
            tags=BODY_TAGS,
            attributes=BODY_ATTRIBUTES,
            url_schemes={"http", "https", "mailto", "tel"},
            link_rel="noopener noreferrer",
        )
    )


def _footer_lines(home):
    if home is None:
        return []
    if home.contact_footer.strip():
        return [line.strip() for line in home.contact_footer.splitlines() if line.strip()]
    from django.utils.translation import gettext

    org = home.organisation
    lines = [gettext("主办单位：%(name)s") % {"name": org.name}]
    if org.address:
        address = org.address + (
            gettext("（邮编：%(code)s）") % {"code": org.postcode} if org.postcode else ""
        )
        lines.append(gettext("地址：%(address)s") % {"address": address})
    if org.phone:
        lines.append(gettext("电话：%(phone)s") % {"phone": org.phone})
    if org.email:
        lines.append(gettext("电子邮箱：%(email)s") % {"email": org.email})
    if org.office_hours:
        lines.append(gettext("办公时间：%(hours)s") % {"hours": org.office_hours})
    return lines


@register.simple_tag(takes_context=True)
def portal_chrome(context):
    """Everything the shared layout needs: site, menu, footer, mode and language switches.

    Works without a request too (Django renders 400.html and 500.html without one).
    """
    request = context.get("request")
    if request is None:
        return {"site_name": settings.WAGTAIL_SITE_NAME, "home": None, "nav": []}
    cached = getattr(request, "_gongkai_chrome", None)
    if cached is not None:
        return cached
    try:
        home = selectors.site_home_for_request(request=request)
    except Exception:  # an error page must render even when the database cannot answer
        home = None
    current_path = request.get_full_path()
    elder = cache.is_elder(request)
    nav = []
    section = None
    page = context.get("page")
    page_path = getattr(page, "path", "") if page is not None and page != home else ""
    if home is not None:
        from gongkai.catalogue.models import DisclosureSectionPage

        for child in home.get_children().live().in_menu().specific():
            nav.append(
                {
                    "title": child.title,
                    "url": child.get_url(request=request),
                    "active": bool(page_path) and page_path.startswith(child.path),
                }
            )
            if isinstance(child, DisclosureSectionPage):
                section = {"title": child.title, "url": nav[-1]["url"]}
    active_language = get_language()
    chrome = {
        "home": home,
        "home_url": home.get_url(request=request) if home else "/",
        "site_name": home.title if home else settings.WAGTAIL_SITE_NAME,
        "organisation": home.organisation if home else None,
        "nav": nav,
        "section": section,
        "footer_lines": _footer_lines(home),
        "elder": elder,
        "elder_toggle_url": reverse("portal:elder_mode")
        + "?"
        + urlencode({"on": "0" if elder else "1", "next": current_path}),
        "languages": [
            {
                "code": code,
                "label": LANGUAGE_LABELS.get(code, name),
                "current": code == active_language,
                "url": reverse("portal:language")
                + "?"
                + urlencode({"language": code, "next": current_path}),
            }
            for code, name in settings.LANGUAGES
        ],
    }
    request._gongkai_chrome = chrome
    return chrome
