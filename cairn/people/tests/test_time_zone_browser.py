"""The time-zone page in Chromium: axe finds nothing at a desktop and a phone width,
and choosing a zone works with the browser's plain form post."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from cairn.testing import make_cast
from cairn.testing.browser import accessibility_problems, sign_in

pytestmark = pytest.mark.browser


def test_the_time_zone_page_passes_axe_and_saves_a_choice(
    open_page: Callable[..., Page],
) -> None:
    cast = make_cast()
    page = open_page()
    sign_in(page, cast.report)
    url = reverse("people:time-zone")
    assert accessibility_problems(page, url) == {1280: [], 390: []}
    page.goto(reverse("people:person", args=[cast.report.code]))
    page.get_by_role("link", name="Your time zone").click()
    page.get_by_label("Time zone").select_option("Asia/Tokyo")
    page.get_by_role("button", name="Save time zone").click()
    assert "Dates are now shown in Asia/Tokyo" in page.content()
    cast.report.refresh_from_db()
    assert cast.report.time_zone == "Asia/Tokyo"
