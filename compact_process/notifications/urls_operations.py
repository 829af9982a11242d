"""The secretariat's operations pages, mounted at /secretariat/operations/."""

from django.urls import path

from compact_process.notifications import views_operations as views

app_name = "operations"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("e-mails/<int:pk>/retry/", views.retry, name="retry"),
    path("e-mails/<int:pk>/resend/", views.resend, name="resend"),
    path("e-mails/<int:pk>/drop/", views.drop, name="drop"),
    path("e-mails/held/send/", views.send_held, name="send-held"),
    path("e-mails/held/drop/", views.drop_held, name="drop-held"),
    path("e-mails/<int:pk>/held/send/", views.send_held, name="send-held-one"),
    path("e-mails/<int:pk>/held/drop/", views.drop_held, name="drop-held-one"),
    path("schedules/", views.schedules, name="schedules"),
    path("schedules/<str:kind>/", views.schedule_edit, name="schedule-edit"),
    path("schedules/<str:kind>/default/", views.schedule_default, name="schedule-default"),
]
