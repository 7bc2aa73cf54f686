"""The sign-in throttle: five failures lock an account for 15 minutes, twenty lock an
address, the message never tells whether an account exists, and a success forgets
the account's failures."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine
from django.test import Client
from django.urls import reverse

from cairn.people import throttle
from cairn.people.models import SignInEvent, SignInEventKind
from cairn.testing import PASSWORD, Cast, html

LOCKED = "Too many failed sign-ins for this account. Try again in 15 minutes."
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def attempt(username: str, password: str, address: str = "203.0.113.7") -> object:
    return Client(REMOTE_ADDR=address).post(
        reverse("login"), {"username": username, "password": password}
    )


def signed_in(response: Any) -> bool:
    return bool(response.status_code == 302 and response["Location"] == reverse("home"))


def test_four_failures_are_fine_the_fifth_locks_even_the_right_password(cast: Cast) -> None:
    username = cast.report.user.username
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(4):
            response = attempt(username, "wrong")
            assert response.status_code == 200  # type: ignore[attr-defined]
            assert "Please enter a correct username and password" in html(response)
        clock.shift(dt.timedelta(minutes=14))
        fifth = attempt(username, "wrong")
        assert fifth.status_code == 429  # type: ignore[attr-defined]
        assert LOCKED in html(fifth)

        refused = attempt(username, PASSWORD)
        assert refused.status_code == 429  # type: ignore[attr-defined]
        assert LOCKED in html(refused)
        # From another address too: the lock is on the account.
        assert attempt(username, PASSWORD, address="198.51.100.9").status_code == 429  # type: ignore[attr-defined]

        clock.shift(dt.timedelta(minutes=10))
        later = attempt(username, PASSWORD)
        assert later.status_code == 429  # type: ignore[attr-defined]
        assert "Try again in 5 minutes." in html(later)

        clock.shift(dt.timedelta(minutes=5, seconds=1))
        assert signed_in(attempt(username, PASSWORD))


def test_failures_spread_wider_than_the_window_do_not_lock(cast: Cast) -> None:
    username = cast.report.user.username
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(4):
            attempt(username, "wrong")
        clock.shift(throttle.WINDOW + dt.timedelta(seconds=1))
        assert attempt(username, "wrong").status_code == 200  # type: ignore[attr-defined]
        assert signed_in(attempt(username, PASSWORD))


def test_a_success_forgets_the_accounts_failures(cast: Cast) -> None:
    username = cast.report.user.username
    for _ in range(4):
        attempt(username, "wrong")
    assert signed_in(attempt(username, PASSWORD))
    for _ in range(4):
        assert attempt(username, "wrong").status_code == 200  # type: ignore[attr-defined]
    assert signed_in(attempt(username, PASSWORD))


def test_an_unknown_username_gets_the_same_message(cast: Cast) -> None:
    for _ in range(4):
        assert attempt("nobody-by-this-name", "wrong").status_code == 200  # type: ignore[attr-defined]
    response = attempt("nobody-by-this-name", "wrong")
    assert response.status_code == 429  # type: ignore[attr-defined]
    assert LOCKED in html(response)
    # Nothing was recorded for an account that does not exist.
    assert not SignInEvent.objects.exists()


def test_an_address_with_twenty_failures_is_locked_for_every_account(cast: Cast) -> None:
    address = "192.0.2.44"
    with time_machine.travel(START, tick=False) as clock:
        for n in range(20):
            # Four tries each at five accounts: no account reaches its own limit.
            response = attempt(f"guess-{n // 4}", "wrong", address=address)
        assert response.status_code == 429  # type: ignore[attr-defined]
        message = "Too many failed sign-ins from your network address. Try again in 15 minutes."
        assert message in html(response)
        # Even a real account with its right password, from that address...
        assert attempt(cast.manager.user.username, PASSWORD, address=address).status_code == 429  # type: ignore[attr-defined]
        # ...but not from another one.
        assert signed_in(attempt(cast.manager.user.username, PASSWORD, address="192.0.2.45"))
        clock.shift(throttle.LOCK + dt.timedelta(seconds=1))
        assert signed_in(attempt(cast.manager.user.username, PASSWORD, address=address))


def test_empty_fields_count_no_failure(cast: Cast) -> None:
    username = cast.report.user.username
    for _ in range(6):
        assert attempt(username, "").status_code == 200  # type: ignore[attr-defined]
    assert signed_in(attempt(username, PASSWORD))


def test_failures_and_the_lock_are_recorded_for_the_owner(cast: Cast) -> None:
    username = cast.report.user.username
    for _ in range(5):
        attempt(username, "wrong")
    kinds = list(
        SignInEvent.objects.filter(user=cast.report.user)
        .order_by("pk")
        .values_list("kind", flat=True)
    )
    assert kinds == [SignInEventKind.FAILED] * 5 + [SignInEventKind.LOCKED]
    event = SignInEvent.objects.filter(user=cast.report.user).first()
    assert event is not None
    assert event.ip == "203.0.113.7"


def _fullwidth(text: str, at: int) -> str:
    """``text`` with its ``at``-th character in its fullwidth form (NFKC reads it back)."""
    char = text[at]
    wide = chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char
    return text[:at] + wide + text[at + 1 :]


def test_usernames_the_form_reads_as_one_share_one_count(cast: Cast) -> None:
    """The sign-in form reads a username as NFKC (Django's ``UsernameField``): a
    fullwidth letter signs in to the same account, so it counts against it too."""
    username = cast.report.user.username
    assert signed_in(attempt(_fullwidth(username, 0), PASSWORD))
    with time_machine.travel(START, tick=False):
        for at in range(throttle.ACCOUNT_LIMIT - 1):
            assert attempt(_fullwidth(username, at), "wrong").status_code == 200  # type: ignore[attr-defined]
        fifth = attempt(_fullwidth(username, throttle.ACCOUNT_LIMIT - 1), "wrong")
        assert fifth.status_code == 429  # type: ignore[attr-defined]
        assert attempt(username, PASSWORD).status_code == 429  # type: ignore[attr-defined]
    assert (
        SignInEvent.objects.filter(user=cast.report.user, kind=SignInEventKind.FAILED).count()
        == throttle.ACCOUNT_LIMIT
    )
