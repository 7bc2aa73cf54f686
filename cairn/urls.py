from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from cairn.coaching import views as coaching_views

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
    path("", include("cairn.coaching.urls")),
    path("people/", include("cairn.people.urls")),
    path("growth/", include("cairn.growth.urls")),
    path("mastery/", include("cairn.mastery.urls")),
    path("mentoring/", include("cairn.mentoring.urls")),
    path("library/", include("cairn.library.urls")),
    path("evaluation/", include("cairn.evaluation.urls")),
    path("export/", include("cairn.export.urls")),
    path("trust/", include("cairn.trust.urls")),
    path("notifications/", include("cairn.notifications.urls")),
    path("admin/", admin.site.urls),
]
