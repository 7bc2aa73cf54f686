"""Granting a level in a real browser: in place with htmx, and the same without
JavaScript; the person then reads why."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from cairn.coaching.tests.factories import make_engagement
from cairn.mastery.models import Grant
from cairn.mastery.tests.factories import grant
from cairn.testing import make_cast
from cairn.testing.browser import Console, sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_coach_grants_a_level_and_the_person_reads_why(
    open_page: Callable[..., Page], console: Console, javascript: bool
) -> None:
    cast = make_cast()
    grant(cast.coach, "coach")
    make_engagement(cast.coach, cast.report)
    why = "Three stories published after review with no edits"

    coach = open_page(java_script_enabled=javascript)
    sign_in(coach, cast.coach)
    coach.goto("/mastery/")
    coach.get_by_role("link", name="Grant a level").click()
    # The people picker: a tom-select with JavaScript, a plain select without; the
    # person coached is among the people the coach works with, listed first.
    if javascript:
        with coach.expect_response(lambda r: "/people/pick/?q=" in r.url):
            coach.get_by_role("combobox", name="Person").fill("Riley")
        coach.get_by_role("option", name="Riley Report · Engineer").first.click()
    else:
        coach.get_by_label("Person", exact=True).select_option(label="Riley Report · Engineer")
    coach.get_by_label("Level").select_option(label="Story library: Publisher")
    coach.get_by_label("Evidence").fill(why)
    coach.get_by_role("button", name="Grant").click()
    expect(coach.get_by_role("status")).to_contain_text("Riley Report is now at Publisher")
    expect(coach.get_by_label("Evidence")).to_have_value("")
    assert Grant.objects.filter(person=cast.report, level__slug="publisher").exists()

    report = open_page(java_script_enabled=javascript)
    sign_in(report, cast.report)
    report.goto("/mastery/")
    expect(report.get_by_text(why)).to_be_visible()
    assert console.csp_violations() == []
    assert console.errors() == []
