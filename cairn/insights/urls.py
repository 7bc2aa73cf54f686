from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from cairn.insights import views

app_name = "insights"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.me, name="me"),
]
