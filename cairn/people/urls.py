from __future__ import annotations

from django.urls import path

from cairn.people import security_views, views

app_name = "people"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.person_new, name="person-new"),
    path("manage/<uuid:code>/edit/", views.person_edit, name="person-edit"),
    path("manage/teams/new/", views.team_new, name="team-new"),
    path("manage/roles/", views.roles, name="roles"),
    path("manage/security/", security_views.organisation_security, name="security-settings"),
    path("manage/roles/<uuid:code>/confirm/", views.grant_confirm, name="grant-confirm"),
    path("manage/roles/<uuid:code>/decline/", views.grant_decline, name="grant-decline"),
    path("pick/", views.pick, name="pick"),
    path("me/time-zone/", views.time_zone, name="time-zone"),
    path("<uuid:code>/", views.person_detail, name="person"),
]
