from django.contrib.auth import views as auth_views
from django.urls import path

from compact_process.accounts import views
from compact_process.accounts.forms import SignInForm

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("start/", views.landing, name="landing"),
    path("profile/", views.profile, name="profile"),
]
