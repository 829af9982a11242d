"""URLs (filled by the work in progress)."""

app_name = "drafts"
urlpatterns: list = []
