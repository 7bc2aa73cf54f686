"""The leaders' insights in Chromium: no WCAG 2.1 A/AA violation at 1280 px and
390 px, the team filter works without JavaScript, and the charts draw from the
tables with no console error under the strict CSP."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from cairn.coaching.tests.factories import make_session, one_on_one
from cairn.mentoring.tests.factories import make_program
from cairn.people.models import Person
from cairn.testing import Cast
from cairn.testing.browser import accessibility_problems, sign_in
from cairn.testing.cast import make_team

pytestmark = pytest.mark.browser


def test_leaders_pages_pass_axe_at_desktop_and_phone_widths(
    cast: Cast, open_page: Callable[..., Page]
) -> None:
    make_session(one_on_one(cast.manager, cast.report), completed=True)
    program = make_program(cast.program_admin)
    team = cast.report.team or make_team(cast.org, "Platform")
    pages: list[tuple[Person, str]] = [
        (cast.admin, reverse("insights:organisation")),
        (cast.admin, f"{reverse('insights:organisation')}?team={team.code}"),
        (cast.manager, reverse("insights:organisation")),
        (cast.admin, reverse("insights:developing-others")),
        (cast.program_admin, reverse("insights:program", args=[program.slug])),
    ]
    found: dict[str, dict[int, list[str]]] = {}
    for person, url in pages:
        page = open_page()
        sign_in(page, person)
        problems = accessibility_problems(page, url)
        if any(problems.values()):
            found[url] = problems
    assert found == {}, found


def test_the_team_filter_works_without_javascript(
    cast: Cast, open_page: Callable[..., Page]
) -> None:
    team = make_team(cast.org, "Zeta")
    cast.peer.team = team
    cast.peer.save(update_fields=["team"])
    page = open_page(java_script_enabled=False)
    sign_in(page, cast.admin)
    page.goto(reverse("insights:organisation"))
    page.get_by_label("Find a team").fill("zet")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Zeta").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Zeta")


def test_the_charts_are_drawn_from_the_tables(cast: Cast, open_page: Callable[..., Page]) -> None:
    page = open_page()
    sign_in(page, cast.admin)
    page.goto(reverse("insights:organisation"))
    expect(page.locator("canvas").first).to_be_attached()


def test_the_leaders_pages_fit_a_phone(cast: Cast, open_page: Callable[..., Page]) -> None:
    program = make_program(cast.program_admin)
    for person, url in (
        (cast.admin, reverse("insights:organisation")),
        (cast.manager, reverse("insights:developing-others")),
        (cast.program_admin, reverse("insights:program", args=[program.slug])),
    ):
        page = open_page(viewport={"width": 390, "height": 844})
        sign_in(page, person)
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url
