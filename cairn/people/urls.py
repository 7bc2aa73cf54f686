from __future__ import annotations

from django.urls import path

from cairn.people import views

app_name = "people"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("manage/", views.directory, name="manage"),  # replaced by the admin pages
    path("<uuid:code>/", views.person_detail, name="person"),
]
