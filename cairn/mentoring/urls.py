from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from cairn.mentoring import views

app_name = "mentoring"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.directory, name="directory"),
    path("profile/", views.profile_edit, name="profile-edit"),
    path("mentors/<uuid:code>/", views.profile_detail, name="profile"),
    path("mentors/<uuid:code>/request/", views.request_send, name="request-send"),
    path("requests/", views.requests, name="requests"),
    path("requests/<uuid:code>/", views.request_detail, name="request"),
    path("requests/<uuid:code>/answer/", views.request_answer, name="request-answer"),
    path("tags/", views.tags, name="tags"),
    path("programs/", views.programs, name="programs"),
    path("programs/new/", views.program_new, name="program-new"),
    path("programs/<slug:slug>/", views.program_detail, name="program"),
    path("programs/<slug:slug>/settings/", views.program_settings, name="program-settings"),
    path("programs/<slug:slug>/mentors/", views.program_mentors, name="program-mentors"),
    path("programs/<slug:slug>/enrol/", views.program_enrol, name="program-enrol"),
    path("programs/<slug:slug>/proposal/", views.proposal, name="proposal"),
    path(
        "programs/<slug:slug>/proposal/mentors/",
        views.proposal_mentors,
        name="proposal-mentors",
    ),
    path("programs/<slug:slug>/proposal/run/", views.proposal_run, name="proposal-run"),
    path("programs/<slug:slug>/proposal/publish/", views.proposal_publish, name="proposal-publish"),
    path("pairs/<uuid:code>/pin/", views.match_pin, name="match-pin"),
    path("pairs/<uuid:code>/move/", views.match_move, name="match-move"),
    path("pairs/<uuid:code>/answer/", views.match_answer, name="match-answer"),
]
