"""Public URLs (mounted at /channels/). The admin's are registered in wagtail_hooks."""

from django.urls import path

from .views import public

app_name = "channels"

urlpatterns = [
    path("screen/<slug:slug>/", public.screen, name="screen"),
    path("screen/<slug:slug>/feed.json", public.screen_feed, name="screen_feed"),
    path("kiosk/<slug:slug>/", public.kiosk, name="kiosk"),
    path("kiosk/<slug:slug>/data.json", public.kiosk_data, name="kiosk_data"),
    path("kiosk/<slug:slug>/search.json", public.kiosk_search, name="kiosk_search"),
    path("kiosk/<slug:slug>/items/<int:item_id>.json", public.kiosk_item, name="kiosk_item"),
]
