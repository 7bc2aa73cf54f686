"""Review of issue 13: "did the session help" is a total over at least five answers
from at least three people, never one answer — also not by difference.

A live total that moves with each new answer tells the giver that answer: once the
total shows, the one more answer after their session with someone is that person's
"helped" or "did not help". The total moves only by a batch that itself holds at
least five answers from at least three people.
"""

from __future__ import annotations

from cairn.coaching.models import EngagementKind, Session
from cairn.coaching.tests.factories import make_engagement, make_session
from cairn.feedback import policy, services
from cairn.people.models import Person
from cairn.testing import Cast, make_person


def coachees(cast: Cast) -> tuple[list[Person], dict[Person, list[Session]]]:
    people = [cast.report, cast.peer, make_person(cast.org, "Third Coachee")]
    sessions = {
        p: [make_session(make_engagement(cast.coach, p, EngagementKind.COACHING), completed=True)]
        for p in people
    }
    return people, sessions


def more(cast: Cast, person: Person, sessions: dict[Person, list[Session]]) -> Session:
    engagement = sessions[person][0].engagement
    session = make_session(engagement, completed=True)
    sessions[person].append(session)
    return session


def test_one_more_answer_does_not_move_the_total(cast: Cast) -> None:
    people, sessions = coachees(cast)
    for person in people:
        services.say_if_session_helped(person, sessions[person][0], helped=True)
    for person in people[:2]:
        services.say_if_session_helped(person, more(cast, person, sessions), helped=True)
    shown = policy.session_aggregate(cast.coach)
    assert shown is not None
    assert (shown.helped, shown.answers) == (5, 5)

    # The report says their latest session did not help: the coach must not learn it.
    services.say_if_session_helped(cast.report, more(cast, cast.report, sessions), helped=False)
    after = policy.session_aggregate(cast.coach)
    assert after is not None
    assert (after.helped, after.answers) == (5, 5)

    # Four more answers, from three people with the one before: a batch of five from
    # three people, and the total moves.
    for person in (cast.peer, people[2], people[2], cast.peer):
        services.say_if_session_helped(person, more(cast, person, sessions), helped=True)
    moved = policy.session_aggregate(cast.coach)
    assert moved is not None
    assert (moved.helped, moved.answers) == (9, 10)


def test_answers_from_too_few_people_do_not_move_the_total(cast: Cast) -> None:
    people, sessions = coachees(cast)
    for person in people:
        services.say_if_session_helped(person, sessions[person][0], helped=True)
    for person in people[:2]:
        services.say_if_session_helped(person, more(cast, person, sessions), helped=True)
    # Five more, but from two people only: still the first total.
    for person in (cast.report, cast.report, cast.report, cast.peer, cast.peer):
        services.say_if_session_helped(person, more(cast, person, sessions), helped=False)
    shown = policy.session_aggregate(cast.coach)
    assert shown is not None
    assert (shown.helped, shown.answers) == (5, 5)


# --- unsigned answers after the threshold ---------------------------------------------


def test_a_fourth_unsigned_answer_does_not_show_alone(cast: Cast) -> None:
    """Three unsigned answers show; a fourth showing by itself (and the count of those
    who answered going up by one) would date it — and, asked whether they have
    answered yet, the one who said "tomorrow" would be its author. Unsigned answers
    show three at a time."""
    from cairn.feedback.models import FeedbackAnswer
    from cairn.feedback.tests.factories import answer, ask, well
    from cairn.feedback.tests.test_anonymity import asked, page_of

    people = asked(cast)
    request = ask(cast.report, people)
    for n in range(3):
        answer(request, people[n], n, signed=False)
    page = page_of(cast, request.code)
    assert "3 of 5 have answered" in page

    answer(request, people[3], 3, signed=False)
    page = page_of(cast, request.code)
    assert well(3) not in page
    assert "3 of 5 have answered" in page
    assert FeedbackAnswer.objects.visible_to(cast.report).count() == 3
    # Its author still reads their own.
    assert FeedbackAnswer.objects.visible_to(people[3]).count() == 1
