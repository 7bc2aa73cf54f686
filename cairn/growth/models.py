"""A person's mission statement and development plan: theirs, and shown only to the
people they choose (see ``policy.py`` for the who-sees-what row).

Visibility lives on the querysets: every read starts from ``visible_to(viewer)``.
Sharing is per person and covers both the mission statement and the plan, so a
share exists before the plan does (a mission statement can come first).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from cairn.coaching.models import ActionItem, Session
from cairn.lib.versions import version_field
from cairn.people.models import Person

MISSION_MAX = 600
ANSWER_MAX = 600
PLAN_TEXT_MAX = 2000
OBJECTIVE_WHAT_MAX = 200
OBJECTIVE_TEXT_MAX = 1000
SCALE_TEXT_MAX = 200
ACTION_MAX = 300
CHECK_IN_MAX = 2000
SESSION_LABEL_MAX = 200

# The goal-attainment scale: five described outcomes, from much less than expected
# to much more than expected. The position is what a check-in records.
SCALE_POSITIONS: tuple[int, ...] = (-2, -1, 0, 1, 2)
SCALE_MEANING = {
    -2: "much less than expected",
    -1: "less than expected",
    0: "expected",
    1: "more than expected",
    2: "much more than expected",
}


def scale_label(position: int) -> str:
    return f"{position:+d}" if position else "0"


def _shared_with(viewer: Person) -> models.QuerySet[PlanShare, Any]:
    """The owners who share with the viewer, as a subquery."""
    return PlanShare.objects.filter(shared_with=viewer).values("owner_id")


class PlanShareQuerySet(models.QuerySet["PlanShare"]):
    def visible_to(self, viewer: Person) -> PlanShareQuerySet:
        """A share is known to the owner who made it and the person it is for."""
        return self.filter(Q(owner=viewer) | Q(shared_with=viewer))


class PlanShare(models.Model):
    """The owner lets one person read their mission statement and development plan."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="growth_shares")
    shared_with = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = PlanShareQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "shared_with"], name="plan_share_once"),
            models.CheckConstraint(
                condition=~Q(owner=F("shared_with")), name="plan_share_not_with_self"
            ),
        ]
        indexes = [models.Index(fields=["shared_with", "owner"], name="plan_share_by_reader")]

    def __str__(self) -> str:
        return f"Plan share {self.code}"


class MissionStatementQuerySet(models.QuerySet["MissionStatement"]):
    def visible_to(self, viewer: Person) -> MissionStatementQuerySet:
        """Every version to its owner; the current one to those the owner shares
        with. Earlier versions are the owner's drafts of themselves."""
        return self.filter(Q(owner=viewer) | Q(is_current=True, owner_id__in=_shared_with(viewer)))

    def current(self) -> MissionStatementQuerySet:
        return self.filter(is_current=True)


class MissionStatement(models.Model):
    """One version of a person's mission statement. Saving makes a new version; the
    newest is current."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="mission_statements")
    text = models.CharField(max_length=MISSION_MAX)
    # The guided page's prompts, kept with the version when the person wants them.
    love = models.CharField("What do you love doing?", max_length=ANSWER_MAX, blank=True)
    morning = models.CharField(
        "What gets you up in the morning?", max_length=ANSWER_MAX, blank=True
    )
    become = models.CharField("Who do you want to become?", max_length=ANSWER_MAX, blank=True)
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = MissionStatementQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="mission_statement_not_empty"),
            models.UniqueConstraint(
                fields=["owner"],
                condition=Q(is_current=True),
                name="one_current_mission_statement",
            ),
        ]

    def __str__(self) -> str:
        # Never the text: it is the owner's to show.
        return f"Mission statement {self.code}"

    @property
    def has_answers(self) -> bool:
        return bool(self.love or self.morning or self.become)


class DevelopmentPlanQuerySet(models.QuerySet["DevelopmentPlan"]):
    def visible_to(self, viewer: Person) -> DevelopmentPlanQuerySet:
        return self.filter(Q(owner=viewer) | Q(owner_id__in=_shared_with(viewer)))


class DevelopmentPlan(models.Model):
    """A person's development plan; one each, created on first edit."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="development_plan")
    dreams = models.TextField("Dreams and passions", max_length=PLAN_TEXT_MAX, blank=True)
    become = models.TextField("Who I want to become", max_length=PLAN_TEXT_MAX, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Two tabs (or devices) editing the plan: a save against an older version is a
    # conflict, never a silent overwrite (cairn.lib.versions).
    version = version_field()

    objects = DevelopmentPlanQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Development plan {self.code}"


class ObjectiveStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    ACHIEVED = "achieved", "Achieved"
    DROPPED = "dropped", "Dropped"


class ObjectiveQuerySet(models.QuerySet["Objective"]):
    def visible_to(self, viewer: Person) -> ObjectiveQuerySet:
        return self.filter(plan__in=DevelopmentPlan.objects.visible_to(viewer))


_SCALE_FIELDS = ("scale_minus_2", "scale_minus_1", "scale_0", "scale_plus_1", "scale_plus_2")


class Objective(models.Model):
    """Why · what · how · measure · target date, optionally with a goal-attainment
    scale, and optionally linked to a coaching session where it is reviewed."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="objectives")
    what = models.CharField(max_length=OBJECTIVE_WHAT_MAX)
    why = models.TextField(max_length=OBJECTIVE_TEXT_MAX, blank=True)
    how = models.TextField(max_length=OBJECTIVE_TEXT_MAX, blank=True)
    measure = models.TextField(max_length=OBJECTIVE_TEXT_MAX, blank=True)
    target_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=ObjectiveStatus.choices, default=ObjectiveStatus.NOT_STARTED
    )
    scale_minus_2 = models.CharField(max_length=SCALE_TEXT_MAX, blank=True)
    scale_minus_1 = models.CharField(max_length=SCALE_TEXT_MAX, blank=True)
    scale_0 = models.CharField(max_length=SCALE_TEXT_MAX, blank=True)
    scale_plus_1 = models.CharField(max_length=SCALE_TEXT_MAX, blank=True)
    scale_plus_2 = models.CharField(max_length=SCALE_TEXT_MAX, blank=True)
    session = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What the linked session was, kept as words: the export carries it (an id means
    # nothing elsewhere), and it survives the session being deleted.
    session_label = models.CharField(max_length=SESSION_LABEL_MAX, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    version = version_field()

    objects = ObjectiveQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(what=""), name="objective_what_not_empty"),
            # A scale is all five outcomes or none: a check-in's position means
            # nothing against a scale with holes in it.
            models.CheckConstraint(
                condition=Q(**dict.fromkeys(_SCALE_FIELDS, ""))
                | Q(*[~Q(**{f: ""}) for f in _SCALE_FIELDS]),
                name="objective_scale_all_or_nothing",
            ),
        ]

    def __str__(self) -> str:
        return f"Objective {self.code}"

    @property
    def has_scale(self) -> bool:
        return bool(self.scale_0)

    @property
    def scale(self) -> list[tuple[int, str, str]]:
        """(position, its label, its description), lowest first; empty without a scale."""
        if not self.has_scale:
            return []
        return [
            (position, scale_label(position), getattr(self, field))
            for position, field in zip(SCALE_POSITIONS, _SCALE_FIELDS, strict=True)
        ]

    @property
    def open_session_item_count(self) -> int:
        """Open session action items towards it, from ``visible_session_items`` (the
        links a view prefetched for its viewer); 0 when none were."""
        links = getattr(self, "visible_session_items", [])
        return sum(1 for link in links if link.action_item.done_at is None)

    @property
    def done_session_items(self) -> list[ObjectiveActionItem]:
        links = getattr(self, "visible_session_items", [])
        return [link for link in links if link.action_item.done_at is not None]

    def scale_texts(self) -> list[str]:
        return [getattr(self, field) for field in _SCALE_FIELDS]

    def set_scale(self, texts: list[str]) -> None:
        for field, text in zip(_SCALE_FIELDS, texts, strict=True):
            setattr(self, field, text)


class ActionQuerySet(models.QuerySet["PlanAction"]):
    def visible_to(self, viewer: Person) -> ActionQuerySet:
        return self.filter(objective__plan__in=DevelopmentPlan.objects.visible_to(viewer))

    def open(self) -> ActionQuerySet:
        return self.filter(done_at__isnull=True)


class PlanAction(models.Model):
    """Who does what by when, towards an objective: the same vocabulary as a
    session's action item (``owner``, ``description``, ``due_on``, ``done_at``).

    The owner is a person of the plan owner's organisation, or just a name: a plan
    imported from elsewhere keeps the names of people this instance does not know.
    The name is always stored, so it also survives the person being deleted.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="actions")
    owner = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    owner_name = models.CharField(max_length=120)
    # The code an imported item gave for someone this instance does not know: kept so
    # that the next export carries it unchanged (export, import, export is identical).
    owner_code = models.CharField(max_length=40, blank=True)
    description = models.CharField(max_length=ACTION_MAX)
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(description=""), name="plan_action_description_not_empty"
            ),
            models.CheckConstraint(condition=~Q(owner_name=""), name="plan_action_has_an_owner"),
        ]

    def __str__(self) -> str:
        return f"Plan action {self.code}"

    @property
    def owner_display(self) -> str:
        return self.owner.name if self.owner is not None else self.owner_name

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return not self.is_done and self.due_on < (today or timezone.localdate())


class CheckInQuerySet(models.QuerySet["CheckIn"]):
    def visible_to(self, viewer: Person) -> CheckInQuerySet:
        return self.filter(objective__plan__in=DevelopmentPlan.objects.visible_to(viewer))


class CheckIn(models.Model):
    """A dated note on progress, with where the person stands on the objective's
    goal-attainment scale when it has one."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="check_ins")
    note = models.TextField(max_length=CHECK_IN_MAX)
    position = models.SmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CheckInQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(note=""), name="check_in_note_not_empty"),
            models.CheckConstraint(
                condition=Q(position__isnull=True) | Q(position__gte=-2, position__lte=2),
                name="check_in_position_on_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"Check-in {self.code}"

    @property
    def position_label(self) -> str:
        return "" if self.position is None else scale_label(self.position)


class ObjectiveActionItemQuerySet(models.QuerySet["ObjectiveActionItem"]):
    def visible_to(self, viewer: Person) -> ObjectiveActionItemQuerySet:
        """A link is seen by whoever may read both ends: the objective (its owner, the
        people the owner shares with) and the action item (the engagement's two
        parties). A sharee who is no party learns nothing of the session's items."""
        return self.filter(
            objective__in=Objective.objects.visible_to(viewer),
            action_item__in=ActionItem.objects.visible_to(viewer),
        )


class ObjectiveActionItem(models.Model):
    """A session's action item that works towards an objective of the receiver's
    plan: chosen on coaching's action-item form (growth's form part), shown on the
    objective and the plan as progress. Holds no text of its own."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    action_item = models.OneToOneField(ActionItem, on_delete=models.CASCADE, related_name="+")
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="session_items")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ObjectiveActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Objective action item {self.code}"
