"""Mentoring tells the mentor of a request to answer, the mentee of the answer, and
both people of a pair when its match is published — once per event, never to the
actor, with names and the kind of thing only (never the challenge, goals or the
mentor's message)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cairn.coaching.models import Engagement
from cairn.mentoring import services
from cairn.mentoring.models import Match
from cairn.mentoring.tests.factories import (
    enrol_mentee,
    enrol_mentor,
    make_profile,
    make_program,
)
from cairn.notifications import registry
from cairn.notifications.models import Kind, Notification
from cairn.notifications.services import notify
from cairn.testing import Cast

pytestmark = pytest.mark.django_db

CANARY = "okapi-canary-9012"


def told_once(row: Notification) -> None:
    again = notify(row.recipient, Kind(row.kind), title=row.title, url=row.url, key=row.key)
    assert again is None
    assert Notification.objects.filter(key=row.key).count() == 1


def test_a_request_tells_the_mentor_and_only_those_who_may_read_it(cast: Cast) -> None:
    make_profile(cast.coach)
    request = services.send_request(cast.report, cast.coach, challenge=CANARY, goals=CANARY)
    [row] = Notification.objects.all()
    assert (row.recipient, row.kind) == (cast.coach, Kind.REQUEST_RECEIVED)
    assert row.title == "Riley Report asked you to be their mentor"
    assert row.url == reverse("mentoring:request", args=[request.code])
    assert CANARY not in row.title + row.url
    told_once(row)
    assert registry.still_visible(cast.coach, [row]) == [row]
    for name in ("manager", "peer", "admin", "hr", "outsider", "director"):
        assert registry.still_visible(getattr(cast, name), [row]) == [], name


@pytest.mark.parametrize("accept", [True, False])
def test_the_answer_tells_the_mentee(cast: Cast, accept: bool) -> None:
    make_profile(cast.coach)
    request = services.send_request(cast.report, cast.coach, challenge="c", goals="g")
    services.answer_request(cast.coach, request, accept=accept, message=CANARY)
    [row] = Notification.objects.filter(kind=Kind.REQUEST_ANSWERED)
    assert row.recipient == cast.report
    verb = "accepted" if accept else "declined"
    assert row.title == f"Cody Coach {verb} your mentoring request"
    assert CANARY not in row.title + row.url
    told_once(row)
    # The engagement an accepted request starts is agreed already: nobody is asked
    # to accept it, and the mentor is told nothing of their own answer.
    assert not Notification.objects.filter(kind=Kind.ENGAGEMENT_PROPOSED).exists()
    assert Notification.objects.filter(recipient=cast.coach).count() == 1
    assert Engagement.objects.filter(giver=cast.coach).exists() is accept


def test_a_published_match_tells_both_people_of_each_pair(cast: Cast) -> None:
    program = make_program(cast.program_admin)
    enrol_mentor(program, cast.coach, capacity=1, goals=CANARY)
    enrol_mentee(program, cast.peer, goals=CANARY)
    services.run_matching(cast.program_admin, program)
    assert not Notification.objects.exists()  # a proposal tells nobody
    services.publish(cast.program_admin, program)
    match = Match.objects.get()
    rows = {row.recipient: row for row in Notification.objects.filter(kind=Kind.MATCH_PUBLISHED)}
    assert set(rows) == {cast.coach, cast.peer}
    assert rows[cast.peer].title == "Cody Coach is proposed as your mentor in a mentoring program"
    assert rows[cast.coach].title == "Pat Peer is proposed as your mentee in a mentoring program"
    for person, row in rows.items():
        assert row.url == reverse("mentoring:program", args=[program.slug])
        assert CANARY not in row.title
        assert program.name not in row.title
        assert (row.subject_type, row.subject_id) == ("mentoring.match", match.pk)
        assert registry.still_visible(person, [row]) == [row]
        told_once(row)
    assert registry.still_visible(cast.report, [rows[cast.peer]]) == []
    assert not Notification.objects.filter(recipient=cast.program_admin).exists()
