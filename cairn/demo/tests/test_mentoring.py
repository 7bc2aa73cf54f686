"""The demo's mentoring: what a visitor logging in as tomasz or amara finds."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cairn.demo.builder import build_demo
from cairn.mentoring import services
from cairn.mentoring.demo import KENJI_CHALLENGE, PROGRAM_SLUG
from cairn.mentoring.models import Match, MentoringRequest, MentorProfile, Program, RequestStatus
from cairn.notifications.models import Notification
from cairn.people.models import Person, ReportingLines
from cairn.testing import client_for

NOW = dt.datetime(2025, 10, 27, 8, 45, tzinfo=ZoneInfo("Europe/London"))


def person(username: str) -> Person:
    return Person.objects.get(user__username=username)


@pytest.mark.django_db
def test_demo_has_profiles_a_request_for_tomasz_and_a_proposal_for_amara() -> None:
    result = build_demo(now=NOW)
    assert result.counts["mentor profiles"] == MentorProfile.objects.count() == 12
    tomasz, kenji = person("tomasz"), person("kenji")
    pending = MentoringRequest.objects.get(mentor=tomasz, status=RequestStatus.PENDING)
    assert pending.mentee == kenji
    assert tomasz.pk not in ReportingLines.of(tomasz.organisation_id).chain(kenji.pk)
    page = client_for(tomasz).get(reverse("mentoring:request", args=[pending.code]))
    assert KENJI_CHALLENGE in page.content.decode()
    assert "Send answer" in page.content.decode()
    assert result.counts["proposed pairs"] == Match.objects.count() > 0
    proposal = client_for(person("amara")).get(reverse("mentoring:proposal", args=[PROGRAM_SLUG]))
    assert proposal.status_code == 200
    assert "Publish the proposal" in proposal.content.decode()
    # Marcus, Kenji's manager, never reads Kenji's challenge.
    assert (
        client_for(person("marcus"))
        .get(reverse("mentoring:request", args=[pending.code]))
        .status_code
        == 404
    )


@pytest.mark.django_db
def test_demo_proposal_is_what_matching_gives_again() -> None:
    build_demo(now=NOW)
    program = Program.objects.get(slug=PROGRAM_SLUG)
    saved = sorted(
        (str(m.mentee.person.code), str(m.mentor.person.code), round(m.score, 6))
        for m in Match.objects.select_related("mentee__person", "mentor__person")
    )
    again, _ = services.compute_proposal(program)
    assert saved == sorted((p.mentee, p.mentor, round(p.score, 6)) for p in again.pairs)
    # Finn asked not to meet Daniel; Aisha asked for a mentor of her gender.
    pairs = {
        (m.mentee.person.user.username, m.mentor.person.user.username)
        for m in Match.objects.select_related("mentee__person__user", "mentor__person__user")
    }
    assert ("finn", "daniel") not in pairs
    assert not {("aisha", m) for m in ("daniel", "arjun", "jamal")} & pairs


@pytest.mark.django_db
def test_tomasz_is_told_of_kenjis_request_in_the_bell() -> None:
    result = build_demo(now=NOW)
    assert result.counts["notifications"] == 2  # and what the services told as the demo ran
    tomasz = person("tomasz")
    page = client_for(tomasz).get(reverse("notifications:list")).content.decode()
    assert "Kenji" in page
    assert "asked you to be their mentor" in page
    assert KENJI_CHALLENGE not in page
    home = client_for(tomasz).get(reverse("home")).content.decode()
    unread = Notification.objects.filter(recipient=tomasz, read_at=None).count()
    assert unread >= 1
    assert (
        f'<span class="badge">{unread}</span><span class="visually-hidden"> unread</span>' in home
    )
