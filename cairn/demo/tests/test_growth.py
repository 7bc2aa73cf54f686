"""The demo's growth: Ravi's mission and plan, shared with Tomasz (his mentor) and not
with Marcus (his manager), built deterministically and fast."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from pytest_django import DjangoDbBlocker

from cairn.coaching.models import EngagementKind
from cairn.demo.builder import Result, build_demo
from cairn.growth.models import MissionStatement, Objective, PlanShare
from cairn.growth.policy import objectives_for_session
from cairn.growth.portable import export_sections
from cairn.people.models import Person
from cairn.testing import client_for

NOW = dt.datetime(2025, 10, 27, 8, 45, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(scope="module")
def demo(module_db: None, django_db_blocker: DjangoDbBlocker) -> Result:
    """Built once for the module (``module_db``: rolled back afterwards)."""
    with django_db_blocker.unblock():
        return build_demo(now=NOW)


def who(username: str) -> Person:
    return Person.objects.get(user__username=username)


@pytest.mark.django_db
def test_demo_counts_growth(demo: Result) -> None:
    counts = demo.counts
    assert counts["mission_statements"] == 8
    assert counts["development_plans"] == 4
    assert counts["objectives"] == 5
    assert counts["plan_shares"] == 4
    assert counts["check_ins"] >= 4
    assert counts["plan_actions"] >= 6


@pytest.mark.django_db
def test_ravi_has_three_versions_and_a_plan_with_a_scale(demo: Result) -> None:
    ravi = who("ravi")
    versions = list(MissionStatement.objects.filter(owner=ravi))
    assert len(versions) == 3
    assert versions[0].is_current
    assert versions[0].has_answers
    scaled = Objective.objects.get(plan__owner=ravi, scale_0__gt="")
    assert scaled.check_ins.exclude(position=None).count() == 3


@pytest.mark.django_db
def test_ravi_shares_with_his_mentor_and_not_his_manager(demo: Result) -> None:
    ravi, tomasz, marcus = who("ravi"), who("tomasz"), who("marcus")
    assert set(PlanShare.objects.filter(owner=ravi).values_list("shared_with", flat=True)) == {
        tomasz.pk
    }
    url = reverse("growth:shared-plan", args=[ravi.code])
    assert client_for(tomasz).get(url).status_code == 200
    assert client_for(marcus).get(url).status_code == 404


@pytest.mark.django_db
def test_ravis_objectives_are_reviewed_in_his_sessions(demo: Result) -> None:
    ravi, tomasz, marcus = who("ravi"), who("tomasz"), who("marcus")
    mentoring = Objective.objects.get(
        plan__owner=ravi, session__engagement__kind=EngagementKind.MENTORING
    )
    assert mentoring.session is not None
    assert mentoring.session.completed_at is not None  # the latest held one
    assert list(objectives_for_session(tomasz, mentoring.session)) == [mentoring]

    one_on_one = Objective.objects.get(
        plan__owner=ravi, session__engagement__kind=EngagementKind.ONE_ON_ONE
    )
    assert one_on_one.session is not None
    assert one_on_one.session.scheduled_for > NOW  # the next one
    assert not objectives_for_session(marcus, one_on_one.session).exists()
    assert list(objectives_for_session(ravi, one_on_one.session)) == [one_on_one]


@pytest.mark.django_db
def test_demo_growth_exports_and_pages_render(demo: Result) -> None:
    for username in ("ravi", "imani", "zara", "marcus"):
        person = who(username)
        sections = export_sections(person)
        assert sections["mission_statements"], username
        assert len(sections["development_plan"]) == 1, username
        client = client_for(person)
        for name in ("home", "plan", "mission-history", "shared"):
            assert client.get(reverse(f"growth:{name}")).status_code == 200, (username, name)


@pytest.mark.django_db
def test_ravi_sees_that_his_mentor_read_his_plan(demo: Result) -> None:
    assert demo.counts["access_records"] == 2 * demo.counts["plan_shares"]
    page = client_for(who("ravi")).get(reverse("trust:log")).content.decode()
    assert "Tomasz" in page
    assert "development plan" in page
    # Marcus, who was never shown it, is not in Ravi's log.
    assert who("marcus").name not in page
