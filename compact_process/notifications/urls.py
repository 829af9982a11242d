from django.urls import path

from compact_process.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/read/", views.read, name="read"),
    path("read/", views.read_all, name="read-all"),
]
