"""Reads of a person's growth by the people they share it with go in the person's
access log — one row per read, with who, what kind, when and the page, and none of
the content; the owner's own reads, and refused reads, write nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cairn.growth import services
from cairn.growth.tests.factories import SECRETS, Growth
from cairn.testing import client_for
from cairn.trust.models import AccessRecord, Kind


def rows() -> list[tuple[object, ...]]:
    return list(
        AccessRecord.objects.order_by("kind").values_list(
            "owner_id", "reader_id", "reader_name", "kind", "via", "organisation_id"
        )
    )


def assert_no_content() -> None:
    for record in AccessRecord.objects.all():
        fields = " ".join(str(getattr(record, f.name)) for f in AccessRecord._meta.concrete_fields)
        for secret in SECRETS:
            assert secret not in fields, secret


def test_a_sharee_reading_the_shared_plan_writes_mission_and_plan(growth: Growth) -> None:
    coach, owner = growth.cast.coach, growth.owner
    url = reverse("growth:shared-plan", args=[owner.code])
    assert client_for(coach).get(url).status_code == 200
    assert rows() == [
        (owner.pk, coach.pk, coach.name, Kind.DEVELOPMENT_PLAN, url, owner.organisation_id),
        (owner.pk, coach.pk, coach.name, Kind.MISSION_STATEMENT, url, owner.organisation_id),
    ]
    assert_no_content()


def test_a_shared_page_without_mission_or_plan_records_nothing(growth: Growth) -> None:
    # The peer shares with the coach, but has written nothing: an empty page is no read.
    services.share(growth.cast.peer, growth.cast.coach)
    url = reverse("growth:shared-plan", args=[growth.cast.peer.code])
    assert client_for(growth.cast.coach).get(url).status_code == 200
    assert rows() == []


def test_a_sharee_reading_an_objective_writes_one_objective_row(growth: Growth) -> None:
    coach, owner = growth.cast.coach, growth.owner
    url = reverse("growth:objective", args=[growth.objective.code])
    assert client_for(coach).get(url).status_code == 200
    assert rows() == [(owner.pk, coach.pk, coach.name, Kind.OBJECTIVE, url, owner.organisation_id)]
    assert_no_content()


def test_the_other_party_of_a_session_sees_a_shared_objective_and_it_is_recorded(
    growth: Growth,
) -> None:
    coach, owner = growth.cast.coach, growth.owner
    url = reverse("coaching:session", args=[growth.coaching_session.code])
    response = client_for(coach).get(url)
    assert response.status_code == 200
    assert growth.objective.what in response.content.decode()
    # The Dreams section shows the shared mission statement and plan too.
    assert rows() == [
        (owner.pk, coach.pk, coach.name, Kind.DEVELOPMENT_PLAN, url, owner.organisation_id),
        (owner.pk, coach.pk, coach.name, Kind.MISSION_STATEMENT, url, owner.organisation_id),
        (owner.pk, coach.pk, coach.name, Kind.OBJECTIVE, url, owner.organisation_id),
    ]
    assert_no_content()


def test_the_owner_reading_their_own_growth_records_nothing(growth: Growth) -> None:
    client = client_for(growth.owner)
    for url in (
        reverse("growth:home"),
        reverse("growth:mission"),
        reverse("growth:mission-history"),
        reverse("growth:plan"),
        reverse("growth:objective", args=[growth.objective.code]),
        reverse("growth:objective-edit", args=[growth.objective.code]),
        reverse("growth:shared-plan", args=[growth.owner.code]),  # redirects home
        reverse("coaching:session", args=[growth.coaching_session.code]),
    ):
        assert client.get(url).status_code in (200, 302), url
    assert rows() == []


@pytest.mark.parametrize(
    "role", ["director", "manager", "peer", "admin", "program_admin", "hr", "outsider"]
)
def test_a_refused_read_records_nothing(growth: Growth, role: str) -> None:
    client = client_for(growth.cast.everyone()[role])
    for url in (
        reverse("growth:shared-plan", args=[growth.owner.code]),
        reverse("growth:objective", args=[growth.objective.code]),
    ):
        assert client.get(url).status_code == 404, url
    assert rows() == []
