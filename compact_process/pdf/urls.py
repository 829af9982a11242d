"""``/pdf/<key>/`` (the PDF, or its progress) and ``/pdf/<key>/status/`` (JSON)."""

from django.urls import path

from . import views

app_name = "pdf"
urlpatterns = [
    path("<path:key>/status/", views.status, name="status"),
    path("<path:key>/", views.file, name="file"),
]
