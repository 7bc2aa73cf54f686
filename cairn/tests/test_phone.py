"""A phone is a first-class screen: every main page at 390 px wide without scrolling
sideways, the navigation folded into a menu that opens without JavaScript, and the
session page with its agenda first."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Page, ViewportSize

from cairn.coaching.tests.factories import make_agenda_item, make_session, one_on_one
from cairn.testing import Cast
from cairn.testing.browser import AXE_SOURCE, sign_in
from cairn.tests.main_pages import ROLES, build_main_pages

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}


@pytest.mark.parametrize("role", ROLES)
def test_every_main_page_fits_a_phone_for_each_role(
    cast: Cast, open_page: Callable[..., Page], role: str
) -> None:
    urls = build_main_pages(cast).by_role[role]
    too_wide: list[str] = []
    page = open_page(viewport=PHONE)
    sign_in(page, getattr(cast, role))
    for url in urls:
        response = page.goto(url)
        assert response is not None, url
        assert response.ok, f"{role} {url}: {response.status}"
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide.append(f"{role} {url}: {width}px")
    assert too_wide == []


@pytest.mark.parametrize("javascript", [False, True])
def test_the_navigation_folds_into_a_menu_on_a_phone(
    cast: Cast, open_page: Callable[..., Page], javascript: bool
) -> None:
    page = open_page(viewport=PHONE, java_script_enabled=javascript)
    sign_in(page, cast.report)
    page.goto(reverse("home"))
    growth = page.get_by_role("link", name="My growth")
    assert not growth.is_visible()
    # The bell stays in sight, with its unread count, beside the closed menu.
    assert page.get_by_role("link", name="Notifications").is_visible()
    menu = page.locator("summary", has_text="Menu")
    assert menu.is_visible()

    menu.click()

    assert growth.is_visible()
    assert page.get_by_role("button", name="Log out").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    with page.expect_navigation():
        growth.click()
    assert page.url.endswith(reverse("growth:home"))


def test_the_menu_links_can_be_read_on_a_phone(cast: Cast, open_page: Callable[..., Page]) -> None:
    # The links of the old bar ran past the green header on a phone: white on white.
    page = open_page(viewport=PHONE)
    sign_in(page, cast.report)
    page.goto(reverse("home"))
    page.locator("summary", has_text="Menu").click()
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    contrast = page.evaluate(
        "axe.run('.site-header', {runOnly: ['color-contrast']})"
        ".then(r => [r.violations.length, r.passes.flatMap(p => p.nodes).length])"
    )
    violations, checked = contrast
    assert violations == 0
    assert checked >= 11  # every link of the menu, and log out
    header = page.locator(".site-header").bounding_box()
    last = page.get_by_role("button", name="Log out").bounding_box()
    assert header is not None
    assert last is not None
    assert last["x"] + last["width"] <= header["x"] + header["width"]
    assert last["y"] + last["height"] <= header["y"] + header["height"]


def test_the_full_bar_shows_on_a_wide_screen_without_a_menu_button(
    cast: Cast, open_page: Callable[..., Page]
) -> None:
    page = open_page(viewport=DESKTOP, java_script_enabled=False)
    sign_in(page, cast.report)
    page.goto(reverse("home"))
    assert not page.locator("summary", has_text="Menu").is_visible()
    for name in ("My week", "My growth", "People", "Who has seen my things"):
        assert page.get_by_role("link", name=name, exact=True).is_visible(), name
    assert page.get_by_role("button", name="Log out").is_visible()


def test_the_session_page_puts_the_agenda_first_on_a_phone(
    cast: Cast, open_page: Callable[..., Page]
) -> None:
    session = make_session(one_on_one(cast.manager, cast.report))
    make_agenda_item(session, cast.report, "Feedback on the design review")
    url = reverse("coaching:session", args=[session.code])
    page = open_page(viewport=PHONE)
    sign_in(page, cast.report)
    page.goto(url)
    agenda = page.locator("#agenda").bounding_box()
    guide = page.locator(".session-layout > .template").bounding_box()
    assert agenda is not None
    assert guide is not None
    assert agenda["y"] < guide["y"]  # the agenda above the template's guide

    page.set_viewport_size(DESKTOP)
    page.goto(url)
    agenda = page.locator("#agenda").bounding_box()
    guide = page.locator(".session-layout > .template").bounding_box()
    assert agenda is not None
    assert guide is not None
    assert guide["x"] < agenda["x"]  # side by side: the guide on the left
    assert abs(guide["y"] - agenda["y"]) < 5
