from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from cairn.evaluation import views

app_name = "evaluation"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("team/", views.team, name="team"),
    path("reviews/<uuid:code>/", views.review_detail, name="review"),
    path("reviews/<uuid:code>/self-review/", views.self_review, name="self-review"),
    path("reviews/<uuid:code>/assessment/", views.assessment, name="assessment"),
    path("reviews/<uuid:code>/goals/", views.goal_add, name="goal-add"),
    path("goals/<uuid:code>/", views.goal_edit, name="goal-edit"),
    path("cycles/", views.cycles, name="cycles"),
    path("cycles/<uuid:code>/", views.cycle_detail, name="cycle"),
    path("cycles/<uuid:code>/open/", views.cycle_open, name="cycle-open"),
    path("cycles/<uuid:code>/move/", views.cycle_move, name="cycle-move"),
    path("cycles/<uuid:code>/results.csv", views.cycle_export, name="cycle-export"),
]
