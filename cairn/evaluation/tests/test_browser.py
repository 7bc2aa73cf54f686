"""Evaluation in a real browser, at a desktop width (1280 px) and a phone's (390 px):
HR opens a cycle, the person writes their self-review without JavaScript, and every
page is labelled (the shared checker, on the DOM the browser built), fits the width,
and keeps to the Content-Security-Policy."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from cairn.evaluation.models import PerformanceReview
from cairn.evaluation.tests.factories import make_cycle
from cairn.testing import make_cast
from cairn.testing.accessibility import problems
from cairn.testing.browser import Console, sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 390])
def test_hr_opens_a_cycle_and_the_person_writes_their_self_review(
    open_page: Callable[..., Page], console: Console, width: int
) -> None:
    cast = make_cast()
    cycle = make_cycle(cast, name="2026 first half")
    viewport = {"width": width, "height": 900}

    hr = open_page(viewport=viewport)
    sign_in(hr, cast.hr)
    hr.goto(f"/evaluation/cycles/{cycle.code}/")
    hr.get_by_label("Open the cycle for").select_option(label="Platform")
    with hr.expect_navigation():
        hr.get_by_role("button", name="Open the cycle").click()
    expect(hr.get_by_role("status")).to_contain_text("Opened the cycle for 3 more people")
    expect(hr.locator("main")).to_contain_text(cast.report.name)
    pages = [hr.content()]
    assert fits(hr), hr.evaluate(WIDE)

    person = open_page(viewport=viewport, java_script_enabled=False)
    sign_in(person, cast.report)
    person.goto("/evaluation/")
    person.get_by_role("link", name="2026 first half").click()
    person.get_by_label("My self-review").fill("I shipped the ledger migration.")
    person.get_by_role("button", name="Save my self-review").click()
    expect(person.get_by_role("status")).to_contain_text("Saved your self-review")
    pages.append(person.content())
    assert fits(person), person.evaluate(WIDE)
    review = PerformanceReview.objects.get(person=cast.report)
    assert review.self_review == "I shipped the ledger migration."

    for content in pages:
        assert problems(content) == []
    assert console.csp_violations() == []
    assert console.errors() == []


def fits(page: Page) -> bool:
    """Nothing wider than the window: no sideways scrolling on a phone."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


# What sticks out past the window, for the failure message.
WIDE = """
[...document.querySelectorAll("body *")]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .map(e => e.tagName + "." + e.className)
  .slice(0, 8)
"""
