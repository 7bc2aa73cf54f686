"""The demo's agreements and debriefs: what a visitor logging in finds."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from pytest_django import Settings

from cairn.coaching.demo import ELENA_DEBRIEF, MARCUS_PURPOSE, RAVI_PURPOSE
from cairn.coaching.models import (
    AgreementVersion,
    Debrief,
    Engagement,
    EngagementKind,
    EngagementStatus,
    VersionStatus,
)
from cairn.demo.builder import build_demo
from cairn.people.models import Person
from cairn.testing import client_for

NOW = dt.datetime(2025, 10, 27, 8, 45, tzinfo=ZoneInfo("Europe/London"))


def person(username: str) -> Person:
    return Person.objects.get(user__username=username)


def engagement(giver: str, receiver: str, kind: str) -> Engagement:
    return Engagement.objects.get(giver=person(giver), receiver=person(receiver), kind=kind)


@pytest.mark.django_db
def test_demo_engagements_have_agreements_and_debriefs(settings: Settings) -> None:
    settings.DEBUG = True
    result = build_demo(now=NOW)
    assert result.counts["agreement versions"] == AgreementVersion.objects.count()
    assert result.counts["debriefs"] == 2

    # Every engagement but the one-on-ones has an agreement; agreed ones have one
    # in force, accepted when the engagement was agreed; the proposed one waits.
    for e in Engagement.objects.exclude(kind=EngagementKind.ONE_ON_ONE):
        first = e.agreement_versions.get(number=1)
        assert first.proposed_at == e.created_at
        if e.status == EngagementStatus.PROPOSED:
            assert first.status == VersionStatus.PENDING
        else:
            assert first.status == VersionStatus.ACCEPTED
            assert first.accepted_at == e.agreed_at
    assert not AgreementVersion.objects.filter(engagement__kind=EngagementKind.ONE_ON_ONE)

    # Ravi: an amendment waits for him; Marcus, his manager, reads the sponsor summary.
    ravi = engagement("tomasz", "ravi", EngagementKind.MENTORING)
    assert list(ravi.agreement_versions.order_by("number").values_list("status", flat=True)) == [
        VersionStatus.ACCEPTED,
        VersionStatus.ACCEPTED,
        VersionStatus.PENDING,
    ]
    assert (
        "agreement waiting for you"
        in client_for(person("ravi")).get(reverse("home")).content.decode()
    )
    sponsor = reverse("coaching:sponsor-summary", args=[ravi.code])
    page = client_for(person("marcus")).get(sponsor)
    assert page.status_code == 200
    assert RAVI_PURPOSE in page.content.decode()
    assert client_for(person("priya")).get(sponsor).status_code == 404  # the org admin

    # Amara, Marcus's manager, sees that his coaching is active, not its purpose.
    marcus = engagement("grace", "marcus", EngagementKind.COACHING)
    page = client_for(person("amara")).get(reverse("coaching:sponsor-summary", args=[marcus.code]))
    assert page.status_code == 200
    assert MARCUS_PURPOSE not in page.content.decode()

    # Leo's closed mentoring: both debriefs, for the two of them.
    leo = engagement("elena", "leo", EngagementKind.MENTORING)
    assert leo.status == EngagementStatus.CLOSED
    assert Debrief.objects.filter(engagement=leo).count() == 2
    html = client_for(person("leo")).get(reverse("coaching:engagement", args=[leo.code])).content
    assert "Your debrief" in html.decode()
    assert "Elena Petrova’s debrief" in html.decode()
    assert "Asking for help early is a skill" in html.decode()
    assert ELENA_DEBRIEF["next_steps"] in html.decode()
