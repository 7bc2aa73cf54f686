"""Two-factor sign-in in a real browser, at a desktop and a phone width: turning it on
from the QR code's key, the recovery codes, signing in with a code, new recovery codes
through the confirmation dialog — with no axe violation and nothing breaking the
Content-Security-Policy (the QR code is inline SVG without style attributes)."""

from __future__ import annotations

from base64 import b32decode
from collections.abc import Callable

import pytest
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from cairn.testing import PASSWORD, make_cast
from cairn.testing.browser import Console, accessibility_problems, sign_in

pytestmark = pytest.mark.browser


def code_from(page: Page, drift: int = 0) -> str:
    key = page.locator("#two-factor-secret").inner_text().replace(" ", "")
    key += "=" * (-len(key) % 8)
    return f"{totp(b32decode(key), drift=drift):06d}"


def test_turn_on_sign_in_with_a_code_and_make_new_recovery_codes(
    open_page: Callable[..., Page], console: Console
) -> None:
    cast = make_cast()
    page = open_page()
    sign_in(page, cast.report)
    page.goto("/account/security/")
    page.get_by_role("link", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Turn on two-factor sign-in")
    expect(page.locator("figure.qr svg")).to_be_visible()
    assert accessibility_problems(page, "/account/security/two-factor/") == {1280: [], 390: []}

    page.get_by_label("The code your app shows").fill("000000")
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_role("alert")).to_contain_text("That code does not match")
    page.get_by_label("The code your app shows").fill(code_from(page))
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.locator("ul.recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="I have kept them: go on").click()
    expect(page.get_by_text("You have 10 recovery codes left.")).to_be_visible()
    assert accessibility_problems(page, "/account/security/") == {1280: [], 390: []}

    # New recovery codes: the dialog asks first.
    page.get_by_role("button", name="Make new recovery codes").click()
    page.locator("#confirm-dialog-yes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    codes = page.locator("ul.recovery-codes li").all_inner_texts()
    assert len(codes) == 10

    # Signing in again: the password, then the code step.
    other = open_page()
    other.goto("/login/")
    other.get_by_label("Username").fill(cast.report.user.username)
    other.get_by_label("Password").fill(PASSWORD)
    other.get_by_role("button", name="Log in").click()
    expect(other.get_by_role("heading", level=1)).to_have_text("Your sign-in code")
    assert accessibility_problems(other, "/login/code/") == {1280: [], 390: []}
    other.get_by_label("Code").fill(codes[0])
    other.get_by_role("button", name="Sign in").click()
    expect(other.get_by_role("heading", level=1)).to_have_text("My week")
    assert console.csp_violations() == []


def test_an_organisation_requirement_sends_a_member_to_set_it_up_without_javascript(
    open_page: Callable[..., Page], console: Console
) -> None:
    cast = make_cast()
    cast.org.requires_two_factor = True
    cast.org.save()
    page = open_page(java_script_enabled=False)
    page.goto("/login/")
    page.get_by_label("Username").fill(cast.manager.user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    page.get_by_label("The code your app shows").fill(code_from(page))
    page.get_by_role("button", name="Turn on and sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    page.get_by_role("link", name="I have kept them: go on").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My week")

    # axe runs in the page, so the set-up step is checked in a browser with JavaScript.
    other = open_page()
    other.goto("/login/")
    other.get_by_label("Username").fill(cast.report.user.username)
    other.get_by_label("Password").fill(PASSWORD)
    other.get_by_role("button", name="Log in").click()
    expect(other.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    assert accessibility_problems(other, "/login/two-factor/") == {1280: [], 390: []}
    assert console.csp_violations() == []
