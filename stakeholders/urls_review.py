"""Pages of the review family (being built)."""

app_name = "stakeholders-review"
urlpatterns: list = []
