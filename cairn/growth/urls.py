from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "growth"

urlpatterns: list[URLPattern | URLResolver] = []
