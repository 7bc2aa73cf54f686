"""The directory and a person's page: open within an organisation, closed outside it.
(Coaching's panel on the person page, the engagements, is tested in coaching.)"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cairn.people.models import User
from cairn.people.tests.factories import add_reports, person_url
from cairn.people.views import REPORTS_PAGE_SIZE
from cairn.testing import Cast, client_for, count_queries

DIRECTORY = reverse("people:directory")


# --- the directory -----------------------------------------------------------------


def test_colleague_sees_everyone_in_their_organisation(cast: Cast) -> None:
    listed = set(client_for(cast.report).get(DIRECTORY).context["page"].object_list)
    assert listed == {
        cast.director,
        cast.manager,
        cast.report,
        cast.peer,
        cast.coach,
        cast.admin,
        cast.program_admin,
        cast.hr,
    }


def test_directory_never_lists_people_of_another_organisation(cast: Cast) -> None:
    page = client_for(cast.report).get(DIRECTORY).content.decode()
    assert cast.outsider.name not in page
    assert list(client_for(cast.outsider).get(DIRECTORY).context["page"].object_list) == [
        cast.outsider
    ]


def test_directory_leaves_out_deactivated_people(cast: Cast) -> None:
    cast.peer.user.is_active = False
    cast.peer.user.save()
    assert cast.peer not in client_for(cast.report).get(DIRECTORY).context["page"].object_list


@pytest.mark.parametrize(
    ("query", "expected"), [("riley", "report"), ("Engineering Manager", "manager")]
)
def test_directory_searches_by_name_and_title(cast: Cast, query: str, expected: str) -> None:
    listed = client_for(cast.peer).get(DIRECTORY, {"q": query}).context["page"].object_list
    assert list(listed) == [cast.everyone()[expected]]


def test_directory_searches_by_team(cast: Cast) -> None:
    listed = client_for(cast.peer).get(DIRECTORY, {"q": "platform"}).context["page"].object_list
    assert set(listed) == {cast.manager, cast.report, cast.peer}


def test_directory_says_when_nobody_matches(cast: Cast) -> None:
    page = client_for(cast.peer).get(DIRECTORY, {"q": "zzz"}).content.decode()
    assert "Nobody matches “zzz”" in page


def test_only_admins_see_the_link_to_manage_people(cast: Cast) -> None:
    manage = reverse("people:manage")
    assert manage in client_for(cast.admin).get(DIRECTORY).content.decode()
    assert manage not in client_for(cast.manager).get(DIRECTORY).content.decode()


def test_anonymous_is_sent_to_log_in_from_directory_and_person_page(cast: Cast) -> None:
    for url in (DIRECTORY, person_url(cast.report)):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_account_without_a_person_sees_no_directory(cast: Cast) -> None:
    user = User.objects.create_user(username="root", password="x")
    client = Client()
    client.force_login(user)
    response = client.get(DIRECTORY)
    assert response.status_code == 403
    assert cast.report.name not in response.content.decode()


def test_directory_queries_do_not_grow_with_people(cast: Cast) -> None:
    client = client_for(cast.peer)
    add_reports(cast, 1)
    with_one = count_queries(lambda: client.get(DIRECTORY))
    add_reports(cast, 49)
    with_fifty = count_queries(lambda: client.get(DIRECTORY))
    assert with_one == with_fifty
    assert with_fifty <= 6


# --- a person's page ---------------------------------------------------------------


def test_person_page_shows_title_team_manager_and_reports(cast: Cast) -> None:
    page = client_for(cast.peer).get(person_url(cast.manager)).content.decode()
    assert "Engineering Manager" in page
    assert "Platform" in page
    assert person_url(cast.director) in page
    assert person_url(cast.report) in page
    assert person_url(cast.peer) in page


def test_outsider_cannot_open_the_page_of_a_person_of_another_organisation(cast: Cast) -> None:
    assert client_for(cast.outsider).get(person_url(cast.report)).status_code == 404


def test_missing_person_is_404_like_a_foreign_one(cast: Cast) -> None:
    url = reverse("people:person", args=["00000000-0000-0000-0000-000000000000"])
    assert client_for(cast.admin).get(url).status_code == 404


@pytest.mark.parametrize("viewer", ["admin", "director"])
def test_person_page_queries_do_not_grow_with_reports(cast: Cast, viewer: str) -> None:
    client = client_for(cast.everyone()[viewer])
    add_reports(cast, 1)
    with_one = count_queries(lambda: client.get(person_url(cast.manager)))
    add_reports(cast, 49)
    response = client.get(person_url(cast.manager))
    # A page of them (REPORTS_PAGE_SIZE), out of all 52.
    assert len(response.context["reports"]) == min(2 + 50, REPORTS_PAGE_SIZE)
    assert response.context["reports_page"].paginator.count == 2 + 50
    with_fifty = count_queries(lambda: client.get(person_url(cast.manager)))
    assert with_one == with_fifty
