"""Who may grant a level: org admins to bootstrap, coaches below their own level."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cairn.coaching.models import EngagementKind
from cairn.coaching.tests.factories import make_engagement
from cairn.mastery import policy, services
from cairn.mastery.models import Grant, Ladder, Level
from cairn.mastery.tests.factories import grant
from cairn.testing import Cast, make_person


def level(slug: str) -> Level:
    return Level.objects.get(ladder__slug="library", ladder__organisation=None, slug=slug)


def library() -> Ladder:
    return Ladder.objects.get(slug="library", organisation=None)


def test_org_admin_bootstraps_the_first_coach(cast: Cast) -> None:
    made = services.grant_level(cast.admin, cast.coach, level("coach"), evidence="Ran reviews")
    assert made.granted_by == cast.admin
    assert policy.current_level(cast.coach, library()).slug == "coach"


def test_coach_grants_levels_below_their_own(cast: Cast) -> None:
    grant(cast.coach, "coach")
    make_engagement(cast.coach, cast.report)
    services.grant_level(cast.coach, cast.report, level("publisher"), evidence="Five stories")
    assert policy.current_level(cast.report, library()).slug == "publisher"


def test_coach_cannot_make_another_coach(cast: Cast) -> None:
    grant(cast.coach, "coach")
    make_engagement(cast.coach, cast.report)
    with pytest.raises(PermissionDenied):
        services.grant_level(cast.coach, cast.report, level("coach"), evidence="Ready")
    assert not Grant.objects.filter(person=cast.report).exists()


def test_coach_cannot_withdraw_another_coachs_level(cast: Cast) -> None:
    grant(cast.coach, "coach")
    grant(cast.peer, "coach")
    make_engagement(cast.coach, cast.peer, EngagementKind.MENTORING)
    with pytest.raises(PermissionDenied):
        services.grant_level(cast.coach, cast.peer, level("contributor"), evidence="Hm")
    assert policy.current_level(cast.peer, library()).slug == "coach"


def test_coach_withdraws_a_level_with_a_lower_grant(cast: Cast) -> None:
    grant(cast.coach, "coach")
    make_engagement(cast.coach, cast.report)
    grant(cast.report, "publisher")
    services.grant_level(cast.coach, cast.report, level("contributor"), evidence="Leaked names")
    assert policy.current_level(cast.report, library()).slug == "contributor"


def test_publisher_cannot_grant(cast: Cast) -> None:
    grant(cast.peer, "publisher")
    with pytest.raises(PermissionDenied):
        services.grant_level(cast.peer, cast.report, level("contributor"), evidence="Good")


def test_nobody_promotes_themselves(cast: Cast) -> None:
    grant(cast.coach, "contributor")
    for actor in (cast.coach, cast.admin):
        with pytest.raises(PermissionDenied):
            services.grant_level(actor, actor, level("coach"), evidence="I am great")
    assert policy.current_level(cast.admin, library()).slug == "candidate"


def test_outsider_org_admin_cannot_grant_across_organisations(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services.grant_level(cast.outsider, cast.report, level("publisher"), evidence="x")
    assert not Grant.objects.filter(person=cast.report).exists()


@pytest.mark.parametrize("evidence", ["", "   ", "x" * 4001])
def test_evidence_is_required_and_bounded(cast: Cast, evidence: str) -> None:
    with pytest.raises(ValidationError):
        services.grant_level(cast.admin, cast.report, level("publisher"), evidence=evidence)
    assert not Grant.objects.filter(person=cast.report).exists()


def test_granting_the_current_level_again_is_refused(cast: Cast) -> None:
    grant(cast.report, "publisher")
    with pytest.raises(ValidationError, match="already at Publisher"):
        services.grant_level(cast.admin, cast.report, level("publisher"), evidence="Again")


def test_coach_cannot_grant_to_someone_they_do_not_work_with(cast: Cast) -> None:
    grant(cast.coach, "coach")
    with pytest.raises(PermissionDenied):
        services.grant_level(cast.coach, cast.report, level("publisher"), evidence="Heard good")
    assert not Grant.objects.filter(person=cast.report).exists()


@pytest.mark.parametrize("their_level", ["candidate", "publisher", "coach"])
def test_a_refused_grant_tells_nothing_of_a_stranger_s_level(cast: Cast, their_level: str) -> None:
    """Whatever level someone the coach does not work with holds, the refusal is the
    same: no "already at …", no "at or above your own"."""
    grant(cast.coach, "coach")
    stranger = make_person(cast.org, "Sam Stranger")
    if their_level != "candidate":
        grant(stranger, their_level)
    with pytest.raises(PermissionDenied) as refused:
        services.grant_level(cast.coach, stranger, level("contributor"), evidence="Guess")
    assert str(refused.value) == ""


def test_grant_form_offers_only_the_people_a_coach_works_with(cast: Cast) -> None:
    grant(cast.coach, "coach")
    make_engagement(cast.coach, cast.report)
    make_engagement(cast.coach, cast.peer, EngagementKind.MENTORING)
    assert set(policy.grantees(cast.coach)) == {cast.report, cast.peer}
    assert cast.outsider not in policy.grantees(cast.admin)
    assert set(policy.grantees(cast.admin)) == set(cast.everyone().values()) - {
        cast.admin,
        cast.outsider,
    }
