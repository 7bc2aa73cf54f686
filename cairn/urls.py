from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from cairn.coaching import views as coaching_views
from cairn.people import account_views, security_views, signin

urlpatterns = [
    path("", coaching_views.home, name="home"),
    path("login/", signin.sign_in, name="login"),
    path("login/code/", signin.login_code, name="login-code"),
    path("login/two-factor/", signin.login_two_factor, name="login-two-factor"),
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
    path("account/security/", security_views.security, name="account-security"),
    path(
        "account/security/two-factor/",
        security_views.two_factor_setup,
        name="account-two-factor",
    ),
    path(
        "account/security/two-factor/off/",
        security_views.two_factor_disable,
        name="account-two-factor-off",
    ),
    path(
        "account/security/recovery-codes/",
        security_views.recovery_codes,
        name="account-recovery-codes",
    ),
    path("", include("cairn.coaching.urls")),
    path("people/", include("cairn.people.urls")),
    path("growth/", include("cairn.growth.urls")),
    path("mastery/", include("cairn.mastery.urls")),
    path("mentoring/", include("cairn.mentoring.urls")),
    path("library/", include("cairn.library.urls")),
    path("feedback/", include("cairn.feedback.urls")),
    path("debriefs/", include("cairn.debriefs.urls")),
    path("evaluation/", include("cairn.evaluation.urls")),
    path("export/", include("cairn.export.urls")),
    path("insights/", include("cairn.insights.urls")),
    path("trust/", include("cairn.trust.urls")),
    path("notifications/", include("cairn.notifications.urls")),
    # The Django admin signs in through Cairn's own steps (throttle, two-factor).
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="login", query_string=True),
        name="admin-login",
    ),
    path("admin/", admin.site.urls),
]
