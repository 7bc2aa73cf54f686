"""Dreams in the room: the session's Dreams section shows the receiver's current
mission statement and dreams, read-only, to the receiver and to a giver they share
them with; to anyone else it says the person keeps them private (issue 12, point 2).

The world (``factories.build_growth``): the report's growth, shared with the coach
(their coaching session) and not with the manager (their one-on-one).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from cairn.coaching.models import EngagementKind, Session, SessionTemplate
from cairn.coaching.tests.factories import make_engagement, make_session
from cairn.growth import services
from cairn.growth.tests.factories import BECOME, DREAMS, MISSION, MISSION_OLD, SECRETS, Growth
from cairn.people.models import Person, User
from cairn.testing import ROLES, client_for, html, make_person
from cairn.trust.models import AccessRecord, Kind

PRIVATE = "keeps the mission statement and plan private"


def session_page(viewer: Person, session: Session) -> tuple[int, str]:
    response = client_for(viewer).get(reverse("coaching:session", args=[session.code]))
    return response.status_code, html(response)


def test_a_giver_the_receiver_shares_with_sees_mission_and_dreams(growth: Growth) -> None:
    status, page = session_page(growth.cast.coach, growth.coaching_session)
    assert status == 200
    assert MISSION in page
    assert DREAMS in page
    assert BECOME in page
    assert MISSION_OLD not in page  # earlier versions are the owner's alone
    assert reverse("growth:shared-plan", args=[growth.owner.code]) in page
    assert PRIVATE not in page
    kinds = set(
        AccessRecord.objects.filter(owner=growth.owner, reader=growth.cast.coach).values_list(
            "kind", flat=True
        )
    )
    assert {Kind.MISSION_STATEMENT, Kind.DEVELOPMENT_PLAN} <= kinds


def test_a_giver_without_a_share_reads_that_it_is_private(growth: Growth) -> None:
    status, page = session_page(growth.cast.manager, growth.one_on_one_session)
    assert status == 200
    assert f"{growth.owner.name} {PRIVATE}" in page
    assert f"If {growth.owner.first_name} shares them with you, they show here." in page
    for secret in SECRETS:
        assert secret not in page, secret
    assert not AccessRecord.objects.filter(reader=growth.cast.manager).exists()


def test_taking_the_share_back_hides_them_at_once(growth: Growth) -> None:
    services.unshare(growth.owner, growth.share)
    status, page = session_page(growth.cast.coach, growth.coaching_session)
    assert status == 200
    assert PRIVATE in page
    for secret in SECRETS:
        assert secret not in page, secret


@pytest.mark.parametrize("session_name", ["coaching_session", "one_on_one_session"])
def test_the_receiver_sees_their_own_and_nothing_is_recorded(
    growth: Growth, session_name: str
) -> None:
    status, page = session_page(growth.owner, getattr(growth, session_name))
    assert status == 200
    assert MISSION in page
    assert DREAMS in page
    assert reverse("growth:plan") in page
    assert not AccessRecord.objects.exists()


def test_the_receiver_learns_whether_the_giver_reads_them(growth: Growth) -> None:
    _, shared = session_page(growth.owner, growth.coaching_session)
    assert f"{growth.cast.coach.first_name} reads them too." in shared
    _, private = session_page(growth.owner, growth.one_on_one_session)
    assert f"Share your plan with {growth.cast.manager.first_name}" in private


def test_a_receiver_with_nothing_written_is_invited_to_write(growth: Growth) -> None:
    session = make_session(make_engagement(growth.cast.coach, growth.cast.peer))
    _, page = session_page(growth.cast.peer, session)
    assert "Write your mission statement" in page
    assert reverse("growth:mission") in page


def test_a_sharee_giver_of_someone_with_nothing_written_is_told_so(growth: Growth) -> None:
    peer = growth.cast.peer
    services.share(peer, growth.cast.coach)
    session = make_session(make_engagement(growth.cast.coach, peer))
    _, page = session_page(growth.cast.coach, session)
    assert f"{peer.name} shares the plan with you but has not written" in page
    assert not AccessRecord.objects.filter(owner=peer).exists()


def test_dreams_show_in_the_dreams_section_only(growth: Growth) -> None:
    _, page = session_page(growth.cast.coach, growth.coaching_session)
    assert page.count(MISSION) == 1
    dreams_at = page.index("<h3>Dreams</h3>")
    assert page.index("<h3>About you</h3>") < dreams_at < page.index(MISSION)
    assert page.index(MISSION) < page.index("<h3>Who does what by when</h3>")


def test_a_template_without_a_dreams_section_shows_none(growth: Growth) -> None:
    session = growth.coaching_session
    Session.objects.filter(pk=session.pk).update(template=SessionTemplate.objects.get(slug="grow"))
    _, page = session_page(growth.cast.coach, session)
    assert MISSION not in page
    assert PRIVATE not in page


def test_a_counseling_giver_without_a_share_sees_nothing_of_them(growth: Growth) -> None:
    session = make_session(
        make_engagement(growth.cast.director, growth.owner, EngagementKind.COUNSELING)
    )
    status, page = session_page(growth.cast.director, session)
    assert status == 200
    assert PRIVATE in page
    for secret in SECRETS:
        assert secret not in page, secret


# --- the whole cast --------------------------------------------------------------


def superuser(growth: Growth) -> Person:
    person = make_person(growth.cast.org, "Sam Superuser", is_org_admin=True)
    User.objects.filter(pk=person.user_id).update(is_superuser=True, is_staff=True)
    return person


@pytest.mark.parametrize("role", [*ROLES, "superuser"])
def test_canaries_nobody_else_reads_dreams_on_a_session_page(growth: Growth, role: str) -> None:
    viewer = superuser(growth) if role == "superuser" else growth.cast.everyone()[role]
    allowed = {
        "coaching_session": {"coach", "report"},
        "one_on_one_session": {"report"},
    }
    parties = {"coaching_session": {"coach", "report"}, "one_on_one_session": {"manager", "report"}}
    for name, readers in allowed.items():
        status, page = session_page(viewer, getattr(growth, name))
        assert status == (200 if role in parties[name] else 404), (name, role)
        for secret in (MISSION, DREAMS, BECOME):
            assert (secret in page) == (role in readers), (name, role, secret)
        assert MISSION_OLD not in page
    if role not in {"coach", "report"}:
        assert not AccessRecord.objects.filter(reader=viewer).exists()
