"""axe-core, in Chromium, on the pages people use most and on every page issue 10
added, at a desktop width and a phone width: no WCAG 2.1 A/AA violation."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from cairn.coaching.tests.factories import make_agenda_item, make_session, one_on_one
from cairn.people.models import Person
from cairn.testing import Cast
from cairn.testing.browser import accessibility_problems, sign_in

pytestmark = pytest.mark.browser

Pages = list[tuple[Person, str]]


def pages(cast: Cast) -> Pages:
    session = make_session(one_on_one(cast.manager, cast.report))
    make_agenda_item(session, cast.manager, "What I am working through this month")
    return [
        (cast.manager, reverse("home")),
        (cast.manager, reverse("coaching:session", args=[session.code])),
        (cast.manager, reverse("coaching:engagement", args=[session.engagement.code])),
        (cast.report, reverse("people:person", args=[cast.report.code])),
        (cast.admin, reverse("people:manage")),
    ]


def test_pages_pass_axe_at_desktop_and_phone_widths(
    cast: Cast, open_page: Callable[..., Page]
) -> None:
    found: dict[str, dict[int, list[str]]] = {}
    for person, url in pages(cast):
        page = open_page()
        sign_in(page, person)
        problems = accessibility_problems(page, url)
        if any(problems.values()):
            found[url] = problems
    assert found == {}


def test_axe_finds_what_it_looks_for(open_page: Callable[..., Page]) -> None:
    # The control: a page with an unlabelled field and an image without text.
    page = open_page()
    page.goto("/login/")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend',"
        " '<input id=nolabel><img src=x.png>')"
    )
    from cairn.testing.browser import axe_violations

    rules = {line.split(":")[0] for line in axe_violations(page)}
    assert {"label", "image-alt"} <= rules
