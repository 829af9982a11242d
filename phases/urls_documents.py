"""The public document library (published, general-distribution documents only)."""

from django.urls import path

from phases.views import documents

app_name = "documents"
urlpatterns = [
    path("", documents.library, name="library"),
    path("<int:pk>/", documents.detail, name="detail"),
    path("files/<int:pk>/", documents.file, name="file"),
]
