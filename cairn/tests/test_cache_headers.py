"""Signed-in pages, and the sign-in steps, answer ``Cache-Control: private, no-store``:
no shared proxy keeps them and the back button does not show them after signing out.
Pages that say how they may be cached themselves (the calendar feed) keep their say."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from cairn.coaching import calendar
from cairn.coaching.tests.factories import make_session, one_on_one
from cairn.lib.cache_control import PrivateCacheMiddleware
from cairn.testing import PASSWORD, Cast, client_for


def directives(response: object) -> set[str]:
    header = response.get("Cache-Control", "")  # type: ignore[attr-defined]
    return {part.strip() for part in header.split(",") if part.strip()}


def test_signed_in_pages_are_private_and_not_stored(cast: Cast) -> None:
    session = make_session(one_on_one(cast.manager, cast.report))
    client = client_for(cast.manager)
    for url in (
        reverse("home"),
        reverse("people:directory"),
        reverse("coaching:session", args=[session.code]),
        reverse("account-security"),
        reverse("people:person", args=[cast.report.code]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert {"private", "no-store"} <= directives(response), url
    # A 404 of a signed-in person is no less private.
    missing = client.get("/people/00000000-0000-0000-0000-000000000000/")
    assert missing.status_code == 404
    assert {"private", "no-store"} <= directives(missing)


def test_the_sign_in_steps_are_not_stored(cast: Cast) -> None:
    client = Client()
    assert {"private", "no-store"} <= directives(client.get(reverse("login")))
    wrong = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert {"private", "no-store"} <= directives(wrong)
    assert {"private", "no-store"} <= directives(client.get(reverse("login-code")))
    assert {"private", "no-store"} <= directives(client.get(reverse("login-two-factor")))


def test_an_anonymous_public_page_is_left_alone(db: None) -> None:
    response = Client().get(reverse("password_reset"))
    assert response.status_code == 200
    assert "no-store" not in directives(response)


def test_the_calendar_feed_keeps_its_own_caching(cast: Cast) -> None:
    make_session(one_on_one(cast.manager, cast.report))
    feed = calendar.reset_feed(cast.report)
    response = Client().get(urlsplit(calendar.feed_url(feed)).path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Cache-Control"] == "private, no-store"


def test_a_view_that_says_how_to_cache_is_not_overruled(cast: Cast) -> None:
    def view(request: HttpRequest) -> HttpResponse:
        response = HttpResponse("a public thing")
        response["Cache-Control"] = "public, max-age=3600"
        return response

    request = RequestFactory().get("/anything/")
    request.user = cast.report.user
    response = PrivateCacheMiddleware(view)(request)
    assert response["Cache-Control"] == "public, max-age=3600"
    plain = PrivateCacheMiddleware(lambda r: HttpResponse("mine"))(request)
    assert directives(plain) == {"private", "no-store"}


def test_signing_out_answers_no_store_too(cast: Cast) -> None:
    client = Client()
    client.post(reverse("login"), {"username": cast.report.user.username, "password": PASSWORD})
    response = client.get(reverse("home"))
    assert {"private", "no-store"} <= directives(response)
