"""Feedback in every direction: asked for, answered, given unasked, learned from.

Feedback asked for in order to grow is its asker's (see ``policy.py`` for the
who-sees-what rows): the people asked write the answers, but what they wrote is the
asker's to read — and, when an answer is unsigned, nobody may learn who wrote it.
That is held here, in the querysets every read starts from:

* ``FeedbackAnswer.objects.visible_to(viewer)`` gives the author their own answer,
  and the asker (or someone the asker shares with) the signed answers at once and
  the unsigned ones only once at least ``ANONYMITY_THRESHOLD`` unsigned answers exist
  for the request — unsigned ones counted alone, so that the signed names cannot
  single out the unsigned ones by elimination — and then in whole groups of that
  many, so that no later one shows by itself (its arrival would date it).
* An answer stores no time at all, and sorts by ``order_key``, a random value drawn
  when it is written: neither its id nor its position can date it.
* A ``FeedbackAsk``'s status (waiting, answered, declined) is read by the asked
  person alone: the asker's page lists whom they asked, never who answered.

Every free text a person writes here is an ``EncryptedTextField``.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Mod
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from cairn.coaching.models import Session
from cairn.growth.models import Objective, PlanAction
from cairn.mastery.models import Competency
from cairn.people.models import Person
from cairn.trust.fields import EncryptedTextField

QUESTION_MAX = 300
ABOUT_MAX = 300
ANSWER_MAX = 2000
TAKEAWAY_MAX = 1000
WHY_MAX = 500

# Unsigned answers show to the asker only once this many unsigned answers exist.
ANONYMITY_THRESHOLD = 3

DEFAULT_QUESTIONS = (
    "What am I doing well?",
    "What could I do better?",
    "One thing to try",
)


class About(models.TextChoices):
    OBJECTIVE = "objective", "One of my objectives"
    COMPETENCY = "competency", "A competency"
    QUESTION = "question", "An open question"


def _shared_with(viewer: Person) -> models.QuerySet[FeedbackShare, Any]:
    """The people who let the viewer read the feedback they received, as a subquery."""
    return FeedbackShare.objects.filter(shared_with=viewer).values("owner_id")


# --- sharing -----------------------------------------------------------------------


class FeedbackShareQuerySet(models.QuerySet["FeedbackShare"]):
    def visible_to(self, viewer: Person) -> FeedbackShareQuerySet:
        return self.filter(Q(owner=viewer) | Q(shared_with=viewer))


class FeedbackShare(models.Model):
    """The owner lets one person (their coach, mentor or manager) read the feedback
    they received, until they take it back."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="feedback_shares")
    shared_with = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = FeedbackShareQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "shared_with"], name="feedback_share_once"),
            models.CheckConstraint(
                condition=~Q(owner=F("shared_with")), name="feedback_share_not_with_self"
            ),
        ]
        indexes = [models.Index(fields=["shared_with", "owner"], name="feedback_share_by_reader")]

    def __str__(self) -> str:
        return f"Feedback share {self.code}"


# --- asking ------------------------------------------------------------------------


class FeedbackRequestQuerySet(models.QuerySet["FeedbackRequest"]):
    def visible_to(self, viewer: Person) -> FeedbackRequestQuerySet:
        """The asker's own, and the requests of someone who shares their received
        feedback with the viewer. The people asked read a request only through their
        own ask (``FeedbackAsk``)."""
        return self.filter(Q(asker=viewer) | Q(asker_id__in=_shared_with(viewer)))


class FeedbackRequest(models.Model):
    """A person asks chosen colleagues for feedback on one of their objectives, a
    competency or an open question, with the strengths-first questions (editable),
    by a date."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    asker = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="feedback_requests")
    about = models.CharField(max_length=12, choices=About.choices)
    objective = models.ForeignKey(
        Objective, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    competency = models.ForeignKey(
        Competency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What it is about, in the words the people asked read: the objective's "what"
    # as it was when asking, the competency's name, or the open question. The asker
    # chose to show it to them by asking; it survives the objective's deletion.
    about_text = EncryptedTextField(max_length=ABOUT_MAX)
    question_well = EncryptedTextField(max_length=QUESTION_MAX)
    question_better = EncryptedTextField(max_length=QUESTION_MAX)
    question_try = EncryptedTextField(max_length=QUESTION_MAX)
    due_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    objects = FeedbackRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(about__in=["objective", "competency", "question"]),
                name="feedback_request_about_choice",
            ),
        ]

    def __str__(self) -> str:
        return f"Feedback request {self.code}"

    @property
    def questions(self) -> list[str]:
        return [self.question_well, self.question_better, self.question_try]


class AskStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for your answer"
    ANSWERED = "answered", "Answered"
    DECLINED = "declined", "Declined"


class FeedbackAskQuerySet(models.QuerySet["FeedbackAsk"]):
    def visible_to(self, viewer: Person) -> FeedbackAskQuerySet:
        """The asked person's own ask, and nobody else's: its status says whether
        they answered, which the asker must never learn. The asker's list of whom
        they asked is ``policy.asked_names``: names, no status."""
        return self.filter(person=viewer)

    def waiting(self) -> FeedbackAskQuerySet:
        return self.filter(status=AskStatus.WAITING)


class FeedbackAsk(models.Model):
    """One person asked, and whether they have answered (their business alone)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(FeedbackRequest, on_delete=models.CASCADE, related_name="asks")
    # Null once the person is deleted: the answer stays, so that an account going
    # away cannot make unsigned answers drop below the threshold — which would tell
    # the asker that this person wrote one of them.
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, related_name="feedback_asks"
    )
    status = models.CharField(max_length=10, choices=AskStatus.choices, default=AskStatus.WAITING)

    objects = FeedbackAskQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "person"], name="feedback_ask_once"),
            models.CheckConstraint(
                condition=Q(status__in=["waiting", "answered", "declined"]),
                name="feedback_ask_status_choice",
            ),
        ]

    def __str__(self) -> str:
        return f"Feedback ask {self.code}"

    @property
    def is_waiting(self) -> bool:
        return self.status == AskStatus.WAITING


def _random_key() -> int:
    return uuid.uuid4().int >> 66  # 62 random bits: fits a signed 64-bit column


def _unsigned_count(**filters: Any) -> Subquery:
    """How many unsigned answers the outer answer's request has (``filters`` narrow
    them), as a subquery."""
    return Subquery(
        FeedbackAnswer.objects.filter(request=OuterRef("request"), signed=False, **filters)
        .values("request")
        .annotate(n=Count("pk"))
        .values("n")
    )


def shown_unsigned(total: int) -> int:
    """How many of ``total`` unsigned answers show: whole groups of
    ``ANONYMITY_THRESHOLD``, so that none shows by itself (its arrival would date
    it)."""
    return total - total % ANONYMITY_THRESHOLD


def _for_readers(viewer: Person) -> Q:
    readable = FeedbackRequest.objects.visible_to(viewer).values("pk")
    # An unsigned answer shows once it is among the first whole groups of the
    # threshold, in the order they came (counted, never shown): the first three
    # together, the next three together, and so on.
    total = _unsigned_count()
    arrived = _unsigned_count(pk__lte=OuterRef("pk"))
    in_whole_group: LessThanOrEqual[Any] = LessThanOrEqual(
        arrived, total - Mod(total, ANONYMITY_THRESHOLD)
    )
    return Q(signed=True, request__in=readable) | Q(
        in_whole_group, signed=False, request__in=readable
    )


class FeedbackAnswerQuerySet(models.QuerySet["FeedbackAnswer"]):
    def visible_to(self, viewer: Person) -> FeedbackAnswerQuerySet:
        """The author's own answer; for whoever may read the request (the asker, a
        sharee), the signed answers, and the unsigned ones once at least
        ``ANONYMITY_THRESHOLD`` unsigned answers exist for it."""
        return self.filter(Q(ask__person=viewer) | _for_readers(viewer))

    def for_readers(self, viewer: Person) -> FeedbackAnswerQuerySet:
        """What a request's page shows its reader: ``visible_to`` without the
        author's own clause, so that an author who also reads the request (a sharee
        who was asked) sees their own unsigned answer no earlier than the others."""
        return self.filter(_for_readers(viewer))

    def in_showing_order(self) -> FeedbackAnswerQuerySet:
        """Signed first, then by the random key: never by id, never by time."""
        return self.order_by("-signed", "order_key")


class FeedbackAnswer(models.Model):
    """The answers of one person asked. ``signed`` decides whether the asker learns
    who wrote it; ``ask`` (and through it the author) is kept for the author's own
    page and export and so that each person answers once, and is never shown to
    anyone else when unsigned. No time is stored: it would date the answer."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ask = models.OneToOneField(FeedbackAsk, on_delete=models.CASCADE, related_name="answer")
    request = models.ForeignKey(FeedbackRequest, on_delete=models.CASCADE, related_name="answers")
    well = EncryptedTextField(max_length=ANSWER_MAX)
    better = EncryptedTextField(max_length=ANSWER_MAX, blank=True)
    to_try = EncryptedTextField(max_length=ANSWER_MAX, blank=True)
    signed = models.BooleanField(default=True)
    order_key = models.BigIntegerField(default=_random_key, db_index=True)

    objects = FeedbackAnswerQuerySet.as_manager()

    class Meta:
        ordering = ["order_key"]

    def __str__(self) -> str:
        return f"Feedback answer {self.code}"


# --- giving unasked ----------------------------------------------------------------


class GivenStatus(models.TextChoices):
    DELIVERED = "delivered", "Delivered"
    KEPT = "kept", "Kept"
    DISCARDED = "discarded", "Discarded"


class GivenFeedbackQuerySet(models.QuerySet["GivenFeedback"]):
    def visible_to(self, viewer: Person) -> GivenFeedbackQuerySet:
        """The giver reads what they wrote; the receiver reads it until they discard
        it; someone the receiver shares with reads the ones the receiver kept."""
        return self.filter(
            Q(giver=viewer)
            | (Q(receiver=viewer) & ~Q(status=GivenStatus.DISCARDED))
            | Q(status=GivenStatus.KEPT, receiver_id__in=_shared_with(viewer))
        )

    def received_by(self, person: Person) -> GivenFeedbackQuerySet:
        return self.filter(receiver=person).exclude(status=GivenStatus.DISCARDED)


class GivenFeedback(models.Model):
    """Feedback given unasked: always signed, strengths first. The receiver keeps or
    discards it; the giver learns only that it was delivered."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    giver = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="feedback_given")
    receiver = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="feedback_received")
    well = EncryptedTextField(max_length=ANSWER_MAX)
    better = EncryptedTextField(max_length=ANSWER_MAX, blank=True)
    status = models.CharField(
        max_length=10, choices=GivenStatus.choices, default=GivenStatus.DELIVERED
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = GivenFeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(giver=F("receiver")), name="given_feedback_not_to_self"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["delivered", "kept", "discarded"]),
                name="given_feedback_status_choice",
            ),
        ]

    def __str__(self) -> str:
        return f"Given feedback {self.code}"


# --- learning from it ----------------------------------------------------------------


class TakeawayQuerySet(models.QuerySet["Takeaway"]):
    def visible_to(self, viewer: Person) -> TakeawayQuerySet:
        """What a person takes from feedback is their own reflection: theirs alone."""
        return self.filter(owner=viewer)


class Takeaway(models.Model):
    """What the person takes from a request's answers or from feedback given to
    them; optionally turned into an action on one of their objectives."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="feedback_takeaways")
    request = models.ForeignKey(
        FeedbackRequest,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="takeaways",
    )
    given = models.ForeignKey(
        GivenFeedback, on_delete=models.CASCADE, null=True, blank=True, related_name="takeaways"
    )
    text = EncryptedTextField(max_length=TAKEAWAY_MAX)
    action = models.ForeignKey(
        PlanAction, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = TakeawayQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(request__isnull=False, given__isnull=True)
                | Q(request__isnull=True, given__isnull=False),
                name="takeaway_from_one_thing",
            ),
        ]

    def __str__(self) -> str:
        return f"Takeaway {self.code}"


# --- upward feedback on coaching -----------------------------------------------------

# The giver of sessions sees how they helped only over this many answers from this
# many different people, and never one answer.
SESSION_AGGREGATE_ANSWERS = 5
SESSION_AGGREGATE_PEOPLE = 3


class SessionFeedbackQuerySet(models.QuerySet["SessionFeedback"]):
    def visible_to(self, viewer: Person) -> SessionFeedbackQuerySet:
        """The person who said it, alone. The giver reads only the aggregate
        (``policy.session_aggregate``)."""
        return self.filter(person=viewer)


class SessionFeedback(models.Model):
    """The person who was coached says, in one click, whether a session helped."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    helped = models.BooleanField()
    why = EncryptedTextField(max_length=WHY_MAX, blank=True)

    objects = SessionFeedbackQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="session_feedback_once"),
        ]

    def __str__(self) -> str:
        return f"Session feedback {self.code}"
