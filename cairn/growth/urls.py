from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from cairn.growth import views

app_name = "growth"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("mission/", views.mission, name="mission"),
    path("mission/guided/", views.mission_guided, name="mission-guided"),
    path("mission/history/", views.mission_history, name="mission-history"),
    path("plan/", views.plan, name="plan"),
    path("plan/shares/", views.share_add, name="share-add"),
    path("shares/<uuid:code>/remove/", views.share_remove, name="share-remove"),
    path("objectives/new/", views.objective_new, name="objective-new"),
    path("objectives/<uuid:code>/", views.objective_detail, name="objective"),
    path("objectives/<uuid:code>/edit/", views.objective_edit, name="objective-edit"),
    path("objectives/<uuid:code>/actions/", views.action_add, name="action-add"),
    path("objectives/<uuid:code>/check-ins/", views.check_in_add, name="check-in-add"),
    path("objectives/<uuid:code>/session/", views.objective_session, name="objective-session"),
    path("actions/<uuid:code>/mark/", views.action_mark, name="action-mark"),
    path("shared/", views.shared_with_me, name="shared"),
    path("people/<uuid:code>/plan/", views.shared_plan, name="shared-plan"),
]
