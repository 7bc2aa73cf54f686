"""Who sees what on the framework pages, over the whole cast, a Django superuser
and another organisation, with planted evidence.

- The grid, a cell and the assess page describe expectations, not people: open to
  the framework's organisation, 404 to anyone else (``Framework.visible_to``). The
  assess form offers the viewer themselves and the people they coach, nobody else.
- A person's page per framework and a competency's history are
  ``Assessment.visible_to``: the person reads all; the coach reads what they wrote;
  a sharee reads all, each read recorded for the person; managers, org admins, HR,
  a superuser and another organisation get 404 and no trace."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from cairn.coaching.tests.factories import make_engagement
from cairn.mastery import services
from cairn.mastery.models import Assessment
from cairn.mastery.tests.grid_factories import Built, build_framework
from cairn.testing import ROLES, Cast, client_for, html, htmx
from cairn.trust.models import AccessRecord, Kind

pytestmark = pytest.mark.django_db

COACH_EVIDENCE = "coach evidence: paired on the incident review in March"
SELF_EVIDENCE = "self evidence: I still freeze when a plan changes late"


@pytest.fixture
def built(cast: Cast) -> Built:
    built = build_framework(cast.org, scale=True)
    make_engagement(cast.coach, cast.report)
    competency = built.competencies[0]
    services.record_assessment(
        cast.coach, cast.report, competency, built.ic_levels[1], evidence=COACH_EVIDENCE
    )
    services.record_assessment(
        cast.report, cast.report, competency, built.ic_levels[0], evidence=SELF_EVIDENCE
    )
    return built


def framework_urls(built: Built) -> list[str]:
    code = built.framework.code
    return [
        reverse("mastery:framework", args=[code]),
        reverse("mastery:framework", args=[code]) + "?track=manager&retired=1",
        reverse("mastery:framework-cell", args=[code, "competency-0", "ic1"]) + "?track=ic",
        reverse("mastery:framework-assess", args=[code, "competency-0"]),
    ]


def person_urls(built: Built, cast: Cast) -> list[str]:
    args = [cast.report.code, built.framework.code]
    return [
        reverse("mastery:person-framework", args=args),
        reverse("mastery:person-framework", args=args) + "?track=manager",
        reverse("mastery:person-competency", args=[*args, "competency-0"]),
    ]


def superuser_client() -> Client:
    user = get_user_model().objects.create_superuser("root", "root@example.org", "a-pass-42")
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", ROLES)
def test_the_framework_pages_are_their_organisations_and_carry_no_assessment(
    built: Built, cast: Cast, role: str
) -> None:
    person = cast.everyone()[role]
    for client in (client_for(person), htmx(client_for(person))):
        for url in framework_urls(built):
            response = client.get(url)
            page = html(response)
            assert response.status_code == (404 if role == "outsider" else 200), (role, url)
            assert COACH_EVIDENCE not in page
            assert SELF_EVIDENCE not in page
            if role == "outsider":
                assert "Grid competency" not in page


def test_a_superuser_who_is_nobody_here_gets_no_framework_page(built: Built, cast: Cast) -> None:
    client = superuser_client()
    for url in framework_urls(built) + person_urls(built, cast):
        response = client.get(url)
        assert response.status_code in (403, 404), url  # signed in, but no person
        page = html(response)
        assert "Grid competency" not in page
        assert COACH_EVIDENCE not in page


@pytest.mark.parametrize("role", ROLES)
def test_the_assess_form_offers_only_oneself_and_ones_coachees(
    built: Built, cast: Cast, role: str
) -> None:
    person = cast.everyone()[role]
    url = reverse("mastery:framework-assess", args=[built.framework.code, "competency-0"])
    response = client_for(person).get(url)
    if role == "outsider":
        assert response.status_code == 404
        return
    page = html(response)
    assert f'value="{person.code}"' in page
    offered_report = f'value="{cast.report.code}"' in page
    assert offered_report == (role in ("report", "coach")), role
    # Assessing someone one does not coach: refused, nothing saved.
    if role not in ("report", "coach"):
        before = Assessment.objects.count()
        response = client_for(person).post(
            url,
            {
                "track": "ic",
                "person": str(cast.report.code),
                "level": str(built.ic_levels[2].code),
                "evidence": "planted by someone else",
            },
        )
        assert response.status_code == 422
        assert Assessment.objects.count() == before


def test_the_person_reads_everything_on_their_framework_page(built: Built, cast: Cast) -> None:
    for url in person_urls(built, cast)[::2]:
        page = html(client_for(cast.report).get(url))
        assert COACH_EVIDENCE in page, url
        assert SELF_EVIDENCE in page, url
    assert not AccessRecord.objects.exists()  # their own: nothing recorded


def test_the_coach_reads_what_they_wrote_and_nothing_else(built: Built, cast: Cast) -> None:
    for url in person_urls(built, cast)[::2]:
        response = client_for(cast.coach).get(url)
        assert response.status_code == 200
        assert COACH_EVIDENCE in html(response)
        assert SELF_EVIDENCE not in html(response)
    assert "Only the assessments you wrote." in html(
        client_for(cast.coach).get(person_urls(built, cast)[0])
    )
    assert not AccessRecord.objects.exists()  # their own words: nothing recorded


@pytest.mark.parametrize("role", ["director", "manager", "peer", "admin", "program_admin", "hr"])
def test_a_sharee_reads_all_and_the_person_sees_it(built: Built, cast: Cast, role: str) -> None:
    reader = cast.everyone()[role]
    for url in person_urls(built, cast):
        assert client_for(reader).get(url).status_code == 404, url
    services.share_assessments(cast.report, reader)
    for url in person_urls(built, cast)[::2]:
        page = html(client_for(reader).get(url))
        assert COACH_EVIDENCE in page, url
        assert SELF_EVIDENCE in page, url
    records = AccessRecord.objects.filter(owner=cast.report, reader=reader)
    assert set(records.values_list("kind", flat=True)) == {Kind.ASSESSMENTS}


@pytest.mark.parametrize("role", ["director", "manager", "peer", "admin", "program_admin", "hr"])
def test_anyone_else_gets_404_and_no_trace(built: Built, cast: Cast, role: str) -> None:
    person = cast.everyone()[role]
    for client in (client_for(person), htmx(client_for(person))):
        for url in person_urls(built, cast):
            response = client.get(url)
            assert response.status_code == 404, (role, url)
            page = html(response)
            assert COACH_EVIDENCE not in page
            assert SELF_EVIDENCE not in page
            assert "Engineer 2" not in page
            assert cast.coach.name not in page


def test_another_organisation_and_a_superuser_of_this_one_get_404(built: Built, cast: Cast) -> None:
    for url in person_urls(built, cast):
        assert client_for(cast.outsider).get(url).status_code == 404
    # A superuser who is also a person of the organisation sees what that person sees.
    get_user_model().objects.filter(pk=cast.admin.user_id).update(is_superuser=True, is_staff=True)
    for url in person_urls(built, cast):
        response = client_for(cast.admin).get(url)
        assert response.status_code == 404
        assert COACH_EVIDENCE not in html(response)
