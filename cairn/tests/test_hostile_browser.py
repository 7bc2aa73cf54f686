"""The page that refuses input Cairn cannot store (``cairn/lib/hostile.py``), in
Chromium at a desktop and a phone width: it says what was wrong, links back, and
axe-core finds no WCAG 2.1 A/AA violation. Its own module: a browser test commits."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from cairn.testing import Cast
from cairn.testing.browser import WIDTHS, axe_violations, sign_in

pytestmark = pytest.mark.browser


def test_the_refusal_page_is_clear_and_accessible_at_both_widths(
    cast: Cast, open_page: Callable[..., Page]
) -> None:
    page = open_page()
    sign_in(page, cast.manager)
    url = reverse("people:directory") + "?q=Ri%00ley"
    found = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        response = page.goto(url)
        assert response is not None
        assert response.status == 422
        alert = page.get_by_role("alert")
        assert alert.inner_text() == (
            "Your input contains characters Cairn can't store: a NUL byte in “q”."
        )
        assert page.get_by_role("link", name="Go back").is_visible()
        found[width] = axe_violations(page)
    assert found == {width: [] for width in WIDTHS}
