"""The framework pages in a real browser: the track switcher and a cell's behaviours,
with htmx and without JavaScript; assessing from the grid's row; and axe at 1280 and
390 px on every page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from cairn.coaching.tests.factories import make_engagement
from cairn.mastery import services
from cairn.mastery.models import Assessment
from cairn.mastery.tests.grid_factories import build_framework
from cairn.testing import make_cast
from cairn.testing.browser import Console, accessibility_problems, sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_switching_track_and_opening_a_cell(
    open_page: Callable[..., Page], console: Console, javascript: bool
) -> None:
    cast = make_cast()
    built = build_framework(cast.org)
    page = open_page(java_script_enabled=javascript)
    sign_in(page, cast.report)
    page.goto(reverse("mastery:framework", args=[built.framework.code]))
    grid = page.locator("table.framework-grid")
    expect(grid.get_by_role("columnheader", name="Engineer 2 IC2 grade 2")).to_be_visible()

    page.get_by_role("navigation", name="Tracks").get_by_role("link", name="Manager").click()
    expect(grid.get_by_role("columnheader", name="Lead 4 M4 grade 4")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Engineer 2 IC2 grade 2")).to_have_count(0)
    assert page.url.endswith("?track=manager")  # pushed, so a reload keeps the track

    row = grid.get_by_role("row", name="Grid competency 1 Assess Grid competency 1", exact=False)
    row.get_by_role("link").nth(2).click()  # the cell at the second level
    behaviour = page.get_by_text("grid behaviour 1 of competency-1 at m4")
    expect(behaviour).to_be_visible()
    expect(page.get_by_text("example of competency-1 at m4")).to_be_visible()
    if javascript:
        # Opened in its cell: still the grid, the other cells as they were.
        assert page.url.endswith("?track=manager")
        expect(grid.get_by_text("grid behaviour 0 of competency-0 at m3")).to_be_visible()
    else:
        # A page of its own, with the way back to the grid's row.
        expect(page.get_by_role("heading", name="Grid competency 1 at Lead 4 (M4)")).to_be_visible()
        page.get_by_role("link", name="Grid framework").click()
        expect(page.get_by_role("columnheader", name="Lead 4 M4 grade 4")).to_be_visible()
    assert console.csp_violations() == []
    assert console.errors() == []


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_assessing_from_the_competencys_row(
    open_page: Callable[..., Page], console: Console, javascript: bool
) -> None:
    cast = make_cast()
    built = build_framework(cast.org)
    page = open_page(java_script_enabled=javascript)
    sign_in(page, cast.report)
    page.goto(reverse("mastery:framework", args=[built.framework.code]))
    page.get_by_role("link", name="Assess Grid competency 2").click()
    if javascript:
        # The form opens under the competency's row, the grid still there.
        expect(page.locator("table.framework-grid tr.assess-row")).to_be_visible()
    page.get_by_label("Level shown").select_option(label="IC2 · Engineer 2")
    page.get_by_label("Evidence").fill("Paired on the migration")
    page.get_by_role("button", name="Record").click()
    expect(
        page.get_by_text("Assessment of Grid competency 2 recorded for Riley Report.")
    ).to_be_visible()
    assessment = Assessment.objects.get(person=cast.report)
    assert assessment.level == built.ic_levels[1]
    assert assessment.competency == built.competencies[2]
    # No level chosen: said in place, nothing saved.
    if not javascript:
        page.get_by_role("link", name="Assess Grid competency 2").click()
    page.get_by_label("Evidence").fill("No level")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_role("alert").first).to_have_text("Choose the level shown, or a stage.")
    assert Assessment.objects.count() == 1
    assert console.csp_violations() == []
    assert [e for e in console.errors() if "422" not in e] == []


def test_the_framework_pages_pass_axe_at_both_widths(open_page: Callable[..., Page]) -> None:
    cast = make_cast()
    built = build_framework(cast.org, scale=True)
    make_engagement(cast.coach, cast.report)
    competency = built.competencies[0]
    services.record_assessment(
        cast.coach, cast.report, competency, built.ic_levels[1], evidence="Seen in March"
    )
    services.record_assessment(
        cast.report, cast.report, competency, built.ic_levels[0], evidence="I think so"
    )
    services.share_assessments(cast.report, cast.manager)
    code = built.framework.code
    urls = {
        cast.report: [
            reverse("mastery:framework", args=[code]),
            reverse("mastery:framework", args=[code]) + "?track=manager&retired=1",
            reverse("mastery:framework-cell", args=[code, competency.key, "ic2"]) + "?track=ic",
            reverse("mastery:framework-assess", args=[code, competency.key]),
            reverse("mastery:person-framework", args=[cast.report.code, code]),
        ],
        cast.manager: [
            reverse("mastery:person-framework", args=[cast.report.code, code]),
            reverse("mastery:person-competency", args=[cast.report.code, code, competency.key]),
        ],
    }
    found = {}
    for person, person_urls in urls.items():
        page = open_page()
        sign_in(page, person)
        for url in person_urls:
            problems = accessibility_problems(page, url)
            if any(problems.values()):
                found[url] = problems
    # The grid with the assess row open, and the history opened, with htmx.
    page = open_page()
    sign_in(page, cast.report)
    page.goto(reverse("mastery:framework", args=[code]))
    page.get_by_role("link", name=f"Assess {competency.name}").click()
    expect(page.locator("tr.assess-row")).to_be_visible()
    page.locator("table.framework-grid a.cell").first.click()
    expect(page.locator(".cell-behaviours").first).to_be_visible()
    from cairn.testing.browser import axe_violations

    assert axe_violations(page) == []
    page.goto(reverse("mastery:person-framework", args=[cast.report.code, code]))
    page.locator("details.history > summary").first.click()
    expect(page.locator(".history-items").first).to_be_visible()
    assert axe_violations(page) == []
    assert found == {}, found
