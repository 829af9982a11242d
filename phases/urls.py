from django.urls import path

from phases import views

app_name = "phases"
urlpatterns = [
    path("", views.public_home, name="public-home"),
]
