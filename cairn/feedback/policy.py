"""Who sees and does what with feedback: the rows of docs/design.md's who-sees-what
table that ``cairn.feedback`` owns.

One row per thing; columns: the asker or receiver (A), the people asked or the
giver (B), the people A shares their received feedback with — their managers, coach
or mentor, one by one (S), anyone else (—).

| content              | A                       | B                       | S               |
|----------------------|-------------------------|-------------------------|-----------------|
| a request: about,    | rw                      | read, through their     | read            |
| questions            |                         | own ask                 |                 |
| whom they asked      | names only, no status   | their own ask, status   | names only      |
| a signed answer      | read, with the name     | the author: their own   | read, with name |
| an unsigned answer   | read once ≥ 3 unsigned  | the author: their own   | as A            |
|                      | answers exist; no name, |                         |                 |
|                      | no time, random order   |                         |                 |
| how many answered    | once ≥ 3 unsigned       | —                       | as A            |
| feedback given       | read until discarded;   | the giver: what they    | the ones A kept |
| unasked              | keep or discard         | wrote; that it arrived  |                 |
| takeaways            | rw                      | —                       | —               |
| feedback shares      | rw                      | —                       | their own share |
| whether a session    | the coached person: rw  | the giver: a total over | —               |
| helped               |                         | ≥ 5 answers, ≥ 3 people |                 |

"Anyone else" includes the person's managers (unless shared with), org admins,
program admins, HR and a Django superuser: 404 on every page, nothing in any list.
A sharee's read of someone's received feedback goes in the owner's access log
(``cairn.trust``), written by the view that shows it. Evaluation never reads any of
this (the import-linter wall).
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.db.models import Count, Q, QuerySet

from cairn.coaching.models import Engagement, EngagementKind, Session
from cairn.feedback.models import (
    ANONYMITY_THRESHOLD,
    SESSION_AGGREGATE_ANSWERS,
    SESSION_AGGREGATE_PEOPLE,
    FeedbackAnswer,
    FeedbackAsk,
    FeedbackRequest,
    FeedbackShare,
    GivenFeedback,
    SessionFeedback,
    shown_unsigned,
)
from cairn.growth.models import Objective
from cairn.lib.access import get_or_404
from cairn.people.models import Person, managers_of

SEARCH_MIN = 2
SEARCH_LIMIT = 10
COLLEAGUES_SHOWN = 25

# Kinds of engagement whose giver a person may share their feedback with: their
# coach or mentor.
SHARE_KINDS = (
    EngagementKind.COACHING,
    EngagementKind.COMPETENCY_COACHING,
    EngagementKind.MENTORING,
)


# --- whom one may ask or give to ----------------------------------------------------


def can_address(actor: Person, person: Person) -> bool:
    """Anyone active in the actor's organisation but the actor."""
    return (
        person.pk != actor.pk
        and person.organisation_id == actor.organisation_id
        and person.user.is_active
    )


def colleagues(actor: Person) -> QuerySet[Person]:
    """The people the actor works with, offered first: their manager, their reports
    and the other parties of their open engagements — at most ``COLLEAGUES_SHOWN``."""
    parties = Engagement.objects.for_party(actor).open()
    return (
        Person.objects.visible_to(actor)
        .active()
        .exclude(pk=actor.pk)
        .filter(
            Q(pk=actor.manager_id)
            | Q(manager=actor)
            | Q(pk__in=parties.values("giver_id"))
            | Q(pk__in=parties.values("receiver_id"))
        )
        .select_related("team")
        .order_by("name", "pk")[:COLLEAGUES_SHOWN]
    )


def search_people(actor: Person, query: str) -> list[Person]:
    """People of the actor's organisation whose name contains ``query``: at most
    ``SEARCH_LIMIT + 1`` (the one more says there are more), nobody for a query
    shorter than ``SEARCH_MIN`` — never the whole organisation."""
    query = query.strip()
    if len(query) < SEARCH_MIN:
        return []
    return list(
        Person.objects.visible_to(actor)
        .active()
        .exclude(pk=actor.pk)
        .filter(name__icontains=query)
        .select_related("team")
        .order_by("name", "pk")[: SEARCH_LIMIT + 1]
    )


def find_person(actor: Person, code: str) -> Person | None:
    """The person of the actor's organisation with that code, or None — the same for
    an unknown code, a malformed one and someone of another organisation."""
    try:
        UUID(str(code))
    except ValueError:
        return None
    return Person.objects.visible_to(actor).select_related("user").filter(code=code).first()


# --- requests and answers ---------------------------------------------------------------


def get_request_for(viewer: Person, code: UUID | str) -> FeedbackRequest:
    """A request the viewer may read: their own, or one of a person who shares their
    received feedback with them."""
    return get_or_404(FeedbackRequest.objects.visible_to(viewer).select_related("asker"), code=code)


def get_own_request_for(viewer: Person, code: UUID | str) -> FeedbackRequest:
    return get_or_404(
        FeedbackRequest.objects.filter(asker=viewer).select_related("asker"), code=code
    )


def get_ask_for(viewer: Person, code: UUID | str) -> FeedbackAsk:
    """The viewer's own ask (the answer page), or 404 — also for the asker."""
    return get_or_404(
        FeedbackAsk.objects.visible_to(viewer).select_related("request__asker"), code=code
    )


def asked_names(request: FeedbackRequest) -> list[str]:
    """Whom the request asked, by name, alphabetically: never who answered or
    declined. For a viewer who may read the request."""
    return list(
        request.asks.filter(person__isnull=False)
        .order_by("person__name")
        .values_list("person__name", flat=True)
    )


def signer_name(answer: FeedbackAnswer) -> str:
    """The name a signed answer shows (its author's, or "A former colleague" once
    their account is gone). Never call it for an unsigned answer."""
    person = answer.ask.person
    return person.name if person is not None else "A former colleague"


def unsigned_count(request: FeedbackRequest) -> int:
    return FeedbackAnswer.objects.filter(request=request, signed=False).count()


@dataclass(frozen=True)
class Progress:
    """How many of those asked have answered, known only once the unsigned answers
    show; ``None`` counts before that."""

    answered: int
    asked: int


def progress(request: FeedbackRequest) -> Progress | None:
    """Counts for the asker, once at least ``ANONYMITY_THRESHOLD`` unsigned answers
    exist — before that, a count would tell how many unsigned answers are waiting,
    and when each arrived. One query."""
    counts = request.asks.aggregate(
        asked=Count("pk"),
        signed=Count("pk", filter=Q(answer__signed=True)),
        unsigned=Count("pk", filter=Q(answer__signed=False)),
    )
    if counts["unsigned"] < ANONYMITY_THRESHOLD:
        return None
    # Those who answered as far as the page shows: an unsigned answer not yet shown
    # (it waits for two more) is not counted either, or the count would date it.
    answered = counts["signed"] + shown_unsigned(counts["unsigned"])
    return Progress(answered=answered, asked=counts["asked"])


def objective_choices(asker: Person) -> QuerySet[Objective]:
    """The asker's own objectives: the only ones a request may be about."""
    return Objective.objects.filter(plan__owner=asker).order_by("created_at", "id")


# --- given unasked ----------------------------------------------------------------------


def get_received_for(viewer: Person, code: UUID | str) -> GivenFeedback:
    """Feedback given to the viewer that they have not discarded."""
    return get_or_404(
        GivenFeedback.objects.received_by(viewer).select_related("giver", "receiver"), code=code
    )


# --- sharing ----------------------------------------------------------------------------


def share_candidates(owner: Person) -> QuerySet[Person]:
    """Whom the owner may let read the feedback they received: their managers (the
    whole chain) and the coach or mentor of an engagement of theirs that is open,
    who do not have it yet. A short list, never the organisation."""
    managers = managers_of(owner.pk)
    givers = (
        Engagement.objects.filter(receiver=owner, kind__in=SHARE_KINDS).open().values("giver_id")
    )
    return (
        Person.objects.visible_to(owner)
        .active()
        .exclude(pk=owner.pk)
        .filter(Q(pk__in=managers) | Q(pk__in=givers))
        .exclude(pk__in=FeedbackShare.objects.filter(owner=owner).values("shared_with_id"))
        .order_by("name", "pk")
    )


def can_share_with(owner: Person, reader: Person) -> bool:
    return share_candidates(owner).filter(pk=reader.pk).exists()


def get_own_share_for(viewer: Person, code: UUID | str) -> FeedbackShare:
    return get_or_404(
        FeedbackShare.objects.filter(owner=viewer).select_related("shared_with"), code=code
    )


def get_sharer_for(viewer: Person, code: UUID | str) -> Person:
    """A person who shares their received feedback with the viewer, or 404."""
    return get_or_404(
        Person.objects.visible_to(viewer).filter(
            pk__in=FeedbackShare.objects.filter(shared_with=viewer).values("owner_id")
        ),
        code=code,
    )


# --- whether sessions helped ------------------------------------------------------------


def can_say_if_session_helped(person: Person, session: Session) -> bool:
    """The receiver of the session's engagement, once the session has ended, and
    never in a counseling engagement (its existence is between two people, and one
    click would still be a record of it)."""
    engagement = session.engagement
    return (
        engagement.receiver_id == person.pk
        and session.completed_at is not None
        and engagement.kind != EngagementKind.COUNSELING
    )


@dataclass(frozen=True)
class SessionAggregate:
    answers: int
    helped: int

    @property
    def percent(self) -> int:
        return round(100 * self.helped / self.answers)


def session_aggregate(giver: Person) -> SessionAggregate | None:
    """How the sessions the giver held helped, over all their engagements: ``None``
    unless at least ``SESSION_AGGREGATE_ANSWERS`` answers from at least
    ``SESSION_AGGREGATE_PEOPLE`` different people exist. One query.

    The total moves only by whole batches, in the order the answers came: each batch
    holds at least that many answers from at least that many people, and answers
    after the last whole batch wait for the next. A total that moved with each answer
    would tell the giver that answer by difference (the one answer after their session
    with someone)."""
    rows = (
        SessionFeedback.objects.filter(session__engagement__giver=giver)
        .order_by("pk")
        .values_list("person_id", "helped")
    )
    answers = helped = 0
    batch_answers = batch_helped = 0
    batch_people: set[int] = set()
    for person_id, said_helped in rows:
        batch_answers += 1
        batch_helped += int(said_helped)
        batch_people.add(person_id)
        if (
            batch_answers >= SESSION_AGGREGATE_ANSWERS
            and len(batch_people) >= SESSION_AGGREGATE_PEOPLE
        ):
            answers += batch_answers
            helped += batch_helped
            batch_answers = batch_helped = 0
            batch_people = set()
    if answers == 0:
        return None
    return SessionAggregate(answers=answers, helped=helped)
