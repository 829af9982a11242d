"""Pages of the public family (being built)."""

app_name = "stakeholders-public"
urlpatterns: list = []
