"""Levels unlock privileges: what other apps ask through ``has_privilege`` and
``people_with_privilege``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cairn.mastery import policy
from cairn.mastery.builtin_ladders import LIBRARY_LADDER, sync_builtin_ladders
from cairn.mastery.models import Grant, Ladder, Level, LevelPrivilege, Privilege
from cairn.mastery.tests.factories import grant
from cairn.testing import Cast, count_queries, make_person

PUBLISH = Privilege.PUBLISH_WITHOUT_REVIEW
REVIEW = Privilege.REVIEW_STORIES

EXPECTED = {
    "candidate": set(),
    "contributor": set(),
    "publisher": {PUBLISH},
    "coach": {PUBLISH, REVIEW, Privilege.GRANT_LEVELS},
}


def test_the_library_ladder_is_built_in_lowest_first(db: None) -> None:
    ladder = Ladder.objects.get(slug=LIBRARY_LADDER, organisation=None)
    levels = list(ladder.levels.order_by("rank"))
    assert [level.slug for level in levels] == ["candidate", "contributor", "publisher", "coach"]
    assert all(level.criteria for level in levels)
    assert {level.slug: set(level.privilege_values) for level in levels} == EXPECTED


def test_syncing_again_changes_nothing(db: None) -> None:
    before = list(Level.objects.values_list("pk", "slug", "rank"))
    sync_builtin_ladders(Ladder, Level, LevelPrivilege)
    assert list(Level.objects.values_list("pk", "slug", "rank")) == before
    assert LevelPrivilege.objects.count() == 4


@pytest.mark.parametrize("slug", EXPECTED)
def test_has_privilege_follows_the_level(cast: Cast, slug: str) -> None:
    if slug != "candidate":
        grant(cast.report, slug)
    for privilege in Privilege.values:
        assert policy.has_privilege(cast.report, privilege) == (privilege in EXPECTED[slug])


def test_everyone_without_a_grant_is_a_candidate(cast: Cast) -> None:
    ladder = Ladder.objects.get(slug=LIBRARY_LADDER)
    assert policy.current_level(cast.report, ladder).slug == "candidate"
    assert not policy.has_privilege(cast.report, PUBLISH)


def test_a_lower_grant_withdraws_the_level(cast: Cast) -> None:
    grant(cast.report, "publisher")
    assert policy.has_privilege(cast.report, PUBLISH)
    later = grant(cast.report, "contributor")
    later.granted_at = timezone.now() + dt.timedelta(minutes=1)
    later.save()
    assert not policy.has_privilege(cast.report, PUBLISH)
    ladder = Ladder.objects.get(slug=LIBRARY_LADDER)
    assert policy.current_level(cast.report, ladder).slug == "contributor"
    assert Grant.objects.filter(person=cast.report).count() == 2  # history kept


def test_has_privilege_is_one_query(cast: Cast) -> None:
    grant(cast.report, "coach")
    assert count_queries(lambda: policy.has_privilege(cast.report, REVIEW)) == 1


def test_people_with_privilege_lists_current_holders_of_the_organisation(cast: Cast) -> None:
    grant(cast.coach, "coach")
    grant(cast.peer, "publisher")
    grant(cast.report, "publisher")
    withdrawn = grant(cast.report, "contributor")
    withdrawn.granted_at = timezone.now() + dt.timedelta(minutes=1)
    withdrawn.save()
    grant(cast.outsider, "coach")  # another organisation
    assert set(policy.people_with_privilege(cast.org.pk, PUBLISH)) == {cast.coach, cast.peer}
    assert list(policy.people_with_privilege(cast.org.pk, REVIEW)) == [cast.coach]


def test_an_organisation_ladder_grants_privileges_only_in_that_organisation(cast: Cast) -> None:
    ladder = Ladder.objects.create(organisation=cast.org, slug="on-call", name="On-call")
    Level.objects.create(ladder=ladder, slug="shadow", name="Shadow", rank=0, criteria="x")
    top = Level.objects.create(ladder=ladder, slug="lead", name="Lead", rank=1, criteria="x")
    LevelPrivilege.objects.create(level=top, privilege=REVIEW)
    grant(cast.report, "lead", ladder_slug="on-call")
    assert policy.has_privilege(cast.report, REVIEW)
    assert not policy.has_privilege(cast.peer, REVIEW)
    outsider_ladder_holder = make_person(cast.outsider.organisation)
    assert not policy.has_privilege(outsider_ladder_holder, REVIEW)
