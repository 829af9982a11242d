"""The secretariat's pages for representatives at meetings and for the application
windows (issue 4), mounted at /secretariat/participation/."""

from django.urls import path

from stakeholders.views import participation as views

app_name = "secretariat-participation"
urlpatterns = [
    path("", views.overview, name="meetings"),
    path("meetings/<int:pk>/", views.meeting_nominations, name="meeting"),
    path("meetings/<int:pk>/deadline/", views.deadline, name="deadline"),
    path("meetings/<int:pk>/participants.csv", views.participants_csv, name="participants-csv"),
    path("nominations/<int:pk>/confirm/", views.decide, {"decision": "confirm"}, name="confirm"),
    path("nominations/<int:pk>/decline/", views.decide, {"decision": "decline"}, name="decline"),
    path("windows/", views.windows, name="windows"),
    path("windows/<str:purpose>/", views.window_edit, name="window-edit"),
]
