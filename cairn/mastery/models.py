"""Mastery: proficiency ladders whose levels unlock privileges, and competency
frameworks that people are assessed against.

A ladder works like a driving licence: a person starts at its lowest level, works
alongside someone further up, and is granted the next level with evidence. Grants
are never edited or deleted: the person's current level on a ladder is their latest
grant, and a grant to a lower level is how a level is withdrawn. Everyone without a
grant is at the ladder's lowest level.

Visibility lives on the querysets (see ``policy.py`` for the who-sees-what rows):
grants are read by the person and by whoever granted them; assessments by the
person, by whoever wrote each one, and by the people the person shares them with
(``AssessmentShare``). Managers and org admins see none of it by their role.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from cairn.coaching.models import Debrief, Engagement
from cairn.people.models import Organisation, Person


class Privilege(models.TextChoices):
    """What a level lets its holders do. Other apps ask ``policy.has_privilege``."""

    PUBLISH_WITHOUT_REVIEW = "publish_without_review", "Publish stories without review"
    REVIEW_STORIES = "review_stories", "Review other people's stories"
    GRANT_LEVELS = "grant_levels", "Grant the levels below their own on this ladder"


# --- proficiency ladders -------------------------------------------------------------


class LadderQuerySet(models.QuerySet["Ladder"]):
    def visible_to(self, viewer: Person) -> LadderQuerySet:
        """The built-in ladders and the viewer's organisation's own."""
        return self.for_organisation(viewer.organisation_id)

    def for_organisation(self, organisation_id: int) -> LadderQuerySet:
        return self.filter(Q(organisation__isnull=True) | Q(organisation_id=organisation_id))


class Ladder(models.Model):
    """A licence-style sequence of levels. Built-in ladders have no organisation and
    are shared by all of them; an organisation may define its own."""

    slug = models.SlugField(max_length=60)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = LadderQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "slug"], name="ladder_slug_unique_in_org"
            ),
            # NULLs are distinct in a unique constraint, so the built-in ladders need
            # their own: one slug names at most one built-in ladder.
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(organisation__isnull=True),
                name="builtin_ladder_slug_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_builtin(self) -> bool:
        return self.organisation_id is None


class Level(models.Model):
    """One rung of a ladder. Rank orders the rungs; the lowest is where everyone
    starts."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ladder = models.ForeignKey(Ladder, on_delete=models.CASCADE, related_name="levels")
    slug = models.SlugField(max_length=60)
    name = models.CharField(max_length=80)
    rank = models.PositiveSmallIntegerField()
    criteria = models.TextField(max_length=2_000)

    class Meta:
        ordering = ["ladder", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["ladder", "rank"], name="level_rank_unique"),
            models.UniqueConstraint(fields=["ladder", "slug"], name="level_slug_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def privilege_values(self) -> list[str]:
        """The privileges, read from ``level_privileges`` (prefetch it for lists)."""
        return sorted(p.privilege for p in self.level_privileges.all())

    @property
    def privilege_labels(self) -> list[str]:
        return [Privilege(value).label for value in self.privilege_values]


class LevelPrivilege(models.Model):
    """A privilege a level grants. A table rather than a JSON list so that "who holds
    this privilege" is one indexed query on every database (SQLite cannot search
    inside JSON lists)."""

    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="level_privileges")
    privilege = models.CharField(max_length=40, choices=Privilege.choices)

    class Meta:
        ordering = ["level", "privilege"]
        constraints = [
            models.UniqueConstraint(fields=["level", "privilege"], name="level_privilege_unique"),
            models.CheckConstraint(
                condition=Q(privilege__in=Privilege.values), name="level_privilege_known"
            ),
        ]

    def __str__(self) -> str:
        return self.privilege


class GrantQuerySet(models.QuerySet["Grant"]):
    def visible_to(self, viewer: Person) -> GrantQuerySet:
        """Grants with their evidence: the person they were granted to, and the person
        who granted them. Nobody else reads a grant; a level acts through
        ``policy.has_privilege`` where a privilege needs it, and the grant form tells
        the granter the level they are about to change (``policy.held_for_granting``)."""
        return self.filter(Q(person=viewer) | Q(granted_by=viewer))

    def latest_first(self) -> GrantQuerySet:
        return self.order_by("-granted_at", "-id")


class Grant(models.Model):
    """A person reached a level, on someone's word and with evidence. Never changed:
    the history is the record."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="grants")
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="grants")
    # Kept when the granter leaves: the level stays earned.
    granted_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="grants_given"
    )
    evidence = models.TextField(max_length=4_000)
    granted_at = models.DateTimeField(default=timezone.now)

    objects = GrantQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at", "-id"]
        indexes = [models.Index(fields=["person", "granted_at"], name="grant_by_person")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(granted_by=F("person")), name="grant_not_to_oneself"
            ),
        ]

    def __str__(self) -> str:
        # Never the evidence, which only the person and the granter may read.
        return f"Grant {self.code}"


# --- competency frameworks -------------------------------------------------------------


class FrameworkQuerySet(models.QuerySet["Framework"]):
    def visible_to(self, viewer: Person) -> FrameworkQuerySet:
        """A framework describes expectations, not people: open to its organisation."""
        return self.filter(organisation_id=viewer.organisation_id)


class Framework(models.Model):
    """Areas, tracks → levels, and competencies shared by the tracks, with the
    behaviours expected of each competency at each level; imported from a file
    (``cairn.framework/2``, docs/frameworks/README.md). Importing a file with the
    same ``key`` again updates the framework in place and adds a
    ``FrameworkVersion``: rows are matched by key, so assessments survive renames,
    and what the new file no longer has is retired (``retired_at``), never deleted."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="frameworks"
    )
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=120)
    # Markdown, rendered sanitised.
    description = models.TextField(max_length=20_000, blank=True)
    # The number of the current version (the latest ``FrameworkVersion``).
    version = models.PositiveIntegerField(default=1)
    # The default stage scale of the framework's competencies; none for a framework
    # assessed by levels only.
    scale = models.ForeignKey(
        "Scale", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="framework_name_unique_in_org"
            ),
            models.UniqueConstraint(
                fields=["organisation", "key"], name="framework_key_unique_in_org"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class FrameworkVersion(models.Model):
    """One import of a framework: the canonical file of that version as the
    exporter writes it, and what changed. Kept for good: an update adds one."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    source = models.TextField(blank=True)
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Counts of what was added, renamed, changed and retired.
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["framework", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "number"], name="framework_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"Framework {self.framework_id} version {self.number}"


class Scale(models.Model):
    """Stages of growth in a competency, independent of a track's levels (say
    Adopts → Specialises → Evangelises → Masters → Creates)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="scales")
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["framework", "key"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="scale_key_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Stage(models.Model):
    """A stage of a scale, lowest rank first."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    scale = models.ForeignKey(Scale, on_delete=models.CASCADE, related_name="stages")
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=120)
    rank = models.PositiveSmallIntegerField()
    description = models.TextField(max_length=20_000, blank=True)

    class Meta:
        ordering = ["scale", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "key"], name="stage_key_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Area(models.Model):
    """A group of competencies (say "Results", "Craft")."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="areas")
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=120)
    description = models.TextField(max_length=20_000, blank=True)
    position = models.PositiveSmallIntegerField()
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["framework", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="area_key_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Track(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="tracks")
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=120)
    description = models.TextField(max_length=20_000, blank=True)
    position = models.PositiveSmallIntegerField()
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["framework", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="track_key_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class FrameworkLevel(models.Model):
    """A level of a track (say "Engineer", "Senior engineer"), lowest first."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="levels")
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=120)
    # The level's code in the organisation's career ladder ("IC3", "M5").
    label = models.CharField(max_length=20, blank=True)
    # Aligns levels across tracks: IC5 and M5 share a grade.
    grade = models.PositiveSmallIntegerField(null=True, blank=True)
    description = models.TextField(max_length=20_000, blank=True)
    rank = models.PositiveSmallIntegerField()
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["track", "rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["track", "key"], name="framework_level_key_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Competency(models.Model):
    """A competency of a framework, defined once and used by the tracks that list it
    (``TrackCompetency``); what it looks like at each level is that level's
    behaviours."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="competencies")
    key = models.SlugField(max_length=60)
    area = models.ForeignKey(
        Area, on_delete=models.SET_NULL, null=True, blank=True, related_name="competencies"
    )
    name = models.CharField(max_length=120)
    description = models.TextField(max_length=20_000, blank=True)
    # Overrides the framework's scale.
    scale = models.ForeignKey(
        Scale, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField()
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["framework", "position", "id"]
        verbose_name_plural = "competencies"
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="competency_key_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def scale_id_in_use(self) -> int | None:
        """The scale its stages come from: its own, else its framework's."""
        return self.scale_id or self.framework.scale_id


class TrackCompetency(models.Model):
    """A track uses a competency, in this order among the track's competencies."""

    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="track_competencies")
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="track_links")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["track", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["track", "competency"], name="track_competency_once"),
        ]

    def __str__(self) -> str:
        return f"Track {self.track_id} competency {self.competency_id}"


class Behaviour(models.Model):
    """What the competency looks like in practice at one level (of one track)."""

    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="behaviours")
    level = models.ForeignKey(FrameworkLevel, on_delete=models.CASCADE, related_name="behaviours")
    text = models.TextField(max_length=2_000)
    examples = models.JSONField(default=list, blank=True)
    position = models.PositiveSmallIntegerField()
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["competency", "level__rank", "position", "id"]

    def __str__(self) -> str:
        return self.text


class AssessmentShareQuerySet(models.QuerySet["AssessmentShare"]):
    def visible_to(self, viewer: Person) -> AssessmentShareQuerySet:
        """A share is known to the person who made it and the person it is for."""
        return self.filter(Q(owner=viewer) | Q(shared_with=viewer))


class AssessmentShare(models.Model):
    """The owner lets one person read every competency assessment of them: their
    self-assessments and their coaches' assessments, with evidence and authors.
    Deleting the row takes the access back at once."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="assessment_shares")
    shared_with = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = AssessmentShareQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "shared_with"], name="assessment_share_once"),
            models.CheckConstraint(
                condition=~Q(owner=F("shared_with")), name="assessment_share_not_with_self"
            ),
        ]
        indexes = [models.Index(fields=["shared_with", "owner"], name="assessment_share_by_reader")]

    def __str__(self) -> str:
        return f"Assessment share {self.code}"


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def visible_to(self, viewer: Person) -> AssessmentQuerySet:
        """Assessments with their evidence: the person assessed, the one who wrote
        each (the person themselves, or their coach), and the people the person
        shares their assessments with. Nobody else, whatever their role."""
        return self.filter(
            Q(person=viewer)
            | Q(assessor=viewer)
            | Q(person_id__in=AssessmentShare.objects.filter(shared_with=viewer).values("owner_id"))
        )

    def latest_first(self) -> AssessmentQuerySet:
        return self.order_by("-assessed_at", "-id")


class Assessment(models.Model):
    """The level of a track (or the stage of a scale) a person showed in one
    competency, with evidence, by the person or their coach. Never changed: a new
    assessment adds to the history."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="assessments")
    assessor = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="assessed"
    )
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="assessments")
    # A level of one of the tracks using the competency, or a stage of its scale:
    # exactly one of the two.
    level = models.ForeignKey(
        FrameworkLevel, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    stage = models.ForeignKey(
        Stage, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    evidence = models.TextField(max_length=4_000)
    assessed_at = models.DateTimeField(default=timezone.now)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-assessed_at", "-id"]
        indexes = [models.Index(fields=["person", "assessed_at"], name="assessment_by_person")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(level__isnull=False) & Q(stage__isnull=True))
                | (Q(level__isnull=True) & Q(stage__isnull=False)),
                name="assessment_level_or_stage",
            ),
        ]

    def __str__(self) -> str:
        # Never the evidence.
        return f"Assessment {self.code}"

    @property
    def is_self_assessment(self) -> bool:
        return self.assessor_id == self.person_id


# --- competencies in coaching --------------------------------------------------------


class EngagementCompetencyQuerySet(models.QuerySet["EngagementCompetency"]):
    def visible_to(self, viewer: Person) -> EngagementCompetencyQuerySet:
        """What a competency-coaching engagement works on: its two parties only, as
        everything else said inside an engagement. Not its parties' managers, not org
        admins, whatever they know of the engagement's existence."""
        return self.filter(engagement__in=Engagement.objects.for_party(viewer))


class EngagementCompetency(models.Model):
    """A competency a competency-coaching engagement works on, chosen by either party
    from their organisation's frameworks."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="competency_links"
    )
    competency = models.ForeignKey(
        Competency, on_delete=models.CASCADE, related_name="engagement_links"
    )
    # Kept when the person who chose it leaves: the choice stays the engagement's.
    added_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    objects = EngagementCompetencyQuerySet.as_manager()

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "competency"], name="engagement_competency_once"
            ),
        ]

    def __str__(self) -> str:
        # Never the competency: what someone is being coached on is the engagement's.
        return f"Engagement competency {self.pk}"


class DebriefBehaviourChangeQuerySet(models.QuerySet["DebriefBehaviourChange"]):
    def visible_to(
        self, viewer: Person, *, now: dt.datetime | None = None
    ) -> DebriefBehaviourChangeQuerySet:
        """Where the debrief itself shows (``Debrief.visible_to``: blind until the
        viewer wrote theirs, and only to the two parties)."""
        return self.filter(debrief__in=Debrief.objects.visible_to(viewer, now=now))


class DebriefBehaviourChange(models.Model):
    """A behaviour its author says changed, ticked in a competency-coaching debrief."""

    debrief = models.ForeignKey(Debrief, on_delete=models.CASCADE, related_name="behaviour_changes")
    behaviour = models.ForeignKey(Behaviour, on_delete=models.CASCADE, related_name="+")

    objects = DebriefBehaviourChangeQuerySet.as_manager()

    class Meta:
        ordering = ["debrief", "behaviour__competency", "behaviour__level__rank", "behaviour"]
        constraints = [
            models.UniqueConstraint(fields=["debrief", "behaviour"], name="debrief_behaviour_once"),
        ]

    def __str__(self) -> str:
        return f"Debrief behaviour change {self.pk}"
