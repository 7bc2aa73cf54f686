"""The insights pages ask the database the same number of questions for 10 people as
for 1,000: every figure is an aggregate (10,000 people are measured in bench/)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from typing import Any

import pytest
from django.utils import timezone

from cairn.coaching.models import (
    ActionItem,
    AgendaItem,
    Direction,
    Engagement,
    EngagementKind,
    EngagementStatus,
    Session,
)
from cairn.coaching.services import default_template
from cairn.growth.models import DevelopmentPlan
from cairn.people.models import Person
from cairn.testing import client_for, count_queries, make_org, make_person
from cairn.testing.bulk import bulk_people, refresh_statistics

SIZES = (10, 1000)
PAGES = ["/insights/", "/insights/team/", "/insights/team/?csv=line-managers"]


@dataclass
class Org:
    director: Person
    line: Person


def build(size: int) -> Org:
    """A director, five line managers under them, and ``size`` people under those,
    each with a one-on-one with their manager holding a session of the last week, an
    action item and an agenda point; every other person has a plan."""
    org = make_org()
    director = make_person(org, "Dee Director")
    lines = [make_person(org, f"Line {n}", manager=director) for n in range(5)]
    people = bulk_people(org, size, managers=lines)
    now = timezone.now()
    template = default_template()
    engagements = Engagement.objects.bulk_create(
        [
            Engagement(
                organisation=org,
                kind=EngagementKind.ONE_ON_ONE,
                direction=Direction.DOWNWARD,
                giver=person.manager,
                receiver=person,
                proposed_by=person.manager,
                template=template,
                status=EngagementStatus.ACTIVE,
                agreed_at=now - dt.timedelta(days=200),
            )
            for person in people
        ]
    )
    when = now - dt.timedelta(days=7)
    sessions = Session.objects.bulk_create(
        [
            Session(engagement=e, template=template, scheduled_for=when, completed_at=when)
            for e in engagements
        ]
    )
    ActionItem.objects.bulk_create(
        [
            ActionItem(
                engagement_id=s.engagement_id,
                session=s,
                owner=person,
                description="An action",
                due_on=timezone.localdate() - dt.timedelta(days=1),
                created_by=person,
            )
            for s, person in zip(sessions, people, strict=True)
        ]
    )
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(session=s, author=p, text="A point")
            for s, p in zip(sessions, people, strict=True)
        ]
    )
    DevelopmentPlan.objects.bulk_create(
        [DevelopmentPlan(owner=person, dreams="Dreams") for person in people[::2]]
    )
    return Org(director, lines[0])


@pytest.fixture(scope="module")
def worlds(module_db: None, django_db_blocker: Any) -> dict[int, Org]:
    with django_db_blocker.unblock():
        built = {size: build(size) for size in SIZES}
        refresh_statistics()
        return built


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("who", ["director", "line"])
def test_queries_do_not_grow_with_the_organisation(
    db: None, worlds: dict[int, Org], who: str, url: str
) -> None:
    counted = []
    for size in SIZES:
        client = client_for(getattr(worlds[size], who))
        assert client.get(url).status_code == 200  # warm up
        counted.append(count_queries(partial(client.get, url)))
    small, large = counted
    assert small == large, f"{who} {url}: {small} queries for 10 people, {large} for 1,000"
    assert large <= 20
