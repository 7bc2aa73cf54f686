"""Every write to the library, one function per use case.

Each function checks policy (``PermissionDenied``), validates (``ValidationError``
with a message a person can read), runs in one transaction, keeps the SQLite search
index in step, and logs ids only — an unpublished story is private to its author and
reviewers, so its words never reach a log.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from cairn.coaching import services as coaching
from cairn.coaching.models import AgendaItem, Session
from cairn.lib.access import require
from cairn.library import policy, search
from cairn.library.builtin import FRAMEWORKS
from cairn.library.models import (
    MAX_TAGS,
    PART_MAX,
    REVIEW_PART_MAX,
    TITLE_MAX,
    HiddenQuestion,
    Question,
    Review,
    ReviewDecision,
    Story,
    StoryStatus,
    StoryVersion,
)
from cairn.mastery.models import Privilege
from cairn.mastery.policy import people_with_privilege
from cairn.notifications.models import Kind
from cairn.notifications.services import notify
from cairn.people.models import Person
from cairn.tags.models import Tag

log = logging.getLogger("cairn.library")

PART_LABELS = {
    "title": "the title",
    "problem": "the problem",
    "actions": "the actions taken",
    "lessons": "the lessons learned",
}


def _clean_parts(
    organisation_id: int, parts: dict[str, str], tags: Sequence[Tag]
) -> dict[str, str]:
    errors: dict[str, list[str]] = {}
    cleaned = {}
    for name, value in parts.items():
        value = (value or "").strip()
        limit = TITLE_MAX if name == "title" else PART_MAX
        if not value:
            errors[name] = [f"Write {PART_LABELS[name]}."]
        elif len(value) > limit:
            errors[name] = [f"Keep {PART_LABELS[name]} under {limit:,} characters."]
        cleaned[name] = value
    if not tags:
        errors["tags"] = ["Choose at least one tag, so that others find the story."]
    elif len(tags) > MAX_TAGS:
        errors["tags"] = [f"Choose at most {MAX_TAGS} tags."]
    elif any(tag.organisation_id not in (None, organisation_id) for tag in tags):
        errors["tags"] = ["Choose tags from the list."]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _save_version(story: Story, actor: Person, tags: Sequence[Tag], now: dt.datetime) -> None:
    StoryVersion.objects.create(
        story=story,
        number=story.version,
        title=story.title,
        problem=story.problem,
        actions=story.actions,
        lessons=story.lessons,
        tag_names=sorted(tag.name for tag in tags),
        saved_by=actor,
        saved_at=now,
    )


def _publish(story: Story, by: Person, now: dt.datetime) -> None:
    story.status = StoryStatus.PUBLISHED
    story.published_at = now
    story.published_by = by


# --- telling people ------------------------------------------------------------------

# How many reviewers one submission tells. Every reviewer of the organisation sees
# the review queue; a notification goes to a few, never to all of them.
REVIEW_REQUEST_REACH = 3


def reviewers_to_ask(story: Story) -> list[Person]:
    """Whom to ask to review a submitted story: the reviewer who returned it, if it
    comes back and they still review; otherwise the organisation's reviewers who
    reviewed least recently (those who never did first), at most
    ``REVIEW_REQUEST_REACH`` of them. Never the author; one query."""
    latest_review = (
        Review.objects.filter(reviewer=OuterRef("pk")).order_by("-created_at").values("created_at")
    )
    returned_by = (
        Review.objects.filter(story=story).order_by("-created_at").values("reviewer_id")[:1]
    )
    reviewers = (
        people_with_privilege(story.organisation_id, Privilege.REVIEW_STORIES)
        .filter(user__is_active=True)
        .exclude(pk=story.author_id)
        .select_related("user")
    )
    previous = list(reviewers.filter(pk__in=Subquery(returned_by)))
    if previous:
        return previous
    return list(
        reviewers.annotate(last_review=Subquery(latest_review[:1])).order_by(
            F("last_review").asc(nulls_first=True), "pk"
        )[:REVIEW_REQUEST_REACH]
    )


def _ask_for_review(story: Story, author: Person) -> None:
    stamp = f"{story.submitted_at.timestamp():.0f}" if story.submitted_at else ""
    for reviewer in reviewers_to_ask(story):
        notify(
            reviewer,
            Kind.REVIEW_REQUESTED,
            title=f"{author.name} asked for a review of their story",
            url=reverse("library:story", args=[story.code]),
            key=(f"review-requested:{story.pk}:{story.version}:{stamp}:{reviewer.pk}"),
            subject=story,
        )


# --- stories -------------------------------------------------------------------------


@transaction.atomic
def write_story(
    actor: Person,
    *,
    title: str,
    problem: str,
    actions: str,
    lessons: str,
    tags: Sequence[Tag],
    now: dt.datetime | None = None,
) -> Story:
    """Anyone writes a story; it starts as a draft only its author can read (reviewers
    see it from its first submission on), as version 1."""
    now = now or timezone.now()
    parts = _clean_parts(
        actor.organisation_id,
        {"title": title, "problem": problem, "actions": actions, "lessons": lessons},
        tags,
    )
    story = Story.objects.create(
        organisation_id=actor.organisation_id, author=actor, created_at=now, updated_at=now, **parts
    )
    story.tags.set(tags)
    _save_version(story, actor, tags, now)
    search.index_story(story)
    log.info("story.written story=%s actor=%s", story.pk, actor.pk)
    return story


@transaction.atomic
def revise_story(
    actor: Person,
    story: Story,
    *,
    title: str,
    problem: str,
    actions: str,
    lessons: str,
    tags: Sequence[Tag],
    now: dt.datetime | None = None,
) -> Story:
    """The author revises a draft, a returned or a published story; every revision is
    kept as a new version.

    A published story revised by an author who may not publish without review goes
    back to review (and out of the library until a reviewer publishes it): otherwise
    a revision would publish unreviewed words."""
    require(policy.can_edit(actor, story))
    now = now or timezone.now()
    parts = _clean_parts(
        story.organisation_id,
        {"title": title, "problem": problem, "actions": actions, "lessons": lessons},
        tags,
    )
    for name, value in parts.items():
        setattr(story, name, value)
    story.version += 1
    story.updated_at = now
    if story.is_published and not policy.publishes_without_review(actor):
        story.status = StoryStatus.IN_REVIEW
        story.submitted_at = now
        story.published_at = None
        story.published_by = None
    story.save()
    story.tags.set(tags)
    _save_version(story, actor, tags, now)
    search.index_story(story)
    if story.status == StoryStatus.IN_REVIEW and story.submitted_at == now:
        _ask_for_review(story, actor)
    log.info("story.revised story=%s version=%s actor=%s", story.pk, story.version, actor.pk)
    return story


@transaction.atomic
def submit_story(actor: Person, story: Story, *, now: dt.datetime | None = None) -> None:
    """The author asks for a review of a draft or a returned story."""
    require(policy.can_submit(actor, story))
    story.status = StoryStatus.IN_REVIEW
    story.submitted_at = now or timezone.now()
    story.save(update_fields=["status", "submitted_at"])
    _ask_for_review(story, actor)
    log.info("story.submitted story=%s actor=%s", story.pk, actor.pk)


@transaction.atomic
def publish_own_story(actor: Person, story: Story, *, now: dt.datetime | None = None) -> None:
    """An author at "publisher" level or above publishes their own story without
    review. Anyone else: ``PermissionDenied``, whatever route they came by.
    Idempotent: the story row is locked and read again, so a second click (or two
    tabs at once) finds it published and changes nothing."""
    locked = Story.objects.select_for_update(of=("self",)).get(pk=story.pk)
    if locked.status == StoryStatus.PUBLISHED and policy.is_author(actor, story):
        story.status, story.published_at = locked.status, locked.published_at
        story.published_by_id = locked.published_by_id
        return
    story.status = locked.status
    require(policy.can_publish_own(actor, story))
    _publish(story, actor, now or timezone.now())
    story.save(update_fields=["status", "published_at", "published_by"])
    log.info("story.published story=%s actor=%s review=none", story.pk, actor.pk)


ALREADY_REVIEWED = (
    "Someone reviewed this story a moment ago, or its author changed it: "
    "open it again to see where it stands."
)


@transaction.atomic
def review_story(
    actor: Person,
    story: Story,
    *,
    strengths: str,
    questions: str,
    comments: str,
    decision: str,
    now: dt.datetime | None = None,
) -> Review:
    """A reviewer (``review_stories``, not the author) reads a submitted story: starts
    with what is good in it, asks questions, and publishes it or returns it with
    comments. Only the author and this reviewer read the review.
    Two reviewers at once: the story row is locked and read again, so the second
    finds it reviewed (``ValidationError``) instead of publishing it twice."""
    require(policy.can_review(actor, story))
    locked = Story.objects.select_for_update(of=("self",)).get(pk=story.pk)
    if locked.status != StoryStatus.IN_REVIEW or locked.version != story.version:
        raise ValidationError(ALREADY_REVIEWED)
    now = now or timezone.now()
    strengths, questions, comments = (
        (strengths or "").strip(),
        (questions or "").strip(),
        (comments or "").strip(),
    )
    errors: dict[str, list[str]] = {}
    if not strengths:
        errors["strengths"] = ["Start with what is good in the story."]
    for name, value in (("strengths", strengths), ("questions", questions), ("comments", comments)):
        if len(value) > REVIEW_PART_MAX:
            errors[name] = [f"Keep this under {REVIEW_PART_MAX:,} characters."]
    if decision not in ReviewDecision.values:
        errors["decision"] = ["Choose whether to publish the story or return it."]
    elif decision == ReviewDecision.RETURN and not comments:
        errors["comments"] = ["Say what the author should change before it is published."]
    if errors:
        raise ValidationError(errors)
    review = Review.objects.create(
        story=story,
        version=story.version,
        reviewer=actor,
        strengths=strengths,
        questions=questions,
        comments=comments,
        decision=decision,
        created_at=now,
    )
    if decision == ReviewDecision.PUBLISH:
        _publish(story, actor, now)
    else:
        story.status = StoryStatus.RETURNED
    story.save(update_fields=["status", "published_at", "published_by"])
    published = decision == ReviewDecision.PUBLISH
    notify(
        story.author,
        Kind.STORY_PUBLISHED if published else Kind.STORY_RETURNED,
        title=f"{actor.name} {'published' if published else 'returned'} your story",
        url=reverse("library:story", args=[story.code]),
        key=f"story-reviewed:{review.pk}:{story.author_id}",
        subject=story,
    )
    log.info("story.reviewed story=%s review=%s decision=%s", story.pk, review.pk, decision)
    return review


# --- vocabulary and question bank ----------------------------------------------------


@transaction.atomic
def add_question(
    actor: Person, *, framework: str, stage: str, text: str, tags: Sequence[Tag] = ()
) -> Question:
    """A program admin adds a question of their own to their organisation's bank."""
    require(policy.can_edit_bank(actor))
    text = (text or "").strip()
    errors: dict[str, list[str]] = {}
    stages = FRAMEWORKS.get(framework)
    if stages is None:
        errors["framework"] = ["Choose one of the frameworks listed."]
    elif stage not in [slug for slug, _ in stages[1]]:
        errors["stage"] = ["Choose a stage of that framework."]
    if not text:
        errors["text"] = ["Write the question."]
    elif len(text) > 300:
        errors["text"] = ["Keep a question under 300 characters."]
    if any(tag.organisation_id not in (None, actor.organisation_id) for tag in tags):
        errors["tags"] = ["Choose tags from the list."]
    if errors:
        raise ValidationError(errors)
    code = uuid.uuid4()
    question = Question.objects.create(
        code=code,
        organisation_id=actor.organisation_id,
        key=str(code),
        framework=framework,
        stage=stage,
        text=text,
        created_by=actor,
    )
    question.tags.set(tags)
    log.info("question.added question=%s actor=%s", question.pk, actor.pk)
    return question


@transaction.atomic
def hide_question(actor: Person, question: Question) -> None:
    """A program admin stops their organisation being offered a question. Built-in
    rows are shared by every organisation and never edited: hiding is per
    organisation."""
    require(policy.can_edit_bank(actor))
    require(question.organisation_id in (None, actor.organisation_id))
    HiddenQuestion.objects.get_or_create(
        organisation_id=actor.organisation_id, question=question, defaults={"hidden_by": actor}
    )
    log.info("question.hidden question=%s actor=%s", question.pk, actor.pk)


@transaction.atomic
def show_question(actor: Person, question: Question) -> None:
    require(policy.can_edit_bank(actor))
    HiddenQuestion.objects.filter(organisation_id=actor.organisation_id, question=question).delete()
    log.info("question.shown question=%s actor=%s", question.pk, actor.pk)


def pin_question(actor: Person, session: Session, question: Question) -> AgendaItem:
    """Either party puts a question from the bank on a running session's agenda; the
    coaching app's own service checks that they may."""
    if not Question.objects.visible_to(actor).filter(pk=question.pk).exists():
        raise ValidationError("Choose a question from the list.")
    return coaching.add_agenda_item(actor, session, question.text)
