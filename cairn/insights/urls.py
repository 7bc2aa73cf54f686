from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from cairn.insights import views, views_organisation

app_name = "insights"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.me, name="me"),
    path("team/", views.team, name="team"),
    path("organisation/", views_organisation.organisation_page, name="organisation"),
    path("programs/<slug:slug>/", views_organisation.program_page, name="program"),
    path("developing-others/", views_organisation.developing_others, name="developing-others"),
]
