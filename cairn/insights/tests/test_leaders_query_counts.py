"""The leaders' pages and their CSVs ask the database the same number of questions
for ten people as for a thousand (with their engagements, sessions, action items and
enrolments): every figure is an aggregate, never a query per person or per team."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from cairn.coaching.models import (
    ActionItem,
    Direction,
    Engagement,
    EngagementKind,
    EngagementStatus,
    Session,
    SessionTemplate,
)
from cairn.mentoring.models import Enrolment, Role
from cairn.mentoring.tests.factories import make_program
from cairn.people.models import Organisation, Person
from cairn.testing import client_for, count_queries, make_org, make_person
from cairn.testing.bulk import bulk_people, refresh_statistics
from cairn.testing.cast import make_team

NOW = dt.datetime(2027, 6, 15, 12, 0, tzinfo=dt.UTC)


def grow(org: Organisation, manager: Person, count: int, program_id: int) -> None:
    """``count`` more people under ``manager`` in new teams, each with a weekly one-on-one
    that met twice this quarter, an action item, and an enrolment."""
    team = make_team(org)
    people = bulk_people(org, count, managers=[manager], team=team)
    template_id = SessionTemplate.objects.order_by("pk").values_list("pk", flat=True)[0]
    agreed = NOW - dt.timedelta(days=150)
    engagements = Engagement.objects.bulk_create(
        Engagement(
            organisation=org,
            kind=EngagementKind.ONE_ON_ONE,
            direction=Direction.DOWNWARD,
            giver=manager,
            receiver=person,
            proposed_by=manager,
            template_id=template_id,
            status=EngagementStatus.ACTIVE,
            created_at=agreed,
            agreed_at=agreed,
        )
        for person in people
    )
    sessions = Session.objects.bulk_create(
        Session(
            engagement=engagement,
            template_id=template_id,
            scheduled_for=NOW - dt.timedelta(days=days),
            completed_at=NOW - dt.timedelta(days=days) + dt.timedelta(hours=1),
        )
        for engagement in engagements
        for days in (10, 40)
    )
    ActionItem.objects.bulk_create(
        ActionItem(
            engagement=session.engagement,
            session=session,
            owner=session.engagement.receiver,
            created_by=manager,
            description="Something to do",
            due_on=(NOW - dt.timedelta(days=5)).date(),
        )
        for session in sessions[::2]
    )
    Enrolment.objects.bulk_create(
        Enrolment(program_id=program_id, person=person, role=Role.MENTEE) for person in people
    )
    refresh_statistics()


def test_every_leaders_page_costs_the_same_at_10_and_1000_people(db: None) -> None:
    with time_machine.travel(NOW - dt.timedelta(days=200), tick=False):
        org = make_org()
        admin = make_person(org, "Ada Admin", is_org_admin=True, is_program_admin=True)
        manager = make_person(org, "Max Manager")
        program = make_program(admin, "Winter")
    urls = [
        reverse("insights:organisation"),
        f"{reverse('insights:organisation')}?csv=teams",
        f"{reverse('insights:organisation')}?csv=sessions-by-direction",
        reverse("insights:developing-others"),
        reverse("insights:program", args=[program.slug]),
        f"{reverse('insights:program', args=[program.slug])}?csv=program",
    ]
    with time_machine.travel(NOW, tick=False):
        grow(org, manager, 10, program.pk)
        first_team = manager.reports.values_list("team__code", flat=True).first()
        urls.append(f"{reverse('insights:organisation')}?team={first_team}")
        clients = {"admin": client_for(admin), "manager": client_for(manager)}

        def costs() -> dict[str, int]:
            found = {}
            for role, client in clients.items():
                for url in urls:
                    if role == "manager" and "program" in url:
                        continue
                    # Counted afresh: the figures kept from the last request are
                    # forgotten (cairn.insights.counted), so this is the counting.
                    caches["insights"].clear()
                    found[f"{role} {url}"] = count_queries(lambda: client.get(url))  # noqa: B023
            return found

        small = costs()
        for key in small:
            role, url = key.split(" ", 1)
            assert clients[role].get(url).status_code == 200, key
        # 990 more, in nine more teams of 110.
        for _ in range(9):
            grow(org, manager, 110, program.pk)
        assert Person.objects.filter(organisation=org).count() >= 1000
        assert timezone.now() == NOW
        assert costs() == small
