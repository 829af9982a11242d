"""URLs (filled by the work in progress)."""

app_name = "documents-secretariat"
urlpatterns: list = []
