from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from cairn.debriefs import views

app_name = "debriefs"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("new/", views.new, name="new"),
    path("<uuid:code>/", views.debrief, name="debrief"),
    path("<uuid:code>/invite/", views.invite, name="invite"),
    path("<uuid:code>/group/<uuid:person>/remove/", views.remove_member, name="remove"),
    path("<uuid:code>/reflection/", views.reflection, name="reflection"),
    path("<uuid:code>/open/", views.open_session, name="open"),
    path("<uuid:code>/close/", views.close, name="close"),
    path("<uuid:code>/decline/", views.decline, name="decline"),
    path("<uuid:code>/actions/", views.action_add, name="action-add"),
    path("<uuid:code>/actions/<uuid:item>/mark/", views.action_mark, name="action-mark"),
    path("<uuid:code>/actions/<uuid:item>/edit/", views.action_edit, name="action-edit"),
    path("<uuid:code>/actions/<uuid:item>/remove/", views.action_remove, name="action-remove"),
    path("<uuid:code>/notes/", views.note_add, name="note-add"),
]
