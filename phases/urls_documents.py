"""URLs (filled by the work in progress)."""

app_name = "documents"
urlpatterns: list = []
