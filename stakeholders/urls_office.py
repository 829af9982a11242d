"""Pages of the office family (being built)."""

app_name = "stakeholders-office"
urlpatterns: list = []
