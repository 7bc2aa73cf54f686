"""The agreement in a real browser: an amendment proposed in place with htmx, and
accepted, then a debrief written, without JavaScript."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from cairn.coaching import services
from cairn.coaching.models import VersionStatus
from cairn.coaching.tests.factories import make_engagement
from cairn.testing import make_cast
from cairn.testing.browser import Console, sign_in

pytestmark = pytest.mark.browser


def test_amend_in_place_then_accept_and_debrief_without_javascript(
    open_page: Callable[..., Page], console: Console
) -> None:
    cast = make_cast()
    engagement = make_engagement(cast.coach, cast.report)
    url = f"/engagements/{engagement.code}/"

    coach = open_page()
    sign_in(coach, cast.coach)
    coach.goto(url)
    coach.evaluate("window.cairnNoReload = 'same page'")
    agreement = coach.locator("#agreement")
    agreement.get_by_text("Propose a change to the agreement").click()
    agreement.get_by_label("Purpose", exact=True).fill("")
    agreement.get_by_label("Purpose", exact=True).fill("Practise giving hard feedback kindly")
    agreement.get_by_label("How often you meet", exact=True).select_option("weekly")
    agreement.get_by_label("That it is active and how often you meet").check()
    agreement.get_by_role("button", name="Propose this version").click()
    expect(coach.locator("#agreement")).to_contain_text("Waiting for them")
    expect(coach.locator("#agreement")).to_contain_text("Version 2 · proposed")
    assert coach.evaluate("window.cairnNoReload") == "same page"

    report = open_page(java_script_enabled=False)
    sign_in(report, cast.report)
    report.goto(url)
    expect(report.locator("#agreement")).to_contain_text("Waiting for you")
    with report.expect_navigation():
        report.get_by_role("button", name="Accept version 2").click()
    expect(report.locator("#agreement")).to_contain_text("Version 2 · in force")
    assert engagement.agreement_versions.get(number=2).status == VersionStatus.ACCEPTED

    engagement.refresh_from_db()
    services.close_engagement(cast.coach, engagement)
    report.goto(url)
    debrief = report.locator("#debrief")
    debrief.get_by_label("Your greatest learnings").fill("Kind and clear are not opposites.")
    debrief.get_by_label("Transformational: it changed how I think").check()
    with report.expect_navigation():
        debrief.get_by_role("button", name="Save my debrief").click()
    expect(report.locator("#debrief")).to_contain_text("Kind and clear are not opposites.")

    assert console.csp_violations() == []
    assert console.errors() == []


# The section fits the window. (The whole page does not at 390 px: the site's
# navigation in base.html is wider than a phone, whatever the page.)
FITS = "s => document.querySelector(s).getBoundingClientRect().right <= window.innerWidth"


@pytest.mark.parametrize("width", [1280, 390])
def test_blind_debriefs_at_desk_and_phone_widths(
    open_page: Callable[..., Page], console: Console, width: int
) -> None:
    cast = make_cast()
    engagement = make_engagement(cast.coach, cast.report)
    services.close_engagement(cast.coach, engagement)
    services.write_debrief(cast.report, engagement, learnings="Kind and clear.", felt="between")
    url = f"/engagements/{engagement.code}/"

    coach = open_page(viewport={"width": width, "height": 900})
    sign_in(coach, cast.coach)
    coach.goto(url)
    debrief = coach.locator("#debrief")
    expect(debrief).to_contain_text("Riley has written theirs: you read it once you have")
    expect(debrief).not_to_contain_text("Kind and clear.")
    assert coach.evaluate(FITS, "#debrief")
    debrief.get_by_label("Your greatest learnings").fill("Wait after asking.")
    debrief.get_by_label("Somewhere in between").check()
    debrief.get_by_role("button", name="Save my debrief").click()
    # In place, with htmx: both show now.
    expect(coach.locator("#debrief")).to_contain_text("Kind and clear.")
    expect(coach.locator("#debrief")).to_contain_text("Wait after asking.")
    assert coach.evaluate(FITS, "#debrief")
    assert console.csp_violations() == []
    assert console.errors() == []
