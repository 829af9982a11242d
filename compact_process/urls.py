from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from compact_process import views
from compact_process.deadlines.urls import feed_urlpatterns as deadline_feed

# A database outage is a 503 with a retry hint in the reader's language; any other error
# stays Django's 500 (compact_process/web/outage.py).
handler500 = "compact_process.web.outage.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("healthz/db", views.healthz_db, name="healthz-db"),
    path("feeds/due/", include(deadline_feed)),
]
# Every page carries its language in the URL, so that links can be shared (English, the
# source language, has no prefix).
urlpatterns += i18n_patterns(
    path("", include("phases.urls")),
    path("secretariat/", include("phases.urls_secretariat")),
    path("secretariat/documents/", include("phases.urls_documents_secretariat")),
    path("secretariat/documents/", include("phases.urls_texts")),
    path("documents/", include("phases.urls_documents")),
    path("drafts/", include("phases.urls_drafts")),
    path("pdf/", include("compact_process.pdf.urls")),
    path("secretariat/operations/", include("compact_process.notifications.urls_operations")),
    path("secretariat/operations/lock-outs/", include("compact_process.accounts.urls_lockouts")),
    path("review/", include("stakeholders.urls_review")),
    path("office/", include("stakeholders.urls_office")),
    path("stakeholders/", include("stakeholders.urls_registration")),
    path("stakeholders/", include("stakeholders.urls_participation")),
    path("secretariat/participation/", include("stakeholders.urls_participation_secretariat")),
    path("lists/", include("stakeholders.urls_public")),
    path("accounts/", include("compact_process.accounts.urls")),
    path("notifications/", include("compact_process.notifications.urls")),
    path("due/", include("compact_process.deadlines.urls")),
    path("support/", admin.site.urls),
    prefix_default_language=False,
)
