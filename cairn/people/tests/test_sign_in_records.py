"""Sign-in records: every sign-in, failure, lock-out and two-factor change of an
account, shown to its owner only, a page at a time, kept for a year."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse

from cairn.people import two_factor
from cairn.people.models import SIGN_IN_EVENT_RETENTION_DAYS, SignInEvent, SignInEventKind
from cairn.testing import PASSWORD, ROLES, Cast, client_for, html

NOW = dt.datetime(2026, 5, 4, 12, 0, tzinfo=dt.UTC)


def test_a_sign_in_is_recorded_with_the_address_and_the_browser(cast: Cast) -> None:
    agent = "Mozilla/5.0 " + "x" * 300
    client = Client(REMOTE_ADDR="2001:db8::1", HTTP_USER_AGENT=agent)
    client.post(reverse("login"), {"username": cast.report.user.username, "password": PASSWORD})
    event = SignInEvent.objects.get(user=cast.report.user)
    assert event.kind == SignInEventKind.SIGNED_IN
    assert event.ip == "2001:db8::1"
    assert event.user_agent == agent[:200]
    page = html(client.get(reverse("account-security")))
    assert "Signed in" in page
    assert "2001:db8::1" in page
    # The record's name in logs and the admin says what it is, not where or how.
    assert "2001:db8::1" not in str(event)
    assert "Mozilla" not in str(event)


def test_every_kind_the_owner_sees_is_named(cast: Cast) -> None:
    for kind in SignInEventKind:
        two_factor.record(cast.report.user.pk, kind, None)
    page = html(client_for(cast.report).get(reverse("account-security")))
    for kind in SignInEventKind:
        assert kind.label in page


def test_only_the_owner_sees_their_records(cast: Cast) -> None:
    marker = "Planted-Agent-of-the-report"
    Client(HTTP_USER_AGENT=marker).post(
        reverse("login"), {"username": cast.report.user.username, "password": "wrong"}
    )
    assert SignInEvent.objects.filter(user=cast.report.user, kind=SignInEventKind.FAILED).exists()
    for role in ROLES:
        person = getattr(cast, role)
        response = client_for(person).get(reverse("account-security"))
        assert response.status_code == 200
        assert (marker in html(response)) == (role == "report"), role
    # Nor on the person's page, for their manager, HR or an org admin.
    for role in ("manager", "hr", "admin", "director"):
        page = client_for(getattr(cast, role)).get(
            reverse("people:person", args=[cast.report.code])
        )
        assert marker not in html(page), role


def test_fifty_a_page_newest_first(cast: Cast) -> None:
    for n in range(51):
        two_factor.record(
            cast.report.user.pk, SignInEventKind.SIGNED_IN, None, now=NOW + dt.timedelta(minutes=n)
        )
    SignInEvent.objects.filter(user=cast.report.user, at=NOW).update(kind=SignInEventKind.LOCKED)
    client = client_for(cast.report)
    first = html(client.get(reverse("account-security")))
    assert first.count('class="sign-in-event"') == 50
    assert "Page 1 of 2" in first
    assert "Locked after" not in first
    second = html(client.get(reverse("account-security") + "?page=2"))
    assert second.count('class="sign-in-event"') == 1
    assert "Locked after" in second
    junk = client.get(reverse("account-security") + "?page=x")
    assert junk.status_code == 200
    assert junk.content.count(b'class="sign-in-event"') == 50
    # A NUL byte is refused at the door (cairn/lib/hostile.py), as everywhere.
    assert client.get(reverse("account-security") + "?page=%00").status_code == 422


def test_records_older_than_a_year_go_when_a_new_one_comes(cast: Cast) -> None:
    user_id = cast.report.user.pk
    old = two_factor.record(user_id, SignInEventKind.SIGNED_IN, None, now=NOW)
    others = two_factor.record(cast.manager.user.pk, SignInEventKind.SIGNED_IN, None, now=NOW)
    kept = two_factor.record(
        user_id, SignInEventKind.FAILED, None, now=NOW + dt.timedelta(days=200)
    )
    later = NOW + dt.timedelta(days=SIGN_IN_EVENT_RETENTION_DAYS, minutes=1)
    two_factor.record(user_id, SignInEventKind.SIGNED_IN, None, now=later)
    remaining = set(SignInEvent.objects.values_list("pk", flat=True))
    assert old.pk not in remaining
    assert {kept.pk, others.pk} <= remaining
