"""URLs (filled by the work in progress)."""

app_name = "texts"
urlpatterns: list = []
