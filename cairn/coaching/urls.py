from __future__ import annotations

from django.urls import path

from cairn.coaching import views

app_name = "coaching"

urlpatterns = [
    path("engagements/new/", views.engagement_new, name="engagement-new"),
    path("engagements/<uuid:code>/", views.engagement_detail, name="engagement"),
    path("engagements/<uuid:code>/accept/", views.engagement_accept, name="engagement-accept"),
    path("engagements/<uuid:code>/decline/", views.engagement_decline, name="engagement-decline"),
    path("engagements/<uuid:code>/close/", views.engagement_close, name="engagement-close"),
    path("engagements/<uuid:code>/sessions/", views.session_schedule, name="session-schedule"),
    path("engagements/<uuid:code>/agreement/", views.agreement_propose, name="agreement-propose"),
    path("engagements/<uuid:code>/debrief/", views.debrief_write, name="debrief-write"),
    path("engagements/<uuid:code>/sponsor/", views.sponsor_summary, name="sponsor-summary"),
    path("agreements/<uuid:code>/accept/", views.agreement_accept, name="agreement-accept"),
    path("sessions/<uuid:code>/", views.session_detail, name="session"),
    path("sessions/<uuid:code>/complete/", views.session_complete, name="session-complete"),
    path("sessions/<uuid:code>/move/", views.session_move, name="session-move"),
    path("sessions/<uuid:code>/cancel/", views.session_cancel, name="session-cancel"),
    path("sessions/<uuid:code>/skip/", views.session_skip, name="session-skip"),
    path("sessions/<uuid:code>/tips/", views.session_tips, name="session-tips"),
    path("sessions/<uuid:code>/agenda/", views.agenda_add, name="agenda-add"),
    path("sessions/<uuid:code>/notes/", views.note_add, name="note-add"),
    path("sessions/<uuid:code>/actions/", views.action_add, name="action-add"),
    path("sessions/<uuid:code>/agenda/<uuid:item>/edit/", views.agenda_edit, name="agenda-edit"),
    path(
        "sessions/<uuid:code>/agenda/<uuid:item>/remove/",
        views.agenda_remove,
        name="agenda-remove",
    ),
    path("sessions/<uuid:code>/notes/<uuid:item>/edit/", views.note_edit, name="note-edit"),
    path("sessions/<uuid:code>/actions/<uuid:item>/edit/", views.action_edit, name="action-edit"),
    path(
        "sessions/<uuid:code>/actions/<uuid:item>/remove/",
        views.action_remove,
        name="action-remove",
    ),
    path("agenda/<uuid:code>/mark/", views.agenda_mark, name="agenda-mark"),
    path("agenda/<uuid:code>/dismiss-nudge/", views.agenda_dismiss_nudge, name="agenda-dismiss"),
    path("notes/<uuid:code>/delete/", views.note_delete, name="note-delete"),
    path("actions/<uuid:code>/mark/", views.action_mark, name="action-mark"),
    path("calendar/", views.calendar_settings, name="calendar"),
    path("calendar/reset/", views.calendar_reset, name="calendar-reset"),
    path("calendar/stop/", views.calendar_stop, name="calendar-stop"),
    path("calendar/<str:secret>.ics", views.calendar_feed, name="calendar-feed"),
]
