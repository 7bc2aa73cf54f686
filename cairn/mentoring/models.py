"""Mentor profiles, mentoring requests, programs with their enrolments, and the
pairs that matching proposes. Who sees what is in ``policy.py``; every read of
private content starts from a ``visible_to(viewer)`` queryset here."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from cairn.coaching.models import Engagement, EngagementKind, EngagementStatus
from cairn.lib.versions import version_field
from cairn.people.models import Organisation, Person
from cairn.tags.models import Tag
from cairn.trust.fields import EncryptedTextField

CAPACITY_MIN = 1
CAPACITY_MAX = 10
TEXT_MAX = 2000
LANGUAGES_MAX = 200
UTC_OFFSET_MIN = -12
UTC_OFFSET_MAX = 14


def split_languages(text: str) -> frozenset[str]:
    """'English, Polish' → {'english', 'polish'}: compared without case."""
    return frozenset(part.strip().lower() for part in text.split(",") if part.strip())


class ProfileStatus(models.TextChoices):
    OPEN = "open", "Open to mentees"
    PAUSED = "paused", "Paused"
    WITHDRAWN = "withdrawn", "Withdrawn"


class MentorProfileQuerySet(models.QuerySet["MentorProfile"]):
    def visible_to(self, viewer: Person) -> MentorProfileQuerySet:
        """Profiles are for finding mentors: everyone in the organisation sees them."""
        return self.filter(organisation_id=viewer.organisation_id)

    def with_load(self) -> MentorProfileQuerySet:
        """Annotate ``mentees``: the mentor's open mentoring engagements, one
        subquery for the whole list (open capacity is capacity minus this)."""
        open_mentoring = (
            Engagement.objects.filter(giver=OuterRef("person"), kind=EngagementKind.MENTORING)
            .exclude(status=EngagementStatus.CLOSED)
            .order_by()
            .values("giver")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(mentees=Coalesce(Subquery(open_mentoring), 0))

    def with_open_capacity(self) -> MentorProfileQuerySet:
        return self.with_load().filter(status=ProfileStatus.OPEN, capacity__gt=F("mentees"))

    def listed(self) -> MentorProfileQuerySet:
        """Profiles people may find and ask: not withdrawn, and not of someone whose
        account was deactivated (nobody would read what they are sent)."""
        return self.exclude(status=ProfileStatus.WITHDRAWN).filter(person__user__is_active=True)


class MentorProfile(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="mentor_profile")
    expertise = models.ManyToManyField(Tag, blank=True, related_name="+")
    helps_with = models.TextField(max_length=TEXT_MAX)
    goal_tags = models.ManyToManyField(Tag, blank=True, related_name="+")
    capacity = models.PositiveSmallIntegerField(default=2)
    availability = models.CharField(max_length=200, blank=True)
    languages = models.CharField(max_length=LANGUAGES_MAX, blank=True)
    utc_offset = models.SmallIntegerField(null=True, blank=True)
    years_experience = models.PositiveSmallIntegerField(default=0)
    outside_team = models.BooleanField(default=True)
    status = models.CharField(max_length=12, choices=ProfileStatus.choices, default="open")
    updated_at = models.DateTimeField(default=timezone.now)

    objects = MentorProfileQuerySet.as_manager()

    class Meta:
        ordering = ["person__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=CAPACITY_MIN, capacity__lte=CAPACITY_MAX),
                name="mentor_profile_capacity_range",
            ),
            models.CheckConstraint(
                condition=Q(utc_offset__isnull=True)
                | Q(utc_offset__gte=UTC_OFFSET_MIN, utc_offset__lte=UTC_OFFSET_MAX),
                name="mentor_profile_utc_offset_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Mentor profile {self.code}"

    @property
    def open_capacity(self) -> int:
        """Capacity left; needs ``with_load()``."""
        return max(0, self.capacity - int(getattr(self, "mentees", 0)))

    def language_set(self) -> frozenset[str]:
        return split_languages(self.languages)


class RequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for an answer"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class MentoringRequestQuerySet(models.QuerySet["MentoringRequest"]):
    def visible_to(self, viewer: Person) -> MentoringRequestQuerySet:
        """The mentee, the addressed mentor, and the organisation's program admins."""
        mine = self.filter(organisation_id=viewer.organisation_id)
        if viewer.is_program_admin:
            return mine
        return mine.filter(Q(mentee=viewer) | Q(mentor=viewer))

    def pending(self) -> MentoringRequestQuerySet:
        return self.filter(status=RequestStatus.PENDING)


class MentoringRequest(models.Model):
    """A person's challenge and goals, addressed to one mentor."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    mentee = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    # The request's texts are encrypted at rest (cairn.trust.fields).
    challenge = EncryptedTextField(max_length=TEXT_MAX)
    goals = EncryptedTextField(max_length=TEXT_MAX)
    status = models.CharField(
        max_length=12, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    response = EncryptedTextField(max_length=TEXT_MAX, blank=True)
    engagement = models.ForeignKey(
        Engagement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = MentoringRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentee=F("mentor")), name="mentoring_request_not_to_yourself"
            ),
            models.UniqueConstraint(
                fields=["mentee", "mentor"],
                condition=Q(status="pending"),
                name="mentoring_request_one_pending_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"Mentoring request {self.code}"


class ProgramKind(models.TextChoices):
    COHORT = "cohort", "Cohort (mentors and mentees are matched)"
    ROTATION = "rotation", "Rotation (everyone meets everyone, a round at a time)"


class Objective(models.TextChoices):
    BEST_TOTAL = "best_total", "The best total score"
    MOST_MATCHED = "most_matched", "As many people matched as possible, then the best score"


WEIGHT_FIELDS = (
    "weight_skills",
    "weight_goals",
    "weight_seniority",
    "weight_preference",
    "weight_time_zone",
    "weight_languages",
    "weight_cross_team",
)


CRITERIA_LABELS = {
    "skills": "Skills sought and offered",
    "goals": "Goals they share",
    "seniority": "Seniority gap",
    "preference": "Mentee's ranking",
    "time_zone": "Time zones",
    "languages": "A shared language",
    "cross_team": "Across teams",
}


class ProgramQuerySet(models.QuerySet["Program"]):
    def visible_to(self, viewer: Person) -> ProgramQuerySet:
        """Programs are announced to their whole organisation."""
        return self.filter(organisation_id=viewer.organisation_id)


class Program(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    slug = models.SlugField(max_length=60)
    name = models.CharField(max_length=120)
    purpose = models.TextField(max_length=TEXT_MAX)
    kind = models.CharField(max_length=12, choices=ProgramKind.choices, default="cohort")
    starts_on = models.DateField()
    ends_on = models.DateField()
    enrolment_opens = models.DateField()
    enrolment_closes = models.DateField()
    min_score = models.FloatField(default=0.0)
    objective = models.CharField(max_length=16, choices=Objective.choices, default="best_total")
    allow_repeats = models.BooleanField(
        default=False, help_text="Allow pairs who have had a mentoring engagement before."
    )
    weight_skills = models.FloatField(default=3.0)
    weight_goals = models.FloatField(default=2.0)
    weight_seniority = models.FloatField(default=1.0)
    weight_preference = models.FloatField(default=3.0)
    weight_time_zone = models.FloatField(default=1.0)
    weight_languages = models.FloatField(default=1.0)
    weight_cross_team = models.FloatField(default=1.0)
    created_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    matched_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Its settings have several editors (every program admin of the organisation):
    # a save against an older version is a conflict (cairn.lib.versions).
    version = version_field()

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "slug"], name="mentoring_program_slug_unique_in_org"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="mentoring_program_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(enrolment_closes__gte=F("enrolment_opens")),
                name="mentoring_program_enrolment_window_order",
            ),
            models.CheckConstraint(
                condition=Q(
                    weight_skills__gte=0,
                    weight_goals__gte=0,
                    weight_seniority__gte=0,
                    weight_preference__gte=0,
                    weight_time_zone__gte=0,
                    weight_languages__gte=0,
                    weight_cross_team__gte=0,
                ),
                name="mentoring_program_weights_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def enrolment_open_on(self, day: object) -> bool:
        return bool(self.enrolment_opens <= day <= self.enrolment_closes)  # type: ignore[operator]


class Role(models.TextChoices):
    MENTOR = "mentor", "Mentor"
    MENTEE = "mentee", "Mentee"


class EnrolmentQuerySet(models.QuerySet["Enrolment"]):
    def visible_to(self, viewer: Person) -> EnrolmentQuerySet:
        """Enrolment answers: the person and the organisation's program admins."""
        mine = self.filter(program__organisation_id=viewer.organisation_id)
        if viewer.is_program_admin:
            return mine
        return mine.filter(person=viewer)


class Enrolment(models.Model):
    """A person in a program, as a mentor or a mentee, with their answers.

    ``tags`` are the skills a mentor offers or a mentee seeks; ``goal_tags`` the
    goals a mentor helps with or a mentee has.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="enrolments")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=8, choices=Role.choices)
    capacity = models.PositiveSmallIntegerField(default=1)
    goals = models.TextField(max_length=TEXT_MAX, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="+")
    goal_tags = models.ManyToManyField(Tag, blank=True, related_name="+")
    years_experience = models.PositiveSmallIntegerField(default=0)
    languages = models.CharField(max_length=LANGUAGES_MAX, blank=True)
    utc_offset = models.SmallIntegerField(null=True, blank=True)
    outside_team = models.BooleanField(default=True)
    not_with = models.ManyToManyField(Person, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "person"], name="mentoring_enrolment_once_per_program"
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=CAPACITY_MIN, capacity__lte=CAPACITY_MAX),
                name="mentoring_enrolment_capacity_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Enrolment {self.code}"


class ShortlistEntry(models.Model):
    """A mentee's ranked wish for a mentor enrolled in the same program (1 = best)."""

    mentee = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="shortlist")
    mentor = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["mentee", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["mentee", "rank"], name="mentoring_shortlist_rank"),
            models.UniqueConstraint(fields=["mentee", "mentor"], name="mentoring_shortlist_once"),
        ]

    def __str__(self) -> str:
        return f"Shortlist entry {self.pk}"


class SensitiveAnswerQuerySet(models.QuerySet["SensitiveAnswer"]):
    def visible_to(self, viewer: Person) -> SensitiveAnswerQuerySet:
        """Program admins only: not even shown back to other participants, ever."""
        if not viewer.is_program_admin:
            return self.none()
        return self.filter(enrolment__program__organisation_id=viewer.organisation_id)


class SensitiveAnswer(models.Model):
    """Answers kept apart from the enrolment so no page that shows an enrolment can
    show them by accident. Program admins read them; matching enforces them."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="sensitive")
    # Encrypted at rest; matching compares it in Python (services.py).
    gender = EncryptedTextField(max_length=60, blank=True)
    same_gender = models.BooleanField(default=False)

    objects = SensitiveAnswerQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Sensitive answer {self.pk}"


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed (program admins only)"
    PUBLISHED = "published", "Waiting for both to answer"
    ACCEPTED = "accepted", "Accepted by both"
    DECLINED = "declined", "Declined"


class Answer(models.TextChoices):
    PENDING = "pending", "Not answered yet"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class MatchQuerySet(models.QuerySet["Match"]):
    def visible_to(self, viewer: Person) -> MatchQuerySet:
        """Program admins see every pair; once published, each person their own."""
        mine = self.filter(program__organisation_id=viewer.organisation_id)
        if viewer.is_program_admin:
            return mine
        return mine.exclude(status=MatchStatus.PROPOSED).filter(
            Q(mentee__person=viewer) | Q(mentor__person=viewer)
        )

    def live(self) -> MatchQuerySet:
        """Pairs that hold their people: all but the declined."""
        return self.exclude(status=MatchStatus.DECLINED)


class Match(models.Model):
    """A proposed pair with its explained score. In a rotation, ``round`` numbers
    the rounds and the two people are peers (mentee and mentor are just sides)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="matches")
    mentee = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(default=0.0)
    reasons = models.JSONField(default=dict)
    round = models.PositiveSmallIntegerField(default=0)
    pinned = models.BooleanField(default=False)
    status = models.CharField(
        max_length=12, choices=MatchStatus.choices, default=MatchStatus.PROPOSED
    )
    mentee_answer = models.CharField(max_length=12, choices=Answer.choices, default="pending")
    mentor_answer = models.CharField(max_length=12, choices=Answer.choices, default="pending")
    engagement = models.ForeignKey(
        Engagement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = MatchQuerySet.as_manager()

    class Meta:
        ordering = ["round", "-score"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentee=F("mentor")), name="mentoring_match_two_enrolments"
            ),
        ]

    def __str__(self) -> str:
        return f"Match {self.code}"

    def reasons_sorted(self) -> list[tuple[str, float]]:
        """The criteria that contributed, in words, largest first."""
        return [
            (CRITERIA_LABELS.get(name, name), value)
            for name, value in sorted(self.reasons.items(), key=lambda item: -item[1])
        ]


class Unmatched(models.Model):
    """A mentee the last run could not pair, and why, in words."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="unmatched")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=300)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "enrolment"], name="mentoring_unmatched_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Unmatched {self.pk}"
