"""Pages of the registration family (being built)."""

app_name = "stakeholders-registration"
urlpatterns: list = []
