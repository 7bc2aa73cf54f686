"""The calendar pages in a real browser: axe at a desktop and a phone width on the
feed's page (without and with a feed), the session page with its move and cancel
forms, and the cancel confirmation; and the whole round without JavaScript."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from cairn.coaching.models import CalendarFeed
from cairn.coaching.tests.factories import make_session, one_on_one
from cairn.testing import make_cast
from cairn.testing.browser import accessibility_problems, sign_in

pytestmark = pytest.mark.browser


def test_calendar_pages_pass_axe_at_desktop_and_phone_widths(
    open_page: Callable[..., Page],
) -> None:
    cast = make_cast()
    session = make_session(
        one_on_one(cast.manager, cast.report), when=timezone.now() + dt.timedelta(days=2)
    )
    page = open_page()
    sign_in(page, cast.report)
    found = {}
    for url in (
        reverse("coaching:calendar"),
        reverse("coaching:session", args=[session.code]),
        reverse("coaching:session-cancel", args=[session.code]),
    ):
        problems = accessibility_problems(page, url)
        if any(problems.values()):
            found[url] = problems
    # With a feed: its address, reset and turn off.
    page.goto(reverse("coaching:calendar"))
    with page.expect_navigation():
        page.get_by_role("button", name="Start my calendar feed").click()
    problems = accessibility_problems(page, reverse("coaching:calendar"))
    if any(problems.values()):
        found["with a feed"] = problems
    assert found == {}


def test_feed_reset_and_cancel_without_javascript(open_page: Callable[..., Page]) -> None:
    cast = make_cast()
    session = make_session(
        one_on_one(cast.manager, cast.report), when=timezone.now() + dt.timedelta(days=2)
    )
    page = open_page(java_script_enabled=False)
    sign_in(page, cast.report)
    page.goto(reverse("coaching:calendar"))
    with page.expect_navigation():
        page.get_by_role("button", name="Start my calendar feed").click()
    first = CalendarFeed.objects.get(person=cast.report).secret
    assert page.get_by_label("Your feed’s address").input_value().endswith(f"/calendar/{first}.ics")
    with page.expect_navigation():
        page.get_by_role("button", name="Reset the address").click()
    expect(page.locator(".messages")).to_contain_text("the old one no longer works")
    assert CalendarFeed.objects.get(person=cast.report).secret != first

    page.goto(reverse("coaching:session", args=[session.code]))
    with page.expect_navigation():
        page.get_by_role("link", name="Cancel this session").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Cancel the session").click()
    expect(page.locator(".messages")).to_contain_text("Cancelled")
    session.refresh_from_db()
    assert session.cancelled_at is not None
