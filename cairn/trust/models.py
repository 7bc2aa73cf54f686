"""Who read a person's things: one row per read of someone's content by anyone but
its author. The row says who, what kind of thing, when and through which page —
never the content itself — and no page edits it."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone

if TYPE_CHECKING:
    from cairn.people.models import Person


class Kind(models.TextChoices):
    """What kind of thing was read. Each names a thing, never a piece of it."""

    MISSION_STATEMENT = "mission_statement", "mission statement"
    DEVELOPMENT_PLAN = "development_plan", "development plan"
    OBJECTIVE = "objective", "objective"
    ASSESSMENTS = "assessments", "competency assessments"
    SPONSOR_SUMMARY = "sponsor_summary", "sponsor summary of an engagement"
    MENTORING_REQUEST = "mentoring_request", "mentoring request"
    ENROLMENT = "enrolment", "program enrolment"
    SENSITIVE_ANSWERS = "sensitive_answers", "sensitive program answers"
    STORY = "story", "unpublished story"
    ADMIN_ROWS = "admin_rows", "rows in the Django admin"
    EXPORT = "export", "export of your data"
    SELF_REVIEW = "self_review", "performance self-review"
    FEEDBACK = "feedback", "feedback received"


class AccessRecordQuerySet(models.QuerySet["AccessRecord"]):
    def visible_to(self, viewer: Person) -> AccessRecordQuerySet:
        """The person whose content was read, alone. Not the reader, not an admin."""
        return self.filter(owner_id=viewer.pk)


class AccessRecord(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    owner = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="access_records"
    )
    reader = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The reader as they were named at the time: survives the reader's deletion, and
    # names readers who are no person (a Django superuser, the command line).
    reader_name = models.CharField(max_length=160)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    via = models.CharField(max_length=300, help_text="The page or command it was read through.")
    at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AccessRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["owner", "-at"], name="access_owner_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} read at {self.at:%Y-%m-%d %H:%M}"
