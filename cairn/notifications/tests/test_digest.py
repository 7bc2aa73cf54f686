"""The daily digest: one email per person and day, delivered to a real SMTP server,
listing the titles and links of that day's unread notifications of the kinds they get
in a digest and may still see — nothing else, and no email at all when there is
nothing to tell."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import override_settings

from cairn.mail.models import OutgoingEmail
from cairn.notifications import digest, registry
from cairn.notifications.models import Channel, Kind, Notification, Preference
from cairn.people.models import Person
from cairn.testing import Cast, count_queries
from cairn.testing.smtp import SMTPSink, part

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 6, 1)  # London is on BST (UTC+1) that day
LONDON_MIDNIGHT = dt.datetime(2026, 5, 31, 23, 0, tzinfo=dt.UTC)


def note(
    person: Person,
    title: str,
    *,
    at: dt.datetime,
    kind: Kind = Kind.ITEMS_OVERDUE,
    url: str = "/actions/",
    read: bool = False,
    subject: tuple[str, int] | None = None,
) -> Notification:
    return Notification.objects.create(
        recipient=person,
        kind=kind,
        title=title,
        url=url,
        key=f"{person.pk}:{title}",
        created_at=at,
        read_at=at if read else None,
        subject_type=subject[0] if subject else "",
        subject_id=subject[1] if subject else None,
    )


@pytest.fixture
def things(monkeypatch: pytest.MonkeyPatch) -> None:
    """A subject type whose check lets through only id 1."""
    monkeypatch.setitem(registry._checks, "tests.thing", lambda viewer, ids: ids & {1})


@override_settings(CAIRN_BASE_URL="https://cairn.example.org")
def test_the_digest_lists_the_days_unread_digest_notifications_still_visible(
    cast: Cast, smtp_server: SMTPSink, things: None, django_capture_on_commit_callbacks: Any
) -> None:
    riley = cast.report
    Preference.objects.create(person=riley, kind=Kind.ACTION_ASSIGNED, channel=Channel.DIGEST)
    morning = LONDON_MIDNIGHT + dt.timedelta(hours=8)
    note(riley, "Two action items overdue", at=morning, url="/growth/actions/")
    note(riley, "Maria Manager gave you an action item", at=morning, kind=Kind.ACTION_ASSIGNED)
    note(riley, "Visible thing", at=morning, subject=("tests.thing", 1), url="/t/1/")
    note(riley, "Hidden thing now", at=morning, subject=("tests.thing", 2))
    note(riley, "Unregistered thing", at=morning, subject=("tests.nobody", 1))
    note(riley, "Already read", at=morning, read=True)
    note(riley, "In Cairn only", at=morning, kind=Kind.STORY_PUBLISHED)
    note(riley, "Late the day before", at=LONDON_MIDNIGHT - dt.timedelta(minutes=1))
    note(riley, "Just after midnight", at=LONDON_MIDNIGHT + dt.timedelta(minutes=1))
    note(riley, "The next day", at=LONDON_MIDNIGHT + dt.timedelta(days=1))
    note(cast.peer, "Somebody else's", at=morning)

    with django_capture_on_commit_callbacks(execute=True):
        assert digest.send_digest(riley, DAY) is True
        assert digest.send_digest(riley, DAY) is False  # one a day
    [message] = smtp_server.wait_for(1)
    assert message["To"] == riley.user.email
    assert message["Subject"] == "Cairn: 4 things for you, Monday 1 June"
    text, html = part(message, "text/plain"), part(message, "text/html")
    listed = [
        "Just after midnight",
        "Two action items overdue",
        "Maria Manager gave you an action item",
        "Visible thing",
    ]
    for body in (text, html):
        positions = [body.index(title) for title in listed]
        assert positions == sorted(positions)  # in the order they happened
        for absent in (
            "Hidden thing now",
            "Unregistered thing",
            "Already read",
            "In Cairn only",
            "Late the day before",
            "The next day",
            "Somebody else",
        ):
            assert absent not in body
        assert "https://cairn.example.org/growth/actions/" in body
        assert "https://cairn.example.org/t/1/" in body
        assert "08:00" in body  # 07:00 UTC, shown in London time (BST)
    assert OutgoingEmail.objects.get().key == f"digest:{riley.pk}:2026-06-01"


def test_nothing_to_tell_sends_nothing(cast: Cast) -> None:
    note(cast.report, "Read already", at=LONDON_MIDNIGHT + dt.timedelta(hours=9), read=True)
    note(
        cast.report,
        "Off the digest",
        at=LONDON_MIDNIGHT + dt.timedelta(hours=9),
        kind=Kind.REQUEST_RECEIVED,
    )
    assert digest.send_digest(cast.report, DAY) is False
    assert not OutgoingEmail.objects.exists()


def test_someone_who_cannot_sign_in_gets_no_digest(cast: Cast) -> None:
    note(cast.report, "Two action items overdue", at=LONDON_MIDNIGHT + dt.timedelta(hours=9))
    cast.report.user.is_active = False
    cast.report.user.save()
    assert digest.send_digest(cast.report, DAY) is False
    assert not OutgoingEmail.objects.exists()


def test_a_long_day_lists_the_first_and_says_how_many_more(cast: Cast) -> None:
    for n in range(digest.MOST + 3):
        note(cast.report, f"Overdue {n:03}", at=LONDON_MIDNIGHT + dt.timedelta(minutes=n + 1))
    assert digest.send_digest(cast.report, DAY) is True
    email = OutgoingEmail.objects.get()
    assert f"Cairn: {digest.MOST + 3} things for you" in email.subject
    assert f"Overdue {digest.MOST - 1:03}" in email.text
    assert f"Overdue {digest.MOST:03}" not in email.text
    assert "and 3 more" in email.text
    assert "and 3 more" in email.html


def test_the_queries_do_not_grow_with_the_notifications(cast: Cast, things: None) -> None:
    def queries(person: Person, count: int, day: dt.date) -> int:
        start = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
        for n in range(count):
            note(person, f"Thing {n}", at=start, subject=("tests.thing", 1))
        return count_queries(lambda: digest.send_digest(person, day))

    assert queries(cast.report, 1, DAY) == queries(cast.peer, 50, DAY)
