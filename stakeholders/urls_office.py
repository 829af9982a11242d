"""The Office of the PGA's pages (OP 6, footnote 5); the secretariat reads them."""

from django.urls import path

from stakeholders.views import office

app_name = "stakeholders-office"
urlpatterns = [
    path("", office.home, name="home"),
    path("applications/", office.applications, name="applications"),
    path("applications/<int:pk>/", office.application, name="application"),
    path("lists/", office.lists, name="lists"),
    path("lists/new/", office.list_create, name="list-create"),
    path("lists/<int:pk>/", office.list_detail, name="list"),
    path("lists/<int:pk>/submit/", office.list_submit, name="list-submit"),
    path("lists/<int:pk>/close/", office.list_close, name="close"),
    path("lists/<int:pk>/extend/", office.list_extend, name="list-extend"),
    path("requests/", office.requests, name="requests"),
    path("requests/<int:pk>/share/", office.share, name="share"),
    path("audit/", office.audit, name="audit"),
]
