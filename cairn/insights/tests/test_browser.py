"""The insights pages in Chromium: no WCAG 2.1 A/AA violation at 1280 px and 390 px,
a chart drawn beside every table that has one (from the table's cells, under the
strict Content-Security-Policy, hidden from screen readers), and the tables alone
without JavaScript."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page

from cairn.coaching.models import Session
from cairn.coaching.tests.factories import make_action_item, make_session, one_on_one
from cairn.growth import services as growth
from cairn.testing import Cast, make_cast
from cairn.testing.browser import Console, accessibility_problems, sign_in

pytestmark = pytest.mark.browser


def with_history() -> Cast:
    cast = make_cast()
    now = timezone.now()
    for person, weeks in ((cast.report, 3), (cast.peer, 1)):
        engagement = one_on_one(cast.manager, person)
        for week in range(weeks):
            when = now - dt.timedelta(weeks=week + 1)
            session = make_session(engagement, when=when)
            make_action_item(session, person, due_on=timezone.localdate() - dt.timedelta(days=1))
            Session.objects.filter(pk=session.pk).update(completed_at=when)
    growth.save_plan(cast.report, dreams="A garden", become="")
    return cast


def test_the_pages_pass_axe_at_both_widths(open_page: Callable[..., Page]) -> None:
    cast = with_history()
    found = {}
    for person, url in (
        (cast.report, reverse("insights:me")),
        (cast.manager, reverse("insights:me")),
        (cast.manager, reverse("insights:team")),
        (cast.director, reverse("insights:team")),
    ):
        page = open_page()
        sign_in(page, person)
        problems = accessibility_problems(page, url)
        if any(problems.values()):
            found[url] = problems
    assert found == {}


def test_each_table_gets_its_chart_from_its_cells(
    open_page: Callable[..., Page], console: Console
) -> None:
    cast = with_history()
    page = open_page()
    sign_in(page, cast.manager)
    page.goto(reverse("insights:team"))
    page.wait_for_selector(".chart canvas")
    tables = page.locator("table[data-chart]").count()
    assert tables >= 3
    assert page.locator(".chart canvas").count() == tables
    assert page.locator('.chart[aria-hidden="true"]').count() == tables
    # The fairness chart's bars come from the table's cells: the shares of 1 and 3
    # sessions of 4 (Pat Peer first: both are 25 points from even), against 50%.
    drawn = page.evaluate(
        "() => Chart.getChart(document.querySelector('#fairness')"
        ".previousElementSibling.querySelector('canvas')).data"
    )
    assert drawn["labels"] == ["Pat Peer", "Riley Report"]
    assert [d["label"] for d in drawn["datasets"]] == ["Share", "Even share"]
    assert [d["data"] for d in drawn["datasets"]] == [[25, 75], [50, 50]]
    assert console.csp_violations() == []
    assert console.errors() == []


def test_without_javascript_the_tables_and_downloads_remain(
    open_page: Callable[..., Page],
) -> None:
    cast = with_history()
    page = open_page(java_script_enabled=False)
    sign_in(page, cast.manager)
    page.goto(reverse("insights:team"))
    assert page.locator("table#fairness tbody tr").count() == 2
    assert page.locator("canvas").count() == 0
    link = page.get_by_role("link", name="Download “My one-on-ones per direct report")
    assert link.get_attribute("href") == "/insights/team/?csv=fairness"
