"""The proposal's mentor picker in a browser: with JavaScript, tom-select searches the
program's mentors as you type (under the strict CSP) and the move swaps the pairs in
place; without it, the search beside the select reloads the page with the matches.
And the page, picker open, passes axe at 1280 and 390 px."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from cairn.mentoring.models import Enrolment, Match, Program, Role
from cairn.mentoring.tests.factories import make_program
from cairn.testing import make_cast, make_person
from cairn.testing.browser import Console, accessibility_problems, sign_in

pytestmark = pytest.mark.browser


def _world() -> tuple[object, Program, Match, Enrolment]:
    cast = make_cast()
    program = make_program(cast.program_admin)
    mentor = Enrolment.objects.create(
        program=program, person=make_person(cast.org, "Mona Mentor"), role=Role.MENTOR
    )
    mentee = Enrolment.objects.create(
        program=program, person=make_person(cast.org, "Milo Mentee"), role=Role.MENTEE
    )
    spare = Enrolment.objects.create(
        program=program, person=make_person(cast.org, "Mira Spare"), role=Role.MENTOR, capacity=2
    )
    make_person(cast.org, "Mira Outsider")  # in the organisation, not a mentor
    pair = Match.objects.create(program=program, mentee=mentee, mentor=mentor, score=1.0)
    return cast, program, pair, spare


def test_with_javascript_the_mentor_is_searched_among_the_programs_mentors(
    open_page: Callable[..., Page], console: Console
) -> None:
    cast, program, pair, spare = _world()
    page = open_page()
    sign_in(page, cast.program_admin)  # type: ignore[attr-defined]
    page.goto(reverse("mentoring:proposal", args=[program.slug]))
    page.get_by_role("link", name="Change mentor for Milo Mentee").click()
    assert not page.get_by_label("Someone else? Search by name").is_visible()
    with page.expect_response(lambda r: "/proposal/mentors/?q=" in r.url):
        page.get_by_role("combobox", name="New mentor").fill("mira")
    page.get_by_role("option", name="Mira Spare · 0 of 2 taken").click()
    assert page.get_by_role("option", name="Mira Outsider").count() == 0
    page.get_by_role("button", name="Move", exact=True).click()
    expect(page.locator("#proposal")).not_to_contain_text("A new mentor for")
    pair.refresh_from_db()
    assert pair.mentor_id == spare.pk
    assert pair.pinned
    assert console.csp_violations() == []
    assert console.errors() == []


def test_without_javascript_search_pick_and_move(open_page: Callable[..., Page]) -> None:
    cast, program, pair, spare = _world()
    page = open_page(java_script_enabled=False)
    sign_in(page, cast.program_admin)  # type: ignore[attr-defined]
    page.goto(reverse("mentoring:proposal", args=[program.slug]))
    page.get_by_role("link", name="Change mentor for Milo Mentee").click()
    page.get_by_label("Someone else? Search by name").fill("mira")
    with page.expect_navigation():
        page.get_by_role("button", name="Search").click()
    assert "mentor_q=mira" in page.url
    assert page.get_by_text("1 found for “mira”").is_visible()
    page.get_by_label("New mentor", exact=True).select_option(value=str(spare.person.code))
    with page.expect_navigation():
        page.get_by_role("button", name="Move", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Changed, and pinned")
    pair.refresh_from_db()
    assert pair.mentor_id == spare.pk


def test_the_proposal_with_its_picker_open_passes_axe(open_page: Callable[..., Page]) -> None:
    cast, program, pair, _ = _world()
    page = open_page()
    sign_in(page, cast.program_admin)  # type: ignore[attr-defined]
    base = reverse("mentoring:proposal", args=[program.slug])
    found = {}
    for url in (base, f"{base}?change={pair.code}&mentor_q=mira", f"{base}?show=unmatched"):
        problems = accessibility_problems(page, url)
        if any(problems.values()):
            found[url] = problems
    assert found == {}
