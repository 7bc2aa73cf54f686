"""Sharing assessments in a real browser, with htmx and without JavaScript: the
person finds their manager by name, shares, and the manager reads the assessments
side by side; the pages pass the screen-reader checks at desktop and phone widths
and their content never runs off the side."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from cairn.coaching.tests.factories import make_engagement
from cairn.mastery import services
from cairn.mastery.models import AssessmentShare
from cairn.mastery.tests.factories import import_example
from cairn.testing import make_cast
from cairn.testing.accessibility import problems
from cairn.testing.browser import Console, sign_in

pytestmark = pytest.mark.browser

WIDTHS = (1280, 390)


def assert_fits(page: Page) -> None:
    assert problems(page.content()) == [], page.url
    # Inside <main>: the site's header nav is shared by every page (and at 390 px
    # overflows on all of them; not this page's to fix).
    wide = page.evaluate(
        "Array.from(document.querySelectorAll('main *'))"
        ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)"
        ".map(e => e.tagName + ' ' + e.textContent.slice(0, 40))"
    )
    assert wide == [], (page.url, wide)


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_the_person_shares_with_their_manager_who_reads(
    open_page: Callable[..., Page], console: Console, javascript: bool
) -> None:
    cast = make_cast()
    make_engagement(cast.coach, cast.report)
    framework = import_example(cast.org)
    track = framework.tracks.get(position=0)
    delivery = framework.competencies.get(name="Delivery")
    services.record_assessment(
        cast.coach,
        cast.report,
        delivery,
        track.levels.get(name="Senior engineer"),
        evidence="Led the incident review calmly",
    )
    services.record_assessment(
        cast.report,
        cast.report,
        delivery,
        track.levels.get(name="Engineer"),
        evidence="I still rush the last step",
    )

    page = open_page(java_script_enabled=javascript)
    sign_in(page, cast.report)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/mastery/")
        assert_fits(page)
    page.get_by_label("Share with: find a person by name").fill("mari")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("button", name="Share my assessments with Maria Manager").click()
    expect(page.get_by_role("status")).to_contain_text("Maria Manager can now read")
    assert AssessmentShare.objects.filter(owner=cast.report, shared_with=cast.manager).exists()

    manager = open_page(java_script_enabled=javascript)
    sign_in(manager, cast.manager)
    for width in WIDTHS:
        manager.set_viewport_size({"width": width, "height": 900})
        manager.goto(f"/mastery/people/{cast.report.code}/")
        assert_fits(manager)
    expect(manager.get_by_text("I still rush the last step")).to_be_visible()
    expect(manager.get_by_text("Led the incident review calmly")).to_be_visible()
    expect(manager.get_by_text("by Cody Coach")).to_be_visible()

    page.goto("/mastery/")
    page.get_by_role("button", name="Stop sharing my assessments with Maria Manager").click()
    expect(page.get_by_role("status")).to_contain_text("can no longer read")
    response = manager.goto(f"/mastery/people/{cast.report.code}/")
    assert response is not None
    assert response.status == 404
    assert console.csp_violations() == []
    assert console.errors() == [] or all("404" in e for e in console.errors())
