from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from cairn.coaching import views as coaching_views
from cairn.people import account_views

urlpatterns = [
    path("", coaching_views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/reset/", account_views.password_reset, name="password_reset"),
    path("password/reset/sent/", account_views.password_reset_done, name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        account_views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        account_views.password_reset_complete,
        name="password_reset_complete",
    ),
    path("welcome/<uidb64>/<token>/", account_views.invitation, name="invitation"),
    path("password/change/", account_views.password_change, name="password_change"),
    path("password/change/done/", account_views.password_change_done, name="password_change_done"),
    path("", include("cairn.coaching.urls")),
    path("people/", include("cairn.people.urls")),
    path("growth/", include("cairn.growth.urls")),
    path("mastery/", include("cairn.mastery.urls")),
    path("mentoring/", include("cairn.mentoring.urls")),
    path("library/", include("cairn.library.urls")),
    path("feedback/", include("cairn.feedback.urls")),
    path("evaluation/", include("cairn.evaluation.urls")),
    path("export/", include("cairn.export.urls")),
    path("insights/", include("cairn.insights.urls")),
    path("trust/", include("cairn.trust.urls")),
    path("notifications/", include("cairn.notifications.urls")),
    path("admin/", admin.site.urls),
]
