from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from cairn.notifications import views

app_name = "notifications"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.notification_list, name="list"),
    path("bell/", views.bell, name="bell"),
    path("read/", views.read_all, name="read-all"),
    path("preferences/", views.preferences, name="preferences"),
    path("<uuid:code>/", views.open_notification, name="open"),
    path("<uuid:code>/read/", views.read, name="read"),
]
