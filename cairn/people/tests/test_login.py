"""Logging in and out: Django's auth, with Argon2 in production and clear messages."""

from __future__ import annotations

import re

from django.conf import settings
from django.test import Client
from django.urls import reverse

from cairn.testing import PASSWORD, Cast, count_queries


def log_in(client: Client, username: str, password: str, next_url: str = "") -> object:
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def test_passwords_are_hashed_with_argon2_outside_tests() -> None:
    # The suite swaps in a fast hasher (conftest.py); the project's own setting is
    # what production uses.
    from cairn import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert settings.PASSWORD_HASHERS != project_settings.PASSWORD_HASHERS


def test_a_person_logs_in_and_lands_on_my_week(cast: Cast) -> None:
    client = Client()
    response = log_in(client, cast.report.user.username, PASSWORD)
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert response["Location"] == reverse("home")  # type: ignore[index]
    assert "My week" in client.get(reverse("home")).content.decode()


def test_a_wrong_password_says_so_and_logs_nobody_in(cast: Cast) -> None:
    client = Client()
    response = log_in(client, cast.report.user.username, "not-the-password")
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "Please enter a correct username and password" in response.content.decode()  # type: ignore[attr-defined]
    assert client.get(reverse("home")).status_code == 302


def test_empty_fields_are_named(cast: Cast) -> None:
    response = log_in(Client(), "", "")
    assert response.content.decode().count("This field is required.") == 2  # type: ignore[attr-defined]


def test_a_deactivated_person_cannot_log_in(cast: Cast) -> None:
    cast.report.user.is_active = False
    cast.report.user.save()
    response = log_in(Client(), cast.report.user.username, PASSWORD)
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "Please enter a correct username and password" in response.content.decode()  # type: ignore[attr-defined]


def test_login_returns_to_the_page_asked_for_but_never_off_site(cast: Cast) -> None:
    people = reverse("people:directory")
    response = log_in(Client(), cast.report.user.username, PASSWORD, next_url=people)
    assert response["Location"] == people  # type: ignore[index]
    response = log_in(
        Client(), cast.report.user.username, PASSWORD, next_url="https://evil.example/"
    )
    assert response["Location"] == reverse("home")  # type: ignore[index]


def test_log_out_is_a_post_and_ends_the_session(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.report.user)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_login_page_costs_no_queries(db: None) -> None:
    client = Client()
    assert count_queries(lambda: client.get(reverse("login"))) == 0


def _reads(client: Client, url: str) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # the time zone is kept in the session from the first page on
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries.captured_queries]


def test_a_page_reads_the_viewer_and_their_roles_with_the_account_in_one_query(
    cast: Cast,
) -> None:
    client = Client()
    log_in(client, cast.hr.user.username, PASSWORD)
    reads = _reads(client, reverse("people:directory"))
    accounts = [sql for sql in reads if 'FROM "people_user"' in sql]
    assert len(accounts) == 1
    # The person, their role flags and organisation come with it ...
    assert '"people_person"."is_hr"' in accounts[0]
    assert '"people_organisation"."time_zone"' in accounts[0]
    # ... and nothing looks the viewer up again by their account.
    assert not [sql for sql in reads if re.search(r'"people_person"\."user_id" = \d', sql)]


def test_an_account_with_no_person_still_gets_the_page_that_says_so(db: None) -> None:
    from cairn.people.models import User

    User.objects.create_superuser("root", "root@example.org", PASSWORD)
    client = Client()
    log_in(client, "root", PASSWORD)
    response = client.get(reverse("home"))
    assert response.status_code == 403
