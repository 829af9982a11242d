"""The secretariat's pages (staff only; see ``phases.views.secretariat`` for who may
change what)."""

from django.urls import path

from phases.views.secretariat import compliance, dashboard, deliverables, drafts, meetings

app_name = "secretariat"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("meetings/", meetings.meetings, name="meetings"),
    path("meetings/new/", meetings.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", meetings.meeting, name="meeting"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting-edit"),
    path("meetings/<int:pk>/days/add/", meetings.day_add, name="day-add"),
    path(
        "meetings/<int:pk>/days/<int:day_pk>/edit/",
        meetings.day_edit,
        name="day-edit",
    ),
    path(
        "meetings/<int:pk>/days/<int:day_pk>/remove/",
        meetings.day_remove,
        name="day-remove",
    ),
    path("meetings/<int:pk>/panels/add/", meetings.panel_add, name="panel-add"),
    path(
        "meetings/<int:pk>/panels/<int:panel_pk>/edit/",
        meetings.panel_edit,
        name="panel-edit",
    ),
    path(
        "meetings/<int:pk>/panels/<int:panel_pk>/remove/",
        meetings.panel_remove,
        name="panel-remove",
    ),
    path(
        "meetings/<int:pk>/panels/<int:panel_pk>/moderators/add/",
        meetings.moderator_add,
        name="moderator-add",
    ),
    path(
        "meetings/<int:pk>/moderators/<int:appointment_pk>/remove/",
        meetings.moderator_remove,
        name="moderator-remove",
    ),
    path("deliverables/", deliverables.deliverables, name="deliverables"),
    path("deliverables/new/", deliverables.deliverable_create, name="deliverable-create"),
    path("deliverables/<int:pk>/edit/", deliverables.deliverable_edit, name="deliverable-edit"),
    path("deliverables/<int:pk>/move/", deliverables.deliverable_move, name="deliverable-move"),
    path(
        "deliverables/<int:pk>/delivered/",
        deliverables.deliverable_delivered,
        name="deliverable-delivered",
    ),
    path("compliance/", compliance.compliance, name="compliance"),
    path("drafts/new/", drafts.draft_create, name="draft-create"),
]
