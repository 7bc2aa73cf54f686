"""Every page is labelled for screen readers: each control has a label or an
accessible name, each page one <h1>, a <main> landmark and a viewport for phones."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cairn.coaching.tests.factories import make_agenda_item, make_session, one_on_one
from cairn.testing import Cast, client_for
from cairn.testing.accessibility import problems


@pytest.fixture
def pages(cast: Cast) -> list[tuple[Client, str]]:
    session = make_session(one_on_one(cast.manager, cast.report))
    make_agenda_item(session, cast.manager, "Sprint status: OPS-1 is 80% done")
    manager, admin = client_for(cast.manager), client_for(cast.admin)
    return [
        (Client(), reverse("login")),
        (manager, reverse("home")),
        (manager, reverse("coaching:engagement", args=[session.engagement.code])),
        (manager, reverse("coaching:session", args=[session.code])),
        (manager, reverse("coaching:engagement-new")),
        (manager, reverse("people:directory")),
        (manager, reverse("people:person", args=[cast.report.code])),
        (admin, reverse("people:manage")),
        (admin, reverse("people:person-new")),
        (admin, reverse("people:person-edit", args=[cast.report.code])),
    ]


def test_every_page_is_labelled_for_screen_readers(pages: list[tuple[Client, str]]) -> None:
    for client, url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert problems(response.content.decode()) == [], url


def test_the_checker_finds_an_unlabelled_control() -> None:
    # The control for the test above: it does see what it looks for.
    html = '<main><h1>x</h1><input name="q" id="q"><button></button></main>'
    assert problems(html) == [
        "unlabelled control q",
        "button without a name {}",
        "no viewport for phones",
    ]
