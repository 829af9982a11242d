"""The secretariat's pages (placeholder until the secretariat UI lands)."""

from django.urls import path

from phases.views import secretariat

app_name = "secretariat"
urlpatterns = [
    path("", secretariat.dashboard, name="dashboard"),
    path("meetings/", secretariat.dashboard, name="meetings"),
    path("deliverables/", secretariat.dashboard, name="deliverables"),
    path("compliance/", secretariat.dashboard, name="compliance"),
]
