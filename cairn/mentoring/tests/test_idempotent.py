"""Mentoring's invariants (issue 17): a mentor's capacity holds on accept, and a
second accept of a request or a match, or a second publish of a program's matches,
answers as the first did and doubles nothing. The same at the same moment, in
threads on PostgreSQL: ``cairn/tests/test_invariants_threads.py``."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cairn.coaching.models import Engagement, EngagementKind
from cairn.mentoring import services
from cairn.mentoring.models import Match, MatchStatus, MentoringRequest, MentorProfile, Program
from cairn.mentoring.tests.factories import (
    enrol_mentee,
    enrol_mentor,
    make_profile,
    make_program,
    make_request,
)
from cairn.notifications.models import Kind, Notification
from cairn.people.models import Person
from cairn.testing import client_for
from cairn.testing.cast import Cast

pytestmark = pytest.mark.django_db


def _mentees_of(mentor: Person) -> int:
    return Engagement.objects.open().filter(giver=mentor, kind=EngagementKind.MENTORING).count()


# --- capacity ----------------------------------------------------------------------


def test_accepting_past_capacity_is_refused_with_a_clear_message(cast: Cast) -> None:
    make_profile(cast.coach, capacity=1)
    first, second = make_request(cast.report, cast.coach), make_request(cast.peer, cast.coach)
    services.answer_request(cast.coach, first, accept=True)

    with pytest.raises(ValidationError, match="1 of the 1 people your profile has room for"):
        services.answer_request(cast.coach, second, accept=True)

    second.refresh_from_db()
    assert second.status == "pending"
    assert second.engagement_id is None
    assert _mentees_of(cast.coach) == 1


def test_the_refusal_is_a_422_page_and_nothing_is_saved(cast: Cast) -> None:
    make_profile(cast.coach, capacity=1)
    first, second = make_request(cast.report, cast.coach), make_request(cast.peer, cast.coach)
    services.answer_request(cast.coach, first, accept=True)

    response = client_for(cast.coach).post(
        reverse("mentoring:request-answer", args=[second.code]),
        {"decision": "accept", "message": "Happy to"},
    )

    assert response.status_code == 422
    assert "room for" in response.content.decode()
    second.refresh_from_db()
    assert (second.status, second.response) == ("pending", "")
    assert _mentees_of(cast.coach) == 1


def test_declining_is_never_limited_by_capacity(cast: Cast) -> None:
    make_profile(cast.coach, capacity=1)
    first, second = make_request(cast.report, cast.coach), make_request(cast.peer, cast.coach)
    services.answer_request(cast.coach, first, accept=True)
    services.answer_request(cast.coach, second, accept=False)
    assert MentoringRequest.objects.get(pk=second.pk).status == "declined"


def test_raising_capacity_makes_room(cast: Cast) -> None:
    make_profile(cast.coach, capacity=1)
    first, second = make_request(cast.report, cast.coach), make_request(cast.peer, cast.coach)
    services.answer_request(cast.coach, first, accept=True)
    MentorProfile.objects.filter(person=cast.coach).update(capacity=2)

    services.answer_request(cast.coach, second, accept=True)

    assert _mentees_of(cast.coach) == 2


# --- a second accept of a request --------------------------------------------------


def test_a_second_accept_of_a_request_starts_nothing_new(cast: Cast) -> None:
    request = make_request(cast.report, cast.coach)
    stale = MentoringRequest.objects.get(pk=request.pk)
    first = services.answer_request(cast.coach, request, accept=True, message="Yes!")

    again = services.answer_request(cast.coach, stale, accept=True, message="Yes again")

    assert again.engagement_id == first.engagement_id
    assert MentoringRequest.objects.get(pk=request.pk).response == "Yes!"
    assert _mentees_of(cast.coach) == 1
    assert Notification.objects.filter(kind=Kind.REQUEST_ANSWERED).count() == 1


# --- publishing twice --------------------------------------------------------------


def _matched(cast: Cast) -> Program:
    program = make_program(cast.program_admin)
    enrol_mentor(program, cast.coach, capacity=1)
    enrol_mentee(program, cast.report)
    services.run_matching(cast.program_admin, program)
    return program


def test_a_second_publish_answers_the_same_and_tells_nobody_twice(cast: Cast) -> None:
    program = _matched(cast)
    stale = Program.objects.get(pk=program.pk)

    assert services.publish(cast.program_admin, program) == 1
    assert services.publish(cast.program_admin, stale) == 1

    assert Match.objects.get().status == MatchStatus.PUBLISHED
    assert Notification.objects.filter(kind=Kind.MATCH_PUBLISHED).count() == 2


def test_publish_clicked_twice_says_published_both_times(cast: Cast) -> None:
    program = _matched(cast)
    url = reverse("mentoring:proposal-publish", args=[program.slug])
    client = client_for(cast.program_admin)

    first = client.post(url, follow=True)
    second = client.post(url, follow=True)

    for response in (first, second):
        assert response.status_code == 200
        assert "Published 1 pairs" in response.content.decode()
    assert Notification.objects.filter(kind=Kind.MATCH_PUBLISHED).count() == 2


def test_publishing_with_nothing_matched_is_still_refused(cast: Cast) -> None:
    program = make_program(cast.program_admin)
    with pytest.raises(ValidationError, match="run matching first"):
        services.publish(cast.program_admin, program)


# --- a second accept of a match ----------------------------------------------------


def test_a_second_accept_of_a_match_changes_nothing(cast: Cast) -> None:
    program = _matched(cast)
    services.publish(cast.program_admin, program)
    match = Match.objects.select_related("mentee__person", "mentor__person", "program").get()
    stale = Match.objects.select_related("mentee__person", "mentor__person", "program").get()
    services.answer_match(cast.report, match, accept=True)
    services.answer_match(cast.coach, match, accept=True)

    again = services.answer_match(cast.report, stale, accept=True)

    assert again.status == MatchStatus.ACCEPTED
    assert again.engagement_id == Match.objects.get().engagement_id
    assert Engagement.objects.filter(kind=EngagementKind.MENTORING).count() == 1
