from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from cairn.mastery import views

app_name = "mastery"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("ladders/new/", views.ladder_new, name="ladder-new"),
    path("ladders/<slug:slug>/", views.ladder_detail, name="ladder"),
    path("grant/", views.grant_new, name="grant"),
    path("shares/", views.share_add, name="share-add"),
    path("shares/<uuid:code>/remove/", views.share_remove, name="share-remove"),
    path("people/<uuid:code>/", views.person_detail, name="person"),
    path("frameworks/import/", views.framework_import, name="framework-import"),
    path("frameworks/<uuid:code>/", views.framework_detail, name="framework"),
    path("frameworks/<uuid:code>/assess/", views.assess, name="assess"),
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
