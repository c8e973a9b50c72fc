"""The portal's addresses outside the page tree (pages themselves are routed by Wagtail)."""

from django.urls import path, re_path

from . import api, views

app_name = "portal"

urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", views.sitemap_index, name="sitemap_index"),
    path("sitemap-<slug:section>.xml", views.sitemap_section, name="sitemap_section"),
    path("elder-mode/", views.elder_mode, name="elder_mode"),
    path("language/", views.set_language, name="language"),
    path("api/v1/", api.api_index, name="api_index"),
    path("api/v1/items/", api.api_items, name="api_items"),
    path("api/v1/items.csv", api.api_items_csv, name="api_items_csv"),
    path("api/v1/items/<int:pk>/", api.api_item, name="api_item"),
    path("api/v1/sites/", api.api_sites, name="api_sites"),
    path("api/v1/organisations/", api.api_organisations, name="api_organisations"),
    path("api/v1/categories/", api.api_categories, name="api_categories"),
    re_path(r"^api/", api.api_not_found),
]
