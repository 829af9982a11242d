"""The text pages (mounted under /secretariat/documents/ beside the documents' own
pages: every path here has a ``text`` or ``summary`` segment, so none can collide)."""

from django.urls import path

from phases.views.secretariat import texts

app_name = "texts"
urlpatterns = [
    path("<int:pk>/text/<str:language>/", texts.edit, name="edit"),
    path("<int:pk>/text/<str:language>/history/", texts.history, name="history"),
    path(
        "<int:pk>/text/<str:language>/history/<int:history_id>/",
        texts.revision,
        name="revision",
    ),
    path(
        "<int:pk>/text/<str:language>/history/<int:history_id>/restore/",
        texts.restore,
        name="restore",
    ),
    path("meetings/<int:meeting_pk>/summary/", texts.write_summary, name="write-summary"),
]
