"""The Member State review pages (delegates), mounted at /review/."""

from django.urls import path

from stakeholders.views import review

app_name = "stakeholders-review"
urlpatterns = [
    path("", review.lists, name="lists"),
    path("<int:list_id>/", review.list_detail, name="list"),
    path("<int:list_id>/entries/<int:entry_id>/", review.entry_profile, name="entry"),
    path("<int:list_id>/entries/<int:entry_id>/object/", review.object_to_entry, name="object"),
    path(
        "<int:list_id>/entries/<int:entry_id>/information/",
        review.information,
        name="information",
    ),
    path("objections/<int:objection_id>/withdraw/", review.withdraw, name="withdraw"),
]
