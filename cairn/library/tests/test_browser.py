"""The library in a real browser: a contributor writes a story, a coach reviews and
publishes it, and someone else finds it by searching."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from cairn.library.tests.factories import REVIEW_QUESTION, make_story
from cairn.mastery.tests.factories import grant
from cairn.testing import make_cast
from cairn.testing.browser import Console, sign_in

pytestmark = pytest.mark.browser

TITLE = "Pairing a graduate with an on-call veteran"
WORD = "shadowing"


def test_contributor_writes_and_the_coach_publishes(
    open_page: Callable[..., Page], console: Console
) -> None:
    cast = make_cast()
    grant(cast.report, "contributor")
    grant(cast.coach, "coach")

    author = open_page()
    sign_in(author, cast.report)
    author.goto("/library/")
    author.get_by_role("link", name="Write a story").click()
    author.get_by_label("Title").fill(TITLE)
    author.get_by_label("The problem").fill("New graduates dreaded their first on-call week.")
    author.get_by_label("Actions taken").fill(f"Two weeks of **{WORD}** a veteran first.")
    author.get_by_label("Lessons learned").fill("Fear shrinks when you have seen it done.")
    author.get_by_label("Onboarding", exact=True).check()
    author.get_by_label("Incidents", exact=True).check()
    expect(author.get_by_role("button", name="Publish")).to_have_count(0)
    author.get_by_role("button", name="Submit for review").click()
    expect(author.get_by_role("status")).to_contain_text("a reviewer will read it")
    expect(author.locator("h1")).to_have_text(TITLE)

    coach = open_page()
    sign_in(coach, cast.coach)
    coach.goto("/library/")
    coach.get_by_role("link", name="Stories to review (1)").click()
    coach.get_by_role("link", name=TITLE).click()
    expect(coach.locator(".story-part strong")).to_have_text(WORD)
    coach.get_by_label("What is good in it").fill("A fear everyone remembers.")
    coach.get_by_label("Your questions").fill("How did the veterans feel about it?")
    coach.get_by_label("Publish it").check()
    coach.get_by_role("button", name="Send review").click()
    expect(coach.get_by_role("status")).to_contain_text("Published")

    assert console.csp_violations() == []
    assert console.errors() == []


def test_a_colleague_finds_a_published_story_and_reads_it_without_its_review(
    open_page: Callable[..., Page], console: Console
) -> None:
    cast = make_cast()
    grant(cast.report, "contributor")
    grant(cast.coach, "coach")
    make_story(
        cast.report,
        TITLE,
        actions=f"Two weeks of **{WORD}** a veteran first.",
        tag_slugs=["onboarding"],
        reviewer=cast.coach,
    )

    reader = open_page()
    sign_in(reader, cast.peer)
    reader.goto("/library/")
    reader.get_by_label("Search stories").fill(WORD)
    reader.get_by_role("button", name="Search").click()
    results = reader.locator("#results")
    expect(results).to_contain_text(TITLE)
    # htmx pushed the search into the address bar: it can be shared and reloaded.
    expect(reader).to_have_url(re.compile(rf"/library/\?q={WORD}"))
    results.get_by_role("link", name=TITLE).click()
    expect(reader.locator("h1")).to_have_text(TITLE)
    expect(reader.locator("main")).to_contain_text(cast.report.name)
    # The review is between the author and the coach.
    expect(reader.get_by_text(REVIEW_QUESTION)).to_have_count(0)

    assert console.csp_violations() == []
    assert console.errors() == []
