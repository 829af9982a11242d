"""Pages of the registration family (issue 4), mounted at /stakeholders/."""

from django.urls import path

from stakeholders.views import registration as views

app_name = "stakeholders-registration"
urlpatterns = [
    path("", views.start, name="start"),
    path("signup/", views.signup, name="signup"),
    path("signup/sent/", views.signup_sent, name="signup-sent"),
    path("verify/<str:uidb64>/<str:token>/", views.verify, name="verify"),
    path("signup/resend/", views.resend, name="resend"),
    path("signup/resend/sent/", views.resend_sent, name="resend-sent"),
    path("organization/new/", views.organization_create, name="organization-create"),
    path("organization/<int:pk>/edit/", views.organization_edit, name="organization-edit"),
    path("organization/<int:pk>/status/", views.status, name="status"),
    path("organization/<int:pk>/apply/", views.apply, name="apply"),
    path("organization/<int:pk>/register/", views.register_direct, name="register-direct"),
    path(
        "organization/<int:pk>/applications/<int:application_pk>/answer/",
        views.answer,
        name="answer",
    ),
    path("secretariat/lists/", views.accredited_import, name="accredited-import"),
    path("secretariat/matches/", views.matches, name="matches"),
    path("secretariat/matches/<int:pk>/", views.match_decide, name="match-decide"),
]
