"""The access log in a real browser, on a desk (1280 px) and on a phone (390 px):
labelled, nothing wider than the screen, the filter works without JavaScript, and
the Content-Security-Policy holds."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from cairn.testing import make_cast
from cairn.testing.accessibility import problems
from cairn.testing.browser import Console, sign_in
from cairn.trust.models import Kind
from cairn.trust.tests.factories import make_record

pytestmark = pytest.mark.browser

WIDTHS = {"desk": (1280, 800), "phone": (390, 844)}


@pytest.mark.parametrize("size", WIDTHS)
def test_the_log_reads_well_on_a_desk_and_a_phone(
    open_page: Callable[..., Page], console: Console, size: str
) -> None:
    cast = make_cast()
    make_record(
        cast.report,
        cast.coach,
        Kind.DEVELOPMENT_PLAN,
        via=f"/growth/people/{cast.report.code}/plan/",
    )
    make_record(cast.report, cast.program_admin, Kind.SENSITIVE_ANSWERS, via="/mentoring/x/")
    width, height = WIDTHS[size]
    page = open_page(viewport={"width": width, "height": height})
    sign_in(page, cast.report)
    page.goto("/")
    if size == "phone":  # the navigation is folded into its menu
        page.locator("summary", has_text="Menu").click()
    page.get_by_role("link", name="Who has seen my things").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who has seen my things")
    rows = page.locator("tr.access-record")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(cast.program_admin.name)
    assert problems(page.content()) == []
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{overflow}px wider than the {width}px screen"
    assert console.csp_violations() == []
    assert console.errors() == []


def test_the_filter_works_without_javascript(open_page: Callable[..., Page]) -> None:
    cast = make_cast()
    make_record(cast.report, cast.coach, Kind.OBJECTIVE, via="/read/objective/")
    make_record(cast.report, cast.program_admin, Kind.ENROLMENT, via="/read/enrolment/")
    page = open_page(java_script_enabled=False)
    sign_in(page, cast.report)
    page.goto("/trust/")
    page.get_by_label("Kind of thing").select_option(label="program enrolment")
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    rows = page.locator("tr.access-record")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("/read/enrolment/")
