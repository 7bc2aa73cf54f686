from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from cairn.feedback import views

app_name = "feedback"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("ask/", views.ask, name="ask"),
    path("requests/<uuid:code>/", views.request_detail, name="request"),
    path("requests/<uuid:code>/takeaways/", views.request_takeaway, name="request-takeaway"),
    path("answer/<uuid:code>/", views.answer, name="answer"),
    path("answer/<uuid:code>/decline/", views.decline, name="decline"),
    path("give/", views.give, name="give"),
    path("received/<uuid:code>/", views.received, name="received"),
    path("received/<uuid:code>/keep/", views.received_keep, name="received-keep"),
    path("received/<uuid:code>/takeaways/", views.received_takeaway, name="received-takeaway"),
    path("shares/", views.shares, name="shares"),
    path("shares/<uuid:code>/remove/", views.share_remove, name="share-remove"),
    path("people/<uuid:code>/", views.shared_person, name="shared-person"),
    path("sessions/<uuid:code>/helped/", views.session_helped, name="session-helped"),
]
