"""Feedback worlds for the tests: the report asks five colleagues, one gives them
feedback unasked, and distinctive texts are planted in every free-text field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils import timezone

from cairn.feedback import services
from cairn.feedback.models import About, FeedbackAsk, FeedbackRequest, GivenFeedback
from cairn.people.models import Person
from cairn.testing import Cast

# Distinctive texts, so that "not in the page" cannot pass by accident. No quotes or
# ampersands: autoescaping would change them and hide a leak.
QUESTION = "fb-canary question: how do I run design reviews"
Q_WELL = "fb-canary q1: what do I do well in reviews"
Q_BETTER = "fb-canary q2: what could I do better in reviews"
Q_TRY = "fb-canary q3: one thing to try in reviews"
GIVEN_WELL = "fb-canary given well: you listen before you speak"
GIVEN_BETTER = "fb-canary given better: share drafts sooner"
TAKEAWAY = "fb-canary takeaway: ask for drafts in week one"


def well(n: int) -> str:
    return f"fb-canary answer {n} well: calm in incidents"


def better(n: int) -> str:
    return f"fb-canary answer {n} better: write things down"


def to_try(n: int) -> str:
    return f"fb-canary answer {n} try: pair on the next design"


def due(days: int = 14) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def ask(
    asker: Person,
    people: Sequence[Person],
    *,
    question: str = QUESTION,
    due_on: dt.date | None = None,
) -> FeedbackRequest:
    return services.ask_for_feedback(
        asker,
        people=people,
        about=About.QUESTION,
        question=question,
        questions=[Q_WELL, Q_BETTER, Q_TRY],
        due_on=due_on or due(),
    )


def ask_of(request: FeedbackRequest, person: Person) -> FeedbackAsk:
    return FeedbackAsk.objects.get(request=request, person=person)


def answer(request: FeedbackRequest, person: Person, n: int, *, signed: bool) -> None:
    services.answer(
        person,
        ask_of(request, person),
        well=well(n),
        better=better(n),
        to_try=to_try(n),
        signed=signed,
    )


@dataclass
class World:
    cast: Cast
    request: FeedbackRequest
    given: GivenFeedback
    secrets: list[str] = field(default_factory=list)


def build_world(cast: Cast, *, unsigned: int = 3, signed: int = 1) -> World:
    """The report asks the peer, the coach, the director, the program admin and the
    manager; ``unsigned`` of them answer unsigned, then ``signed`` of the rest signed.
    The peer gives the report feedback unasked, which the report keeps, and the
    report writes a takeaway."""
    asked = [cast.peer, cast.coach, cast.director, cast.program_admin, cast.manager]
    request = ask(cast.report, asked)
    texts = [QUESTION, Q_WELL, Q_BETTER, Q_TRY]
    for n, person in enumerate(asked[:unsigned]):
        answer(request, person, n, signed=False)
        texts += [well(n), better(n), to_try(n)]
    for n, person in enumerate(asked[unsigned : unsigned + signed], start=unsigned):
        answer(request, person, n, signed=True)
        texts += [well(n), better(n), to_try(n)]
    given = services.give(cast.peer, cast.report, well=GIVEN_WELL, better=GIVEN_BETTER)
    services.keep(cast.report, given, kept=True)
    services.add_takeaway(cast.report, request=request, text=TAKEAWAY)
    return World(cast, request, given, [*texts, GIVEN_WELL, GIVEN_BETTER, TAKEAWAY])
