"""What Cairn tells a person: one row per event that asks something of them or tells
them about their things. A notification holds the kind, a title made of people's
names and the kind of thing, a link, and which thing it is about (``subject``) —
never note, agenda, plan, request, feedback or story text."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone

if TYPE_CHECKING:
    from cairn.people.models import Person


class Kind(models.TextChoices):
    ENGAGEMENT_PROPOSED = "engagement_proposed", "An engagement proposed to you"
    AGREEMENT_TO_ACCEPT = "agreement_to_accept", "An agreement or amendment to accept"
    REQUEST_RECEIVED = "request_received", "A mentoring request to answer"
    REQUEST_ANSWERED = "request_answered", "The answer to your mentoring request"
    MATCH_PUBLISHED = "match_published", "A mentoring match published for you"
    REVIEW_REQUESTED = "review_requested", "A story waiting for your review"
    STORY_RETURNED = "story_returned", "Your story returned by its reviewer"
    STORY_PUBLISHED = "story_published", "Your story published"
    SHARED_WITH_YOU = "shared_with_you", "A plan, mission statement or assessments shared with you"
    ACTION_ASSIGNED = "action_assigned", "An action item given to you"
    SESSION_TOMORROW = "session_tomorrow", "A session tomorrow"
    ITEMS_OVERDUE = "items_overdue", "Action items overdue"
    SESSION_INVITATION = "session_invitation", "Calendar invitations for your sessions"
    ROLE_TO_CONFIRM = "role_to_confirm", "A role waiting for a second org admin"
    SESSION_CHANGED = "session_changed", "A session moved, cancelled or skipped"
    ENGAGEMENT_DECLINED = "engagement_declined", "An engagement you proposed declined"
    FEEDBACK_REQUESTED = "feedback_requested", "A request for your feedback"
    FEEDBACK_READY = "feedback_ready", "Answers to your feedback request"
    FEEDBACK_GIVEN = "feedback_given", "Feedback given to you"
    FEEDBACK_DUE_SOON = "feedback_due_soon", "A feedback request due soon"
    FEEDBACK_SHARED = "feedback_shared", "Feedback someone shared with you"
    DEBRIEF_INVITED = "debrief_invited", "A group debrief you are invited to"
    DEBRIEF_OPENED = "debrief_opened", "A group debrief opening"
    ENGAGEMENT_STALLED = "engagement_stalled", "An engagement with no session for a while"


class Channel(models.TextChoices):
    IN_APP = "in_app", "In Cairn only"
    EMAIL = "email", "In Cairn, and an email at once"
    DIGEST = "digest", "In Cairn, and in a daily digest email"
    OFF = "off", "Off"


# What a person gets until they choose.
DEFAULT_CHANNEL: dict[str, str] = {
    **dict.fromkeys(Kind.values, Channel.IN_APP),
    Kind.ENGAGEMENT_PROPOSED: Channel.EMAIL,
    Kind.REQUEST_RECEIVED: Channel.EMAIL,
    Kind.FEEDBACK_REQUESTED: Channel.EMAIL,
    Kind.SESSION_TOMORROW: Channel.EMAIL,
    Kind.SESSION_INVITATION: Channel.EMAIL,
    Kind.ITEMS_OVERDUE: Channel.DIGEST,
}


class NotificationQuerySet(models.QuerySet["Notification"]):
    def visible_to(self, viewer: Person) -> NotificationQuerySet:
        """The recipient's own, and nobody else's. Whether they may still see each
        notification's subject is checked after (``registry.still_visible``)."""
        return self.filter(recipient_id=viewer.pk)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    title = models.CharField(max_length=200)
    url = models.CharField(max_length=300)
    # What it is about, as "<app_label>.<model>" and the row's id: the registry asks
    # the app that owns it whether the recipient may still see it.
    subject_type = models.CharField(max_length=80, blank=True)
    subject_id = models.BigIntegerField(null=True, blank=True)
    # One event, one notification: ``notify`` with a key already used adds nothing.
    key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notification_recent"),
        ]

    def __str__(self) -> str:
        return f"Notification {self.code}"


class Preference(models.Model):
    """How one person wants one kind of notification."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="preference_once_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.channel}"
