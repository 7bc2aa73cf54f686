from __future__ import annotations

from django.urls import path

from cairn.library import views

app_name = "library"

urlpatterns = [
    path("", views.library, name="index"),
    path("reviews/", views.review_queue, name="reviews"),
    path("stories/new/", views.story_new, name="story-new"),
    path("stories/<uuid:code>/", views.story_detail, name="story"),
    path("stories/<uuid:code>/edit/", views.story_edit, name="story-edit"),
    path("stories/<uuid:code>/submit/", views.story_submit, name="story-submit"),
    path("stories/<uuid:code>/publish/", views.story_publish, name="story-publish"),
    path("stories/<uuid:code>/review/", views.story_review, name="story-review"),
    path("stories/<uuid:code>/history/", views.story_history, name="story-history"),
    path("questions/", views.question_bank, name="questions"),
    path("questions/new/", views.question_add, name="question-add"),
    path("questions/<uuid:code>/hide/", views.question_hide, name="question-hide"),
    path("tags/new/", views.tag_add, name="tag-add"),
    path("sessions/<uuid:code>/questions/", views.session_questions, name="session-questions"),
    path("sessions/<uuid:code>/questions/pin/", views.session_pin, name="session-pin"),
    path("sessions/<uuid:code>/advice/", views.advice_check, name="advice-check"),
    path("sessions/<uuid:code>/advice/dismiss/", views.advice_dismiss, name="advice-dismiss"),
    path("sessions/<uuid:code>/stories/", views.session_stories, name="session-stories"),
]
