from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    # The public portal outside the page tree: robots.txt, sitemaps, display preferences and
    # the open-data API (gongkai/catalogue/urls.py). Before Wagtail's catch-all.
    path("", include("gongkai.catalogue.urls")),
    path("apply/", include("gongkai.applications.urls")),
    path("channels/", include("gongkai.channels.urls")),
    path("search/", include("gongkai.search.urls")),
    path("", include(wagtail_urls)),
]
