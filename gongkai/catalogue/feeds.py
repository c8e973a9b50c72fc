"""The portal's machine-readable lists: RSS 2.0 and Atom feeds, and sitemaps.

Feeds exist per site (every item of the site) and per column, at `feed/rss/` and `feed/atom/`
below the site's home or the column. Sitemaps are per site (the host asked for): the site's
live pages and its public items. All of them read through `selectors`, so a withdrawn item
leaves them with the same rule as the pages.
"""

from datetime import datetime, time

from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext
from wagtail.models import Page

from . import cache, selectors
from .models.pages import ITEM_ROUTE_PREFIX

FEED_LENGTH = 50


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min)) if day else None


class ItemFeed(Feed):
    """The newest public items of a site or of one column."""

    feed_type = Rss201rev2Feed

    def get_object(self, request, *, home, column):
        self.base = home.get_url(request=request) or "/"
        return {"home": home, "column": column, "request": request}

    def title(self, obj):
        if obj["column"] is not None:
            return f"{obj['column'].title} - {obj['home'].title}"
        return obj["home"].title

    def link(self, obj):
        page = obj["column"] or obj["home"]
        return page.get_url(request=obj["request"])

    def description(self, obj):
        if obj["column"] is not None:
            return gettext("%(site)s“%(column)s”栏目的最新政府信息") % {
                "site": obj["home"].title,
                "column": obj["column"].title,
            }
        return gettext("%(site)s的最新政府信息") % {"site": obj["home"].title}

    def items(self, obj):
        if obj["column"] is not None:
            queryset = selectors.items_public_in_column(column=obj["column"])
        else:
            queryset = selectors.items_public_filtered(root=obj["home"])
        return list(queryset.select_related("organisation", "category")[:FEED_LENGTH])

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or item.title

    def item_link(self, item):
        return f"{self.base}{ITEM_ROUTE_PREFIX}{item.pk}/"

    def item_pubdate(self, item):
        return _day_start(item.published_date) or item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at or item.updated_at

    def item_author_name(self, item):
        return item.publisher_name

    def item_categories(self, item):
        return [item.category.name] if item.category_id else []


class AtomItemFeed(ItemFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)


def serve_feed(request, *, home, column, atom: bool):
    if request.GET:
        from .views import bad_request

        return bad_request(request, [(gettext("参数"), [gettext("订阅源不接受查询参数。")])])
    if home is None:
        home = selectors.site_home_of_page(page=column)
    feed = AtomItemFeed() if atom else ItemFeed()
    response = feed(request, home=home, column=column)
    return cache.mark_cacheable(response, page=column or home)


class PagesSitemap(Sitemap):
    """The site's live, unrestricted pages."""

    limit = 50_000

    def __init__(self, *, home):
        self.home = home

    def items(self):
        return (
            Page.objects.live()
            .public()
            .descendant_of(self.home, inclusive=True)
            .order_by("path")
            .only("id", "url_path", "last_published_at", "path", "depth")
        )

    def location(self, page):
        # url_path starts with the home's own url_path; the home is the site root ("/").
        return "/" + page.url_path[len(self.home.url_path) :]

    def lastmod(self, page):
        return page.last_published_at


class ItemsSitemap(Sitemap):
    """The public items shown on the site, at their address on this site."""

    limit = 50_000

    def __init__(self, *, home):
        self.home = home

    def items(self):
        return (
            selectors.items_public_on_site(root=self.home).order_by("id").only("id", "updated_at")
        )

    def location(self, item):
        return f"/{ITEM_ROUTE_PREFIX}{item.pk}/"

    def lastmod(self, item):
        return item.updated_at
