"""The library: stories that pass experience on, their review, and the bank of
coaching questions.

Visibility lives on the querysets (see ``policy.py`` for the who-sees-what rows):
every read of a story, a version or a review starts from ``visible_to(viewer)``.
Questions are an organisation's shared vocabulary, not private content; their
queryset only keeps organisations apart. Tags are ``cairn.tags``'s, shared with
mentoring.
"""

from __future__ import annotations

import uuid
from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from cairn.library.builtin import FRAMEWORKS
from cairn.people.models import Organisation, Person
from cairn.tags.models import Tag

TITLE_MAX = 150
PART_MAX = 10_000
REVIEW_PART_MAX = 4_000
MAX_TAGS = 5


class StoryStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    RETURNED = "returned", "Returned with comments"
    PUBLISHED = "published", "Published"


# A story reviewers may read: submitted at least once. Nothing moves a story back to
# draft (a returned story that its author edits stays returned, and a published one
# revised goes to review or stays published), so "draft" means "never submitted".
SUBMITTED = ~Q(status=StoryStatus.DRAFT)
SUBMITTED_STORY = ~Q(story__status=StoryStatus.DRAFT)


class StoryQuerySet(models.QuerySet["Story"]):
    def visible_to(self, viewer: Person, *, reviewer: bool | None = None) -> StoryQuerySet:
        """Published stories of the viewer's organisation; every story to its author;
        and to the organisation's reviewers, stories from their first submission on
        (in review, returned, published) — never a draft that was never submitted.
        ``reviewer`` says whether the viewer may review stories, when the caller knows
        already (it costs a query)."""
        from cairn.library.policy import is_reviewer

        if reviewer is None:
            reviewer = is_reviewer(viewer)
        mine = Q(organisation_id=viewer.organisation_id)
        shown = SUBMITTED if reviewer else Q(status=StoryStatus.PUBLISHED)
        return self.filter(mine & (shown | Q(author=viewer)))

    def published(self) -> StoryQuerySet:
        return self.filter(status=StoryStatus.PUBLISHED)

    def tagged(self, slugs: list[str]) -> StoryQuerySet:
        """Stories with every one of the tags (by slug)."""
        queryset = self
        for slug in slugs:
            queryset = queryset.filter(
                Exists(Story.tags.through.objects.filter(story=OuterRef("pk"), tag__slug=slug))
            )
        return queryset


class Story(models.Model):
    """A lesson passed on: the problem, the actions taken, the lessons learned."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="stories")
    title = models.CharField(max_length=TITLE_MAX)
    problem = models.TextField(max_length=PART_MAX)
    actions = models.TextField(max_length=PART_MAX)
    lessons = models.TextField(max_length=PART_MAX)
    tags = models.ManyToManyField(Tag, related_name="stories")
    status = models.CharField(max_length=12, choices=StoryStatus.choices, default=StoryStatus.DRAFT)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Who published it: the author (earned autonomy) or the reviewer who read it.
    published_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = StoryQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["organisation", "status", "published_at"], name="library_story_listing"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=StoryStatus.values), name="library_story_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=StoryStatus.PUBLISHED, published_at__isnull=False)
                | (~Q(status=StoryStatus.PUBLISHED) & Q(published_at__isnull=True)),
                name="library_story_published_has_date",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="library_story_version_1_up"),
        ]

    def __str__(self) -> str:
        # Never the title: an unpublished story is private to its author and reviewers,
        # and the Django admin lists cascaded rows by ``str()``.
        return f"Story {self.code}"

    @property
    def is_published(self) -> bool:
        return self.status == StoryStatus.PUBLISHED


class StoryVersionQuerySet(models.QuerySet["StoryVersion"]):
    def visible_to(self, viewer: Person) -> StoryVersionQuerySet:
        """A story's history: its author, and the organisation's reviewers once the
        story has been submitted (a draft never submitted is its author's alone)."""
        from cairn.library.policy import is_reviewer

        mine = Q(story__organisation_id=viewer.organisation_id)
        if is_reviewer(viewer):
            return self.filter(mine & (SUBMITTED_STORY | Q(story__author=viewer)))
        return self.filter(mine & Q(story__author=viewer))


class StoryVersion(models.Model):
    """What the story said at one revision. Every save of a story adds one."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=TITLE_MAX)
    problem = models.TextField(max_length=PART_MAX)
    actions = models.TextField(max_length=PART_MAX)
    lessons = models.TextField(max_length=PART_MAX)
    tag_names = models.JSONField(default=list)
    saved_by = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)

    objects = StoryVersionQuerySet.as_manager()

    class Meta:
        ordering = ["story", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["story", "number"], name="library_version_unique"),
        ]

    def __str__(self) -> str:
        return f"Version {self.number} of story {self.story_id}"


class ReviewDecision(models.TextChoices):
    PUBLISH = "publish", "Publish it"
    RETURN = "return", "Return it with comments"


class ReviewQuerySet(models.QuerySet["Review"]):
    def visible_to(self, viewer: Person) -> ReviewQuerySet:
        """A review is a conversation between the story's author and its reviewer."""
        return self.filter(
            Q(story__organisation_id=viewer.organisation_id)
            & (Q(story__author=viewer) | Q(reviewer=viewer))
        )


class Review(models.Model):
    """A reviewer's reading of one version: what is good, questions, and a decision."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="reviews")
    version = models.PositiveIntegerField()
    reviewer = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    strengths = models.TextField(max_length=REVIEW_PART_MAX)
    questions = models.TextField(max_length=REVIEW_PART_MAX, blank=True)
    comments = models.TextField(max_length=REVIEW_PART_MAX, blank=True)
    decision = models.CharField(max_length=8, choices=ReviewDecision.choices)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__in=ReviewDecision.values),
                name="library_review_decision_valid",
            ),
            models.CheckConstraint(
                condition=~Q(strengths=""), name="library_review_starts_with_strengths"
            ),
            models.CheckConstraint(
                condition=~Q(decision=ReviewDecision.RETURN, comments=""),
                name="library_review_return_has_comments",
            ),
        ]

    def __str__(self) -> str:
        return f"Review {self.code}"


# --- the question bank -------------------------------------------------------------


class Framework(models.TextChoices):
    GROW = "grow", "GROW"
    WHY_WHAT_HOW = "why-what-how", "Why / what / how"
    STRENGTHS_FIRST = "strengths-first", "Strengths first"
    INSPIRE = "inspire", "Inspire"
    APPRECIATIVE_INQUIRY = "appreciative-inquiry", "Appreciative inquiry"


class Stage(models.TextChoices):
    GOAL = "goal", "Goal"
    REALITY = "reality", "Reality"
    OPTIONS = "options", "Options"
    WILL = "will", "Will"
    WHY = "why", "Why"
    WHAT = "what", "What"
    HOW = "how", "How"
    GOING_WELL = "going-well", "What is going well"
    GET_BETTER = "get-better", "What to get better at"
    ABOUT_YOU = "about-you", "About you"
    DREAMS = "dreams", "Dreams"
    NEXT_STEPS = "next-steps", "Who does what by when"
    DISCOVER = "discover", "Discover what works"
    DREAM = "dream", "Dream what could be"
    DESIGN = "design", "Design the way there"
    DELIVER = "deliver", "Deliver and sustain"


STAGE_OF_FRAMEWORK = reduce(
    or_,
    (
        Q(framework=framework, stage__in=[slug for slug, _ in stages])
        for framework, (_, stages) in FRAMEWORKS.items()
    ),
)


class QuestionQuerySet(models.QuerySet["Question"]):
    def for_organisation(self, organisation_id: int) -> QuestionQuerySet:
        """The built-in questions and the organisation's own, hidden ones included."""
        return self.filter(Q(organisation__isnull=True) | Q(organisation_id=organisation_id))

    def visible_to(self, viewer: Person) -> QuestionQuerySet:
        """What the viewer's organisation asks: built-in questions it has not hidden,
        and its own."""
        hidden = HiddenQuestion.objects.filter(
            organisation_id=viewer.organisation_id, question=OuterRef("pk")
        )
        return self.for_organisation(viewer.organisation_id).exclude(Exists(hidden))


class Question(models.Model):
    """A coaching question, by framework and stage. Built-in ones have no organisation
    and a stable ``key``; an organisation's own have a ``key`` of their code."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    key = models.SlugField(max_length=80)
    framework = models.CharField(max_length=24, choices=Framework.choices)
    stage = models.CharField(max_length=16, choices=Stage.choices)
    text = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=100)
    tags = models.ManyToManyField(Tag, blank=True, related_name="questions")
    created_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["framework", "stage", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(organisation__isnull=True),
                name="library_builtin_question_key_unique",
            ),
            models.UniqueConstraint(
                fields=["organisation", "key"], name="library_question_key_unique_in_org"
            ),
            models.CheckConstraint(
                condition=STAGE_OF_FRAMEWORK, name="library_question_stage_of_framework"
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_builtin(self) -> bool:
        return self.organisation_id is None


class HiddenQuestion(models.Model):
    """A built-in (or own) question an organisation does not want to ask."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="hidden_by")
    hidden_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "question"], name="library_question_hidden_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Question {self.question_id} hidden by organisation {self.organisation_id}"
