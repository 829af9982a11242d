from django.contrib.auth import views as auth_views
from django.urls import path

from compact_process.accounts import views, views_password, views_two_factor

app_name = "accounts"
urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("start/", views.landing, name="landing"),
    path("profile/", views.profile, name="profile"),
    path("password/", views_password.password_change, name="password-change"),
    path("password/done/", views_password.password_change_done, name="password-change-done"),
    path("language/", views.preferred_language, name="language"),
    path("two-factor/", views_two_factor.manage, name="two-factor"),
    path("two-factor/setup/", views_two_factor.setup, name="two-factor-setup"),
    path("two-factor/verify/", views_two_factor.verify, name="two-factor-verify"),
    path("password_reset/", views.password_reset, name="password-reset"),
    path("password_reset/done/", views.password_reset_done, name="password-reset-done"),
    path(
        "reset/<str:uidb64>/<str:token>/",
        views.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path("reset/done/", views.password_reset_complete, name="password-reset-complete"),
]
