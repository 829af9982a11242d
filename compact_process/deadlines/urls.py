from django.urls import path

from compact_process.deadlines import views

app_name = "deadlines"
urlpatterns = [
    path("", views.due, name="due"),
    path("feed/", views.create_feed, name="feed-create"),
    path("feed/replace/", views.replace_feed, name="feed-replace"),
]

# Mounted outside the language prefixes (compact_process/urls.py): a calendar client
# keeps one address, and the feed speaks its owner's language whatever the client asks.
feed_urlpatterns = (
    [path("<slug:token>.ics", views.feed, name="feed")],
    "deadlines-feed",
)
