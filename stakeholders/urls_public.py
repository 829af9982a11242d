"""The public transparency pages of the stakeholder lists, mounted at /lists/."""

from django.urls import path

from stakeholders.views import public

app_name = "stakeholders-public"
urlpatterns = [
    path("", public.index, name="index"),
    path("<int:list_id>/", public.compare, name="compare"),
    path("<int:list_id>/lists.csv", public.csv_export, name="csv"),
]
