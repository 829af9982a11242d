"""URLs (filled by the work in progress)."""

app_name = "pdf"
urlpatterns: list = []
