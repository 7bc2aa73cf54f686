from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from pytest_django import Settings

from cairn.demo.builder import build_demo
from cairn.mastery import policy
from cairn.mastery.models import (
    Assessment,
    AssessmentShare,
    EngagementCompetency,
    Grant,
    Ladder,
    Privilege,
)
from cairn.people.models import Person

NOW = dt.datetime(2025, 10, 27, 8, 45, tzinfo=ZoneInfo("Europe/London"))


def level_of(username: str, ladder_slug: str = "library") -> str:
    person = Person.objects.get(user__username=username)
    ladder = Ladder.objects.get(slug=ladder_slug)
    return policy.current_level(person, ladder).slug


@pytest.mark.django_db
def test_demo_seeds_levels_ladder_and_assessments(settings: Settings) -> None:
    settings.DEBUG = True
    result = build_demo(now=NOW)
    assert result.counts["proficiency grants"] == Grant.objects.count() > 10
    assert level_of("grace") == "coach"
    assert {level_of(u) for u in ("tomasz", "sofia", "daniel")} == {"publisher"}
    assert level_of("ravi") == "contributor"
    assert level_of("leo") == "candidate"
    assert level_of("ingrid", "on-call") == "incident-lead"
    reviewers = policy.people_with_privilege(result.organisation.pk, Privilege.REVIEW_STORIES)
    assert [p.user.username for p in reviewers] == ["grace"]
    ravi = Person.objects.get(user__username="ravi")
    assessments = Assessment.objects.filter(person=ravi)
    assert assessments.count() == 4
    assert all(a.evidence for a in assessments)
    # Daniel's competency coaching of Mateo works on two competencies.
    named = EngagementCompetency.objects.filter(
        engagement__giver__user__username="daniel", engagement__receiver__user__username="mateo"
    )
    assert sorted(named.values_list("competency__name", flat=True)) == [
        "Collaboration",
        "Technical craft",
    ]
    assert result.counts["competencies worked on in coaching"] == 2
    # Ravi's own view sits next to his coach's, and his manager reads both.
    assert assessments.filter(assessor=ravi).count() >= 1
    assert ravi.manager is not None
    assert set(Assessment.objects.visible_to(ravi.manager).filter(person=ravi)) == set(assessments)
    assert result.counts["assessment shares"] == AssessmentShare.objects.count() == 2
    # Deterministic: the grant dates come from the seeded generator.
    dates = sorted(Grant.objects.values_list("granted_at", flat=True))
    assert dates[0] == NOW - dt.timedelta(days=300)
