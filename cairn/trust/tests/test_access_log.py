"""The person's page of who has seen their things: their own records alone, newest
first, 50 to a page, filtered by kind; read only; and nothing of it for anyone
else, whatever their role, the Django superuser included."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cairn.people.models import Person, User
from cairn.testing import Cast, client_for, html
from cairn.testing.accessibility import problems
from cairn.trust.models import AccessRecord, Kind
from cairn.trust.tests.factories import make_record

URL = "/trust/"
ROLES = ["director", "manager", "report", "peer", "coach", "admin", "program_admin", "hr"]


def via_of(role: str) -> str:
    """A distinctive page for each person's record, to find it (or not) on a page."""
    return f"/planted/read-of-{role}/"


@pytest.fixture
def planted(cast: Cast) -> Cast:
    """One record per person of the cast, the outsider's in another organisation, each
    read by someone else and through a page named after its owner."""
    people = cast.everyone()
    for role, person in people.items():
        reader: Person | None = cast.director if person != cast.director else cast.manager
        if role == "outsider":
            reader = None
        make_record(person, reader, Kind.MISSION_STATEMENT, via=via_of(role))
    return cast


def test_the_route_is_the_trust_log() -> None:
    assert reverse("trust:log") == URL


@pytest.mark.parametrize("role", [*ROLES, "outsider"])
def test_each_person_sees_their_own_records_and_nobody_elses(planted: Cast, role: str) -> None:
    response = client_for(planted.everyone()[role]).get(URL)
    assert response.status_code == 200
    page = html(response)
    assert via_of(role) in page
    for other in planted.everyone():
        if other != role:
            assert via_of(other) not in page, other


def test_a_row_says_who_what_when_and_through_which_page(cast: Cast) -> None:
    at = dt.datetime(2026, 2, 3, 14, 5, tzinfo=dt.UTC)
    make_record(cast.report, cast.coach, Kind.OBJECTIVE, via="/growth/objectives/abc/", at=at)
    page = html(client_for(cast.report).get(URL))
    assert cast.coach.name in page
    assert "Objective" in page
    assert "3 Feb 2026" in page
    assert "/growth/objectives/abc/" in page


def test_newest_first_fifty_to_a_page(cast: Cast) -> None:
    start = timezone.now() - dt.timedelta(days=1)
    for n in range(51):
        make_record(
            cast.report, cast.coach, via=f"/read/{n:02d}/", at=start + dt.timedelta(minutes=n)
        )
    client = client_for(cast.report)
    first = html(client.get(URL))
    assert first.index("/read/50/") < first.index("/read/49/")
    assert "/read/00/" not in first
    assert "Page 1 of 2" in first
    second = html(client.get(URL, {"page": "2"}))
    assert "/read/00/" in second
    assert "/read/50/" not in second


def test_the_filter_shows_one_kind_and_keeps_it_across_pages(cast: Cast) -> None:
    make_record(cast.report, cast.coach, Kind.OBJECTIVE, via="/an/objective/")
    for n in range(51):
        make_record(cast.report, cast.program_admin, Kind.ENROLMENT, via=f"/enrolment/{n}/")
    client = client_for(cast.report)
    page = html(client.get(URL, {"kind": "objective"}))
    assert "/an/objective/" in page
    assert "/enrolment/" not in page
    page = html(client.get(URL, {"kind": "enrolment"}))
    assert "/an/objective/" not in page
    assert "?kind=enrolment&amp;page=2" in page


def test_an_empty_log_explains_what_gets_recorded(cast: Cast) -> None:
    page = html(client_for(cast.peer).get(URL))
    assert "Nobody else has read your things yet" in page
    assert "Your own reads are not recorded" in page
    assert "<table" not in page


def test_an_empty_kind_says_so(cast: Cast) -> None:
    make_record(cast.report, cast.coach, Kind.OBJECTIVE)
    page = html(client_for(cast.report).get(URL, {"kind": "export"}))
    assert "Nobody else has read your export of your data" in page


def test_a_kind_that_does_not_exist_answers_422_with_every_kind(cast: Cast) -> None:
    make_record(cast.report, cast.coach, Kind.OBJECTIVE, via="/an/objective/")
    response = client_for(cast.report).get(URL, {"kind": "<script>junk"})
    assert response.status_code == 422
    page = html(response)
    assert "There is no such kind of thing" in page
    assert "/an/objective/" in page
    assert "<script>junk" not in page


@pytest.mark.parametrize("number", ["junk", "0", "-1", "999", "1e9", ""])
def test_a_page_number_that_is_not_one_gives_a_page(cast: Cast, number: str) -> None:
    make_record(cast.report, cast.coach, via="/the/only/read/")
    response = client_for(cast.report).get(URL, {"page": number})
    assert response.status_code == 200
    assert "/the/only/read/" in html(response)


def test_there_is_no_way_to_write_through_the_page(cast: Cast) -> None:
    record = make_record(cast.report, cast.coach, via="/kept/")
    client = client_for(cast.report)
    for data in ({}, {"delete": str(record.code)}, {"kind": "objective"}):
        assert client.post(URL, data).status_code == 405
    assert client.delete(URL).status_code == 405
    assert AccessRecord.objects.filter(pk=record.pk, via="/kept/").exists()


def _superuser_client() -> Client:
    user = User.objects.create_superuser("root", "root@example.org", "a-test-password-42")
    client = Client()
    client.force_login(user)
    return client


def test_a_superuser_has_no_log_and_no_admin_page_for_records(planted: Cast) -> None:
    client = _superuser_client()
    response = client.get(URL)
    assert response.status_code == 403  # an account without a person: no data at all
    for role in planted.everyone():
        assert via_of(role) not in html(response)
    record = AccessRecord.objects.first()
    assert record is not None
    for url in (
        "/admin/trust/",
        "/admin/trust/accessrecord/",
        "/admin/trust/accessrecord/add/",
        f"/admin/trust/accessrecord/{record.pk}/change/",
        f"/admin/trust/accessrecord/{record.pk}/delete/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert via_of("report") not in html(response)


def test_a_superuser_who_is_a_person_sees_only_their_own(planted: Cast) -> None:
    User.objects.filter(pk=planted.admin.user_id).update(is_superuser=True, is_staff=True)
    page = html(client_for(planted.admin).get(URL))
    assert via_of("admin") in page
    assert via_of("report") not in page


def test_anonymous_visitors_are_sent_to_log_in(planted: Cast) -> None:
    response = Client().get(URL)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_everyone_finds_the_page_from_the_navigation(cast: Cast) -> None:
    for person in cast.everyone().values():
        page = html(client_for(person).get(reverse("home")))
        assert f'href="{URL}"' in page


def test_the_page_is_labelled_empty_filled_and_in_error(planted: Cast) -> None:
    client = client_for(planted.report)
    for params, status in (({}, 200), ({"kind": "objective"}, 200), ({"kind": "junk"}, 422)):
        response = client.get(URL, params)
        assert response.status_code == status
        assert problems(html(response)) == [], params
    assert problems(html(client_for(planted.peer).get(URL, {"kind": "story"}))) == []
