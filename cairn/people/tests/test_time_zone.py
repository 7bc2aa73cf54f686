"""A person's time zone: chosen on their own page (blank: the organisation's, then the
instance's), kept in the session at sign-in, and every page rendered in it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from cairn.people.middleware import SESSION_KEY
from cairn.people.models import Person
from cairn.testing import ROLES, Cast, client_for, count_queries, html, make_org, make_person

PAGE = reverse("people:time-zone")
# 09:30 in London (GMT in December) is 18:30 in Tokyo and 01:30 in Los Angeles.
NOW = dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.UTC)


def test_a_person_sees_the_time_in_their_own_zone(cast: Cast) -> None:
    cast.report.time_zone = "Asia/Tokyo"
    cast.report.save()
    with time_machine.travel(NOW, tick=False):
        page = html(client_for(cast.report).get(PAGE))
    assert "Asia/Tokyo" in page
    assert "18:30" in page
    assert "09:30" not in page


def test_blank_means_the_organisations_zone_and_then_the_instances(db: None) -> None:
    org = make_org("Westward")
    org.time_zone = "America/Los_Angeles"
    org.save()
    person = make_person(org, "Lee Westward")
    assert person.zone_name == "America/Los_Angeles"
    with time_machine.travel(NOW, tick=False):
        assert "01:30" in html(client_for(person).get(PAGE))
    org.time_zone = ""
    org.save()
    assert Person.objects.get(pk=person.pk).zone_name == settings.TIME_ZONE


def test_choosing_a_zone_shows_the_next_page_in_it(cast: Cast) -> None:
    client = client_for(cast.peer)
    response = client.post(PAGE, {"time_zone": "Asia/Tokyo"})
    assert response.status_code == 302
    cast.peer.refresh_from_db()
    assert cast.peer.time_zone == "Asia/Tokyo"
    assert client.session[SESSION_KEY] == "Asia/Tokyo"
    with time_machine.travel(NOW, tick=False):
        page = html(client.get(PAGE))
    assert "Dates are now shown in Asia/Tokyo" in page
    assert "18:30" in page


def test_choosing_blank_goes_back_to_the_organisations_zone(cast: Cast) -> None:
    cast.peer.time_zone = "Asia/Tokyo"
    cast.peer.save()
    client = client_for(cast.peer)
    assert client.post(PAGE, {"time_zone": ""}).status_code == 302
    cast.peer.refresh_from_db()
    assert cast.peer.time_zone == ""
    assert client.session[SESSION_KEY] == settings.TIME_ZONE


@pytest.mark.parametrize("junk", ["Mars/Olympus_Mons", "Europe/London; DROP", "x" * 500])
def test_an_unknown_zone_is_refused_with_a_message_and_nothing_saved(cast: Cast, junk: str) -> None:
    client = client_for(cast.peer)
    response = client.post(PAGE, {"time_zone": junk})
    assert response.status_code == 422
    assert "not a time zone we know" in html(response)
    cast.peer.refresh_from_db()
    assert cast.peer.time_zone == ""
    assert client.session[SESSION_KEY] == settings.TIME_ZONE


def test_each_person_changes_only_their_own_zone(cast: Cast) -> None:
    # The page has no code in it: whoever posts sets their own, so no one else's
    # setting can be reached or read. Everyone in the cast, the other organisation
    # included: only the report sees the report's (distinctive) zone.
    cast.report.time_zone = "Pacific/Chatham"
    cast.report.save()
    for role in ROLES:
        person = getattr(cast, role)
        response = client_for(person).get(PAGE)
        assert response.status_code == 200
        assert ("Pacific/Chatham" in html(response).split("<select")[0]) == (role == "report")
    client_for(cast.outsider).post(PAGE, {"time_zone": "Asia/Tokyo"})
    assert set(Person.objects.filter(time_zone="Asia/Tokyo").values_list("name", flat=True)) == {
        cast.outsider.name
    }


def test_a_superuser_without_a_person_gets_no_page_and_the_instances_zone(db: None) -> None:
    from cairn.people.models import User

    superuser = User.objects.create_superuser("root", "root@example.org", "pw-long-enough-1")
    client = Client()
    client.force_login(superuser)
    assert client.get(PAGE).status_code == 403
    assert client.session[SESSION_KEY] == settings.TIME_ZONE


def test_signed_out_visitors_are_sent_to_log_in(db: None) -> None:
    response = Client().get(PAGE)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_session_from_before_the_zone_was_kept_looks_it_up_once(cast: Cast) -> None:
    cast.report.time_zone = "Asia/Tokyo"
    cast.report.save()
    client = client_for(cast.report)
    session = client.session
    del session[SESSION_KEY]
    session.save()
    client.get(PAGE)
    assert client.session[SESSION_KEY] == "Asia/Tokyo"


def test_the_zone_costs_no_query_once_kept(cast: Cast) -> None:
    client = client_for(cast.report)
    client.get(PAGE)
    before = count_queries(lambda: client.get(PAGE))
    cast.report.time_zone = "Asia/Tokyo"
    cast.report.save()
    client = client_for(cast.report)
    client.get(PAGE)
    assert count_queries(lambda: client.get(PAGE)) == before
