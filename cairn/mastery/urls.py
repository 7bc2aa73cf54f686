from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from cairn.mastery import views, views_frameworks

app_name = "mastery"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("ladders/new/", views.ladder_new, name="ladder-new"),
    path("ladders/<slug:slug>/", views.ladder_detail, name="ladder"),
    path("grant/", views.grant_new, name="grant"),
    path("shares/", views.share_add, name="share-add"),
    path("shares/<uuid:code>/remove/", views.share_remove, name="share-remove"),
    path("people/<uuid:code>/", views.person_detail, name="person"),
    path(
        "people/<uuid:code>/frameworks/<uuid:framework>/",
        views_frameworks.person_framework,
        name="person-framework",
    ),
    path(
        "people/<uuid:code>/frameworks/<uuid:framework>/competencies/<str:competency>/",
        views_frameworks.person_competency,
        name="person-competency",
    ),
    path("frameworks/import/", views.framework_import, name="framework-import"),
    path("frameworks/<uuid:code>/", views_frameworks.framework_detail, name="framework"),
    path(
        "frameworks/<uuid:code>/cells/<str:competency>/<str:level>/",
        views_frameworks.framework_cell,
        name="framework-cell",
    ),
    path(
        "frameworks/<uuid:code>/competencies/<str:competency>/assess/",
        views_frameworks.assess,
        name="framework-assess",
    ),
    path(
        "frameworks/<uuid:code>/export.<str:fmt>",
        views.framework_export,
        name="framework-export",
    ),
    path(
        "engagements/<uuid:code>/competencies/",
        views.engagement_competency_add,
        name="engagement-competency-add",
    ),
    path(
        "engagements/<uuid:code>/competencies/<uuid:competency>/remove/",
        views.engagement_competency_remove,
        name="engagement-competency-remove",
    ),
]
