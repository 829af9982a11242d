"""The negotiation texts, public: ``/drafts/``, ``/drafts/compare/?from=&to=``,
``/drafts/<key>/``."""

from django.urls import path

from phases.views import drafts

app_name = "drafts"
urlpatterns = [
    path("", drafts.draft_list, name="list"),
    path("compare/", drafts.draft_compare, name="compare"),
    path("<slug:key>/", drafts.draft_detail, name="detail"),
]
