"""The secretariat's page of locked sign-ins, mounted at /secretariat/operations/lock-outs/."""

from django.urls import path

from compact_process.accounts import views_lockouts as views

app_name = "lockouts"
urlpatterns = [
    path("", views.lockouts, name="list"),
    # kind: "account" (the name typed) or "address"; value: that name or address.
    path("<str:kind>/<str:value>/unlock/", views.unlock, name="unlock"),
]
