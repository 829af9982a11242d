"""The organization's pages for its representatives at meetings (issue 4), mounted at
/stakeholders/ beside the registration pages, and the page showing Member States which
organizations take part in a meeting."""

from django.urls import path

from stakeholders.views import participation as views

app_name = "stakeholders-participation"
urlpatterns = [
    path("organization/<int:pk>/meetings/", views.meetings, name="meetings"),
    path(
        "organization/<int:pk>/meetings/<int:meeting_pk>/",
        views.meeting,
        name="meeting",
    ),
    path(
        "organization/<int:pk>/nominations/<int:nomination_pk>/withdraw/",
        views.withdraw,
        name="withdraw",
    ),
    path(
        "meetings/<int:meeting_pk>/organizations/",
        views.organizations,
        name="organizations",
    ),
]
