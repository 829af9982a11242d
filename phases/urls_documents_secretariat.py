"""The staff's document pages (under /secretariat/documents/)."""

from django.urls import path

from phases.views.secretariat import documents

app_name = "documents-secretariat"
urlpatterns = [
    path("", documents.document_list, name="list"),
    path("new/", documents.document_create, name="create"),
    path("<int:pk>/", documents.document_detail, name="detail"),
    path("<int:pk>/edit/", documents.document_edit, name="edit"),
    path("<int:pk>/upload/", documents.version_upload, name="upload"),
    path("<int:pk>/publish/", documents.document_publish, name="publish"),
    path("<int:pk>/status/", documents.document_status, name="status"),
    path(
        "<int:pk>/versions/<int:version_pk>/remove/",
        documents.version_remove,
        name="version-remove",
    ),
    path("files/<int:pk>/", documents.version_file, name="file"),
]
