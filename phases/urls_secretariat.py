"""The secretariat's pages (staff only; see ``phases.views.secretariat`` for who may
change what)."""

from django.urls import path

from phases.views import secretariat

app_name = "secretariat"
urlpatterns = [
    path("", secretariat.dashboard, name="dashboard"),
    path("meetings/", secretariat.meetings, name="meetings"),
    path("meetings/new/", secretariat.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", secretariat.meeting, name="meeting"),
    path("meetings/<int:pk>/edit/", secretariat.meeting_edit, name="meeting-edit"),
    path("meetings/<int:pk>/days/add/", secretariat.day_add, name="day-add"),
    path(
        "meetings/<int:pk>/days/<int:day_pk>/remove/",
        secretariat.day_remove,
        name="day-remove",
    ),
    path("meetings/<int:pk>/panels/add/", secretariat.panel_add, name="panel-add"),
    path(
        "meetings/<int:pk>/panels/<int:panel_pk>/remove/",
        secretariat.panel_remove,
        name="panel-remove",
    ),
    path(
        "meetings/<int:pk>/panels/<int:panel_pk>/moderators/add/",
        secretariat.moderator_add,
        name="moderator-add",
    ),
    path(
        "meetings/<int:pk>/moderators/<int:appointment_pk>/remove/",
        secretariat.moderator_remove,
        name="moderator-remove",
    ),
    path("deliverables/", secretariat.deliverables, name="deliverables"),
    path(
        "deliverables/<int:pk>/delivered/",
        secretariat.deliverable_delivered,
        name="deliverable-delivered",
    ),
    path("compliance/", secretariat.compliance, name="compliance"),
]
