from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from cairn.trust import views

app_name = "trust"

# Read only: no route here writes, edits or deletes a record.
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.access_log, name="log"),
]
