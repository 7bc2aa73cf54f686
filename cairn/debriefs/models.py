"""Team, organisation and program debriefs: a host invites a group, each member
writes a reflection beforehand, the session opens, the group reads the reflections
and leaves with action items that have owners; anyone in the group may keep private
notes. The individual engagement debrief stays in ``cairn.coaching``.

The group is the host and every invitee who has not declined. Who reads what is held
in the querysets below (``policy.py`` has the who-sees-what rows):

* ``GroupDebrief.objects.visible_to(viewer)``: the group, nobody else — not their
  managers, org admins, HR, program admins who are not in it, nor another
  organisation.
* ``Reflection.objects.visible_to(viewer)``: the author, and once the host has opened
  the session, the group.
* ``DebriefActionItem.objects.visible_to(viewer)``: the group.
* ``DebriefNote.objects.visible_to(viewer)``: the author alone.

Every free text a person writes here is an ``EncryptedTextField``; the title is the
host's name for the meeting, shown like a session's title in notifications.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import models
from django.db.models import Exists, OuterRef, Q

from cairn.mentoring.models import Program
from cairn.people.models import Organisation, Person
from cairn.trust.fields import EncryptedTextField

TITLE_MAX = 120
REFLECTION_MAX = 4_000
ACTION_MAX = 500
NOTE_MAX = 4_000
# A debrief is a meeting: a group larger than this is an announcement, not a debrief.
GROUP_MAX = 200


class DebriefKind(models.TextChoices):
    TEAM = "team", "Team debrief"
    ORGANISATION = "organisation", "Organisation debrief"
    PROGRAM = "program", "Program debrief"


def _in_group(viewer: Person, *, through: str = "") -> Q:
    """The viewer hosts the debrief, or is invited to it and has not declined.
    ``through`` is the path to the debrief from the filtered model (``"debrief__"``)."""
    invited = Invitation.objects.filter(
        debrief_id=OuterRef(f"{through}pk" if not through else "debrief_id"),
        person_id=viewer.pk,
        declined_at__isnull=True,
    )
    return Q(**{f"{through}host_id": viewer.pk}) | Q(Exists(invited))


class GroupDebriefQuerySet(models.QuerySet["GroupDebrief"]):
    def visible_to(self, viewer: Person) -> GroupDebriefQuerySet:
        """The group: the host and the invitees who have not declined."""
        return self.filter(organisation_id=viewer.organisation_id).filter(_in_group(viewer))

    # Counts for insights: no content is read through these.
    def for_organisation(self, organisation: Organisation | int) -> GroupDebriefQuerySet:
        org_id = organisation if isinstance(organisation, int) else organisation.pk
        return self.filter(organisation_id=org_id)

    def held_between(self, start: dt.datetime, end: dt.datetime) -> GroupDebriefQuerySet:
        """Debriefs whose session was opened in [start, end)."""
        return self.filter(opened_at__gte=start, opened_at__lt=end)


class GroupDebrief(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    host = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=DebriefKind.choices)
    title = models.CharField(max_length=TITLE_MAX)
    # The program whose cohort a program debrief is for (a program admin hosts it).
    program = models.ForeignKey(
        Program, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opens_at = models.DateTimeField()
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GroupDebriefQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "-id"]
        indexes = [models.Index(fields=["organisation", "opened_at"], name="debrief_org_opened")]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(opened_at__isnull=False),
                name="debrief_closed_only_once_opened",
            ),
            models.CheckConstraint(
                condition=~Q(kind="program") | Q(program__isnull=False),
                name="debrief_program_kind_has_program",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.code}"

    @property
    def is_open(self) -> bool:
        return self.opened_at is not None and self.closed_at is None

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class Invitation(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    debrief = models.ForeignKey(GroupDebrief, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    invited_at = models.DateTimeField(auto_now_add=True)
    declined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["person__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["debrief", "person"], name="debrief_invited_once"),
        ]

    def __str__(self) -> str:
        return f"Invitation {self.code}"


class ReflectionQuerySet(models.QuerySet["Reflection"]):
    def visible_to(self, viewer: Person) -> ReflectionQuerySet:
        """The author; once the session has opened, the rest of the group too."""
        group = Q(debrief__opened_at__isnull=False) & _in_group(viewer, through="debrief__")
        return self.filter(debrief__organisation_id=viewer.organisation_id).filter(
            Q(author_id=viewer.pk) | group
        )


class Reflection(models.Model):
    """What one member of the group wrote beforehand: what happened · what we
    learned · what we change."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    debrief = models.ForeignKey(GroupDebrief, on_delete=models.CASCADE, related_name="reflections")
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    happened = EncryptedTextField(max_length=REFLECTION_MAX)
    learned = EncryptedTextField(max_length=REFLECTION_MAX, blank=True)
    change = EncryptedTextField(max_length=REFLECTION_MAX, blank=True)
    written_at = models.DateTimeField(auto_now=True)

    objects = ReflectionQuerySet.as_manager()

    class Meta:
        ordering = ["author__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["debrief", "author"], name="debrief_one_reflection"),
        ]

    def __str__(self) -> str:
        return f"Reflection {self.code}"


class DebriefActionItemQuerySet(models.QuerySet["DebriefActionItem"]):
    def visible_to(self, viewer: Person) -> DebriefActionItemQuerySet:
        """The group."""
        return self.filter(debrief__organisation_id=viewer.organisation_id).filter(
            _in_group(viewer, through="debrief__")
        )

    def open(self) -> DebriefActionItemQuerySet:
        return self.filter(done_at__isnull=True)


class DebriefActionItem(models.Model):
    """Who does what by when, agreed in the session."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    debrief = models.ForeignKey(GroupDebrief, on_delete=models.CASCADE, related_name="action_items")
    description = EncryptedTextField(max_length=ACTION_MAX)
    owner = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DebriefActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"Debrief action item {self.code}"


class DebriefNoteQuerySet(models.QuerySet["DebriefNote"]):
    def visible_to(self, viewer: Person) -> DebriefNoteQuerySet:
        """The author alone."""
        return self.filter(author_id=viewer.pk)


class DebriefNote(models.Model):
    """A private note a member of the group keeps for themselves."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    debrief = models.ForeignKey(GroupDebrief, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    body = EncryptedTextField(max_length=NOTE_MAX)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DebriefNoteQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Debrief note {self.code}"
