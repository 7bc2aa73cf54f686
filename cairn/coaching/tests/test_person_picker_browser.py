"""The people picker in a browser: with JavaScript, tom-select searches the server as
you type (under the strict CSP); without it, the search beside the select reloads the
page with the matches. Either way the engagement is proposed to the person chosen."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from cairn.coaching.models import Engagement, EngagementKind
from cairn.testing import Cast
from cairn.testing.browser import Console, sign_in

pytestmark = pytest.mark.browser


def choose_the_rest(page: Page) -> None:
    page.get_by_label("Kind").select_option(label="Mentoring")
    page.get_by_label("They coach, mentor or counsel me").check()


def test_with_javascript_the_picker_searches_as_you_type(
    cast: Cast, open_page: Callable[..., Page], console: Console
) -> None:
    page = open_page()
    sign_in(page, cast.report)
    page.goto(reverse("coaching:engagement-new"))
    # The no-JavaScript search gives way to the search as you type.
    assert not page.get_by_label("Someone else? Search by name").is_visible()

    with page.expect_response(lambda r: "/people/pick/?q=" in r.url):
        page.get_by_role("combobox", name="With").fill("cod")
    option = page.get_by_role("option", name="Cody Coach · Staff Engineer")
    option.click()
    choose_the_rest(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Propose").click()

    engagement = Engagement.objects.get(kind=EngagementKind.MENTORING)
    assert (engagement.giver, engagement.receiver) == (cast.coach, cast.report)
    assert console.csp_violations() == []
    assert console.errors() == []


def test_with_javascript_nobody_of_another_organisation_is_offered(
    cast: Cast, open_page: Callable[..., Page]
) -> None:
    page = open_page()
    sign_in(page, cast.report)
    page.goto(reverse("coaching:engagement-new"))
    with page.expect_response(lambda r: "/people/pick/?q=" in r.url):
        page.get_by_role("combobox", name="With").fill("olga")
    expect(page.get_by_text("Nobody found.")).to_be_visible()
    assert page.get_by_role("option", name="Olga Outsider").count() == 0


def test_without_javascript_search_pick_and_submit(
    cast: Cast, open_page: Callable[..., Page]
) -> None:
    page = open_page(java_script_enabled=False)
    sign_in(page, cast.report)
    page.goto(reverse("coaching:engagement-new"))
    picker = page.get_by_label("With", exact=True)
    assert "Cody Coach" not in picker.inner_text()  # not someone they work with

    page.get_by_label("Someone else? Search by name").fill("cody")
    with page.expect_navigation():
        page.get_by_role("button", name="Search").click()
    assert "other_q=cody" in page.url
    assert page.get_by_text("1 found for “cody”").is_visible()
    picker.select_option(label="Cody Coach · Staff Engineer")
    choose_the_rest(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Propose").click()

    engagement = Engagement.objects.get(kind=EngagementKind.MENTORING)
    assert (engagement.giver, engagement.receiver) == (cast.coach, cast.report)
