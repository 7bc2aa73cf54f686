"""Invariants under real concurrency (issue 17): several threads, each with its own
database connection, call a service or post a page at the same moment (a
``threading.Barrier``), as two people pressing a button together or a double click
would. No exception leaks, no answer is a 5xx, and the invariant holds afterwards:
one "End session" carries the agenda once, a capacity-1 mentor gets one mentee, a
proposal is published (and told) once, an engagement is accepted once.

The tests commit (``transaction=True``): the threads must see the rows the test made,
and each other's. They run on both databases in CI (``.ci/run``): on PostgreSQL the
row locks (``select_for_update``) and constraints decide; on SQLite, on a database
file as the site runs, the IMMEDIATE transactions (settings) serialise writers.
They sit here, above coaching and mentoring, because two of them cross both apps.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cairn.coaching import services as coaching
from cairn.coaching.models import (
    AgendaItem,
    AgreementVersion,
    Engagement,
    EngagementKind,
    EngagementStatus,
    Session,
    VersionStatus,
)
from cairn.coaching.tests.factories import make_agenda_item, make_engagement, make_session
from cairn.library.models import Review, StoryStatus
from cairn.library.tests.factories import at_library_levels, make_story
from cairn.mastery.tests.factories import grant
from cairn.mentoring import services as mentoring
from cairn.mentoring.models import Match, MatchStatus, MentoringRequest
from cairn.mentoring.tests.factories import (
    enrol_mentee,
    enrol_mentor,
    make_profile,
    make_program,
    make_request,
)
from cairn.notifications.models import Kind, Notification
from cairn.testing import client_for
from cairn.testing.cast import Cast

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # On SQLite, on a file as the site runs (see the fixture): threads wait there.
    pytest.mark.usefixtures("file_backed_sqlite"),
]


CONFIRMED = {"confirmed": "yes"}


def race(calls: list[Callable[[], Any]]) -> list[tuple[str, Any]]:
    """Run each call in its own thread, all released at once; each thread's result as
    ("ok", value) or ("error", exception). Every thread closes its connection."""
    barrier = threading.Barrier(len(calls), timeout=20)
    results: list[tuple[str, Any]] = [("missing", None)] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = ("ok", call())
        except Exception as error:  # the test asserts on it
            results[index] = ("error", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return results


def errors(results: list[tuple[str, Any]]) -> list[Exception]:
    return [value for outcome, value in results if outcome == "error"]


def posting(client: Client, url: str, data: dict[str, str]) -> Callable[[], Any]:
    return lambda: client.post(url, data)


def statuses(results: list[tuple[str, Any]]) -> list[int]:
    assert not errors(results), errors(results)
    return [response.status_code for _, response in results]


# --- End session -------------------------------------------------------------------


def _held_session(cast: Cast) -> Session:
    engagement = make_engagement(cast.coach, cast.report)
    session = make_session(engagement, when=timezone.now() - dt.timedelta(hours=1))
    make_agenda_item(session, cast.report, "What I did not get to")
    return session


def test_two_parties_end_a_session_at_once(cast: Cast) -> None:
    session = _held_session(cast)
    # Each party's own copy, as each of their requests would load it.
    theirs = Session.objects.select_related("engagement").get(pk=session.pk)

    results = race(
        [
            lambda: coaching.complete_session(cast.coach, session),
            lambda: coaching.complete_session(cast.report, theirs),
        ]
    )

    failures = errors(results)
    assert len(failures) == 1
    assert isinstance(failures[0], ValidationError)
    assert "already ended" in str(failures[0])
    assert session.engagement.sessions.count() == 2
    assert AgendaItem.objects.filter(text="What I did not get to").count() == 2


def test_two_end_session_clicks_at_once_both_answer_with_a_redirect(cast: Cast) -> None:
    session = _held_session(cast)
    url = reverse("coaching:session-complete", args=[session.code])
    coach, report = client_for(cast.coach), client_for(cast.report)

    results = race([posting(coach, url, CONFIRMED), posting(report, url, CONFIRMED)])

    assert statuses(results) == [302, 302]
    session.refresh_from_db()
    assert session.is_completed
    assert session.engagement.sessions.count() == 2
    assert AgendaItem.objects.filter(text="What I did not get to").count() == 2


# --- a capacity-1 mentor -----------------------------------------------------------


def _three_requests(cast: Cast) -> list[MentoringRequest]:
    make_profile(cast.coach, capacity=1)
    return [make_request(mentee, cast.coach) for mentee in (cast.report, cast.peer, cast.admin)]


def _mentees_of(cast: Cast) -> int:
    return Engagement.objects.open().filter(giver=cast.coach, kind=EngagementKind.MENTORING).count()


def test_three_accepts_for_a_capacity_one_mentor_start_one_engagement(cast: Cast) -> None:
    requests = _three_requests(cast)

    def accepting(request: MentoringRequest) -> Callable[[], Any]:
        return lambda: mentoring.answer_request(cast.coach, request, accept=True)

    results = race([accepting(request) for request in requests])

    failures = errors(results)
    assert len(failures) == 2
    for failure in failures:
        assert isinstance(failure, ValidationError)
        assert "room for" in str(failure)
    assert _mentees_of(cast) == 1
    assert MentoringRequest.objects.filter(status="accepted").count() == 1
    assert MentoringRequest.objects.filter(status="pending").count() == 2


def test_three_accept_clicks_for_a_capacity_one_mentor_one_page_says_yes(cast: Cast) -> None:
    requests = _three_requests(cast)
    clients = [client_for(cast.coach) for _ in requests]

    results = race(
        [
            posting(
                client,
                reverse("mentoring:request-answer", args=[request.code]),
                {"decision": "accept"},
            )
            for client, request in zip(clients, requests, strict=True)
        ]
    )

    assert sorted(statuses(results)) == [302, 422, 422]
    for _, response in results:
        if response.status_code == 422:
            assert "room for" in response.content.decode()
    assert _mentees_of(cast) == 1


# --- publishing a program's matches ------------------------------------------------


def test_two_publishes_at_once_publish_and_tell_once(cast: Cast) -> None:
    program = make_program(cast.program_admin)
    enrol_mentor(program, cast.coach, capacity=1)
    enrol_mentee(program, cast.report)
    mentoring.run_matching(cast.program_admin, program)
    other_tab = type(program).objects.get(pk=program.pk)

    results = race(
        [
            lambda: mentoring.publish(cast.program_admin, program),
            lambda: mentoring.publish(cast.program_admin, other_tab),
        ]
    )

    assert not errors(results), errors(results)
    assert [value for _, value in results] == [1, 1]
    assert Match.objects.get().status == MatchStatus.PUBLISHED
    told = Notification.objects.filter(kind=Kind.MATCH_PUBLISHED)
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(
        [cast.coach.pk, cast.report.pk]
    )


def test_two_publish_clicks_at_once_never_fail(cast: Cast) -> None:
    program = make_program(cast.program_admin)
    enrol_mentor(program, cast.coach, capacity=1)
    enrol_mentee(program, cast.report)
    mentoring.run_matching(cast.program_admin, program)
    url = reverse("mentoring:proposal-publish", args=[program.slug])

    results = race(
        [posting(client_for(cast.program_admin), url, {}) for _ in range(2)],
    )

    assert all(status < 500 for status in statuses(results))
    assert Notification.objects.filter(kind=Kind.MATCH_PUBLISHED).count() == 2


def test_both_sides_accept_a_match_at_once_one_engagement(cast: Cast) -> None:
    program = make_program(cast.program_admin)
    enrol_mentor(program, cast.coach, capacity=1)
    enrol_mentee(program, cast.report)
    mentoring.run_matching(cast.program_admin, program)
    mentoring.publish(cast.program_admin, program)
    match = Match.objects.select_related("mentee__person", "mentor__person", "program").get()
    url = reverse("mentoring:match-answer", args=[match.code])

    results = race(
        [
            posting(client_for(cast.coach), url, {"decision": "accept"}),
            posting(client_for(cast.report), url, {"decision": "accept"}),
            posting(client_for(cast.report), url, {"decision": "accept"}),
        ]
    )

    assert statuses(results) == [302, 302, 302]
    match.refresh_from_db()
    assert match.status == MatchStatus.ACCEPTED
    assert Engagement.objects.filter(kind=EngagementKind.MENTORING).count() == 1
    assert match.engagement_id is not None


# --- accepting an engagement -------------------------------------------------------


def test_two_accepts_of_an_engagement_at_once_agree_it_once(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report, agreed=False)
    other_tab = Engagement.objects.get(pk=engagement.pk)

    results = race(
        [
            lambda: coaching.accept_engagement(cast.report, engagement),
            lambda: coaching.accept_engagement(cast.report, other_tab),
        ]
    )

    failures = errors(results)
    assert len(failures) == 1
    assert isinstance(failures[0], ValidationError)
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.AGREED
    versions = AgreementVersion.objects.filter(engagement=engagement)
    assert [v.status for v in versions] == [VersionStatus.ACCEPTED]


def test_two_accept_clicks_at_once_both_redirect_to_the_engagement(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report, agreed=False)
    url = reverse("coaching:engagement-accept", args=[engagement.code])

    results = race([posting(client_for(cast.report), url, {}) for _ in range(2)])

    assert statuses(results) == [302, 302]
    for _, response in results:
        assert response["Location"] == reverse("coaching:engagement", args=[engagement.code])
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.AGREED


# --- reviewing a story -------------------------------------------------------------


def test_two_reviewers_at_once_publish_a_story_once(cast: Cast) -> None:
    lib = at_library_levels(cast)
    grant(cast.director, "coach")
    story = make_story(lib.contributor, "Reviewed once", status=StoryStatus.IN_REVIEW)
    url = reverse("library:story-review", args=[story.code])
    form = {"strengths": "Clear", "decision": "publish"}

    results = race([posting(client_for(p), url, form) for p in (lib.reviewer, cast.director)])

    # The second either waits on the first's lock and finds the story reviewed (422,
    # its review kept on the page) or arrives after it and is sent to the story (302).
    assert sorted(statuses(results)) in ([302, 302], [302, 422])
    assert Review.objects.filter(story=story).count() == 1
    assert Notification.objects.filter(kind=Kind.STORY_PUBLISHED).count() == 1
