from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("", views.start, name="start"),
    path("receipt/", views.receipt, name="receipt"),
    path("receipt.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("track/", views.track, name="track"),
    path("track/documents/<int:pk>/", views.track_document, name="track_document"),
    path("to/<slug:code>/", views.apply, name="apply"),
]
