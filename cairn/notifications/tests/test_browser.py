"""The bell, the list and the choices in a real browser: axe finds nothing at a desk
width and a phone width, nothing is wider than a phone, the bell's count follows
new notifications without a reload (htmx asks again when told to, as it does every
minute), and everything works with JavaScript off."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from cairn.notifications.models import Kind
from cairn.notifications.tests.factories import make_notification
from cairn.testing import make_cast
from cairn.testing.browser import Console, accessibility_problems, sign_in

pytestmark = pytest.mark.browser

WIDE = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_the_pages_pass_axe_and_fit_a_phone(
    open_page: Callable[..., Page], console: Console
) -> None:
    cast = make_cast()
    make_notification(
        cast.report, "Maria Manager proposed a coaching engagement", kind=Kind.ENGAGEMENT_PROPOSED
    )
    make_notification(cast.report, "Cody Coach shared a development plan with you", read=True)
    page = open_page()
    sign_in(page, cast.report)
    for url in (reverse("notifications:list"), reverse("notifications:preferences")):
        assert accessibility_problems(page, url) == {1280: [], 390: []}, url
        assert page.evaluate(WIDE) <= 0, f"{url} is wider than a phone"
    empty = open_page()
    sign_in(empty, cast.peer)
    assert accessibility_problems(empty, reverse("notifications:list")) == {1280: [], 390: []}
    assert console.csp_violations() == []
    assert console.errors() == []


def test_the_bell_follows_new_notifications_without_a_reload(
    open_page: Callable[..., Page], console: Console
) -> None:
    cast = make_cast()
    page = open_page()
    sign_in(page, cast.report)
    page.goto(reverse("growth:home"))
    bell = page.get_by_role("link", name="Notifications")
    expect(bell).to_have_text("Notifications")
    page.evaluate("window.cairnNoReload = 'still the same page'")

    make_notification(cast.report, "Maria Manager gave you an action item")
    make_notification(cast.report, "Maria Manager proposed a coaching engagement")
    # What htmx does every minute, asked for now.
    expect(page.locator("#bell-count")).to_have_attribute("hx-trigger", re.compile("every 60s"))
    with page.expect_response(lambda r: r.url.endswith(reverse("notifications:bell"))):
        page.evaluate("document.body.dispatchEvent(new Event('refresh-bell'))")
    expect(bell).to_have_text("Notifications 2 unread")
    assert page.evaluate("window.cairnNoReload") == "still the same page"

    # Marking read on the list page updates the bell in place too.
    bell.click()
    page.get_by_role("button", name=re.compile("Mark read.*gave you an action item")).click()
    expect(page.get_by_role("link", name="Notifications")).to_have_text("Notifications 1 unread")
    expect(page.locator("li.notification.unread")).to_have_count(1)
    assert console.csp_violations() == []
    assert console.errors() == []


def test_everything_works_without_javascript(open_page: Callable[..., Page]) -> None:
    cast = make_cast()
    make_notification(cast.report, "Maria Manager gave you an action item", url="/growth/")
    make_notification(cast.report, "Cody Coach shared a development plan with you")
    page = open_page(java_script_enabled=False)
    sign_in(page, cast.report)
    page.goto(reverse("home"))
    bell = page.get_by_role("link", name="Notifications")
    expect(bell).to_have_text("Notifications 2 unread")

    with page.expect_navigation():
        bell.click()
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Mark read.*shared a development plan")).click()
    expect(page.get_by_role("status")).to_contain_text("Marked read.")
    expect(page.get_by_role("link", name="Notifications")).to_have_text("Notifications 1 unread")

    with page.expect_navigation():
        page.get_by_role("link", name="Maria Manager gave you an action item").click()
    assert page.url.endswith("/growth/")
    expect(page.get_by_role("link", name="Notifications")).to_have_text("Notifications")

    page.goto(reverse("notifications:preferences"))
    page.get_by_role("group", name="An action item given to you").get_by_label("Off").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Your choices are saved.")
    expect(
        page.get_by_role("group", name="An action item given to you").get_by_label("Off")
    ).to_be_checked()
