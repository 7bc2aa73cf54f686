"""The account pages in Chromium: axe finds no WCAG 2.1 A/AA violation at a desktop
and a phone width, and a forgotten password is reset through the pages, without
JavaScript doing anything the forms do not."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import Page

from cairn.people.accounts import invitation_tokens
from cairn.people.models import User
from cairn.testing import Cast, make_person
from cairn.testing.browser import accessibility_problems, log_in, sign_in

pytestmark = pytest.mark.browser

NEW_PASSWORD = "quartz-lantern-harbour-58"


def _uid(user: User) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def test_account_pages_pass_axe_at_desktop_and_phone_widths(
    cast: Cast, open_page: Callable[..., Page]
) -> None:
    invited = make_person(cast.org, "Ines Invited")
    invited.user.set_unusable_password()
    invited.user.save()
    user = cast.report.user
    anonymous = [
        reverse("login"),
        reverse("password_reset"),
        reverse("password_reset_done"),
        reverse(
            "password_reset_confirm",
            kwargs={"uidb64": _uid(user), "token": default_token_generator.make_token(user)},
        ),
        reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "made-up"}),
        reverse("password_reset_complete"),
        reverse(
            "invitation",
            kwargs={
                "uidb64": _uid(invited.user),
                "token": invitation_tokens.make_token(invited.user),
            },
        ),
    ]
    signed_in = [reverse("password_change"), reverse("password_change_done")]
    found: dict[str, dict[int, list[str]]] = {}
    page = open_page()
    for url in anonymous:
        problems = accessibility_problems(page, url)
        if any(problems.values()):
            found[url] = problems
    page = open_page()
    sign_in(page, cast.report)
    for url in signed_in:
        problems = accessibility_problems(page, url)
        if any(problems.values()):
            found[url] = problems
    assert found == {}, "\n".join(
        f"{url} at {w}px: {v}" for url, by in found.items() for w, vs in by.items() for v in vs
    )


def test_a_forgotten_password_is_reset_without_javascript(
    cast: Cast, open_page: Callable[..., Page]
) -> None:
    page = open_page(java_script_enabled=False)
    page.goto(reverse("login"))
    page.get_by_role("link", name="Forgotten your password?").click()
    page.get_by_label("Email").fill(cast.report.user.email)
    page.get_by_role("button", name="Email me a link").click()
    assert page.get_by_role("heading", name="Check your email").is_visible()
    user = cast.report.user
    page.goto(
        reverse(
            "password_reset_confirm",
            kwargs={"uidb64": _uid(user), "token": default_token_generator.make_token(user)},
        )
    )
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("The new password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set my password").click()
    assert page.get_by_role("heading", name="Your password is set").is_visible()
    log_in(open_page(), cast.report, NEW_PASSWORD)
