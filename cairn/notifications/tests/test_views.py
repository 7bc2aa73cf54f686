"""The list, the bell and marking read, as the recipient uses them: newest first,
unread marked, a link that marks read and goes only to the stored path, mark read
and mark all read with and without htmx, and the bell's count on every page."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from cairn.notifications.models import Kind, Notification
from cairn.notifications.policy import BELL_CAP
from cairn.notifications.tests.factories import make_notification
from cairn.testing import Cast, client_for, html, htmx

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")
BELL = reverse("notifications:bell")


def bell_text(page: str) -> str:
    """What the bell says, as a screen reader reads it."""
    start = page.index('class="bell"')
    link = page[start : page.index("</a>", start)]
    return " ".join(re.sub(r"<[^>]*>", " ", link.split(">", 1)[1]).split())


def test_the_list_shows_title_kind_and_time_newest_first_unread_marked(cast: Cast) -> None:
    older = make_notification(
        cast.report,
        "Cody Coach shared a development plan with you",
        kind=Kind.SHARED_WITH_YOU,
        at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
        read=True,
    )
    newer = make_notification(
        cast.report,
        "Maria Manager proposed a coaching engagement",
        kind=Kind.ENGAGEMENT_PROPOSED,
        at=datetime(2026, 3, 3, 14, 5, tzinfo=UTC),
    )
    page = html(client_for(cast.report).get(LIST))
    assert page.index(newer.title) < page.index(older.title)
    assert "An engagement proposed to you" in page
    assert "3 Mar 2026, 14:05" in page
    assert page.count('class="notification unread"') == 1
    assert reverse("notifications:open", args=[newer.code]) in page
    assert reverse("notifications:read", args=[newer.code]) in page
    assert reverse("notifications:read", args=[older.code]) not in page  # read already


def test_times_are_shown_in_the_viewers_time_zone(cast: Cast, settings: object) -> None:
    make_notification(cast.report, at=datetime(2026, 3, 3, 23, 30, tzinfo=UTC))
    settings.TIME_ZONE = "Pacific/Auckland"  # type: ignore[attr-defined]
    page = html(client_for(cast.report).get(LIST))
    assert "4 Mar 2026, 12:30" in page  # 13 hours ahead of UTC in March


def test_an_empty_list_says_what_will_appear(cast: Cast) -> None:
    response = client_for(cast.report).get(LIST)
    assert response.status_code == 200
    assert "Nothing yet. Cairn tells you here when someone proposes an engagement" in html(response)
    assert "Mark all read" not in html(response)


def test_the_list_is_paginated(cast: Cast) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for n in range(30):
        make_notification(
            cast.report, f"Person {n:02d} shared a plan", at=start + timedelta(hours=n)
        )
    client = client_for(cast.report)
    first, second = html(client.get(LIST)), html(client.get(LIST, {"page": "2"}))
    assert "Person 29 shared a plan" in first
    assert "Person 05 shared a plan" in first
    assert "Person 04 shared a plan" not in first
    assert "Person 04 shared a plan" in second
    assert "Person 00 shared a plan" in second
    assert "Page 1 of 2" in first
    assert html(client.get(LIST, {"page": "many"})).count('class="notification') == 25


def test_opening_marks_read_and_goes_to_the_stored_path(cast: Cast) -> None:
    notification = make_notification(cast.report, url="/growth/shared/")
    response = client_for(cast.report).get(reverse("notifications:open", args=[notification.code]))
    assert response.status_code == 302
    assert response["Location"] == "/growth/shared/"
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"]
)
def test_opening_never_leaves_the_site(cast: Cast, url: str) -> None:
    notification = make_notification(cast.report, url=url)
    response = client_for(cast.report).get(reverse("notifications:open", args=[notification.code]))
    assert response["Location"] == LIST


def test_mark_read_without_javascript_redirects_back_to_the_page(cast: Cast) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [make_notification(cast.report, at=start + timedelta(hours=n)) for n in range(30)]
    client = client_for(cast.report)
    response = client.post(reverse("notifications:read", args=[rows[0].code]), {"page": "2"})
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?page=2"
    assert Notification.objects.unread().count() == 29
    assert "Marked read." in html(client.get(response["Location"]))


def test_mark_read_with_htmx_answers_the_list_and_refreshes_the_bell(cast: Cast) -> None:
    notification = make_notification(cast.report, "Maria Manager gave you an action item")
    response = htmx(client_for(cast.report)).post(
        reverse("notifications:read", args=[notification.code])
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "refresh-bell"
    assert 'id="notifications"' in html(response)
    assert "<html" not in html(response)
    assert 'class="notification unread"' not in html(response)
    assert Notification.objects.get().read_at is not None


def test_mark_all_read_marks_only_mine(cast: Cast) -> None:
    for _ in range(3):
        make_notification(cast.report)
    theirs = make_notification(cast.peer)
    response = client_for(cast.report).post(reverse("notifications:read-all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=cast.report).unread().exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_with_htmx_answers_the_list(cast: Cast) -> None:
    make_notification(cast.report)
    response = htmx(client_for(cast.report)).post(reverse("notifications:read-all"))
    assert response.status_code == 200
    assert response["HX-Trigger"] == "refresh-bell"
    assert 'class="notification unread"' not in html(response)


def test_the_bell_counts_unread_on_every_page(cast: Cast) -> None:
    client = client_for(cast.report)
    assert bell_text(html(client.get(reverse("home")))) == "Notifications"
    make_notification(cast.report)
    make_notification(cast.report)
    make_notification(cast.report, read=True)
    make_notification(cast.peer)
    assert bell_text(html(client.get(reverse("growth:home")))) == "Notifications 2 unread"


def test_the_bell_partial_is_the_count_alone(cast: Cast) -> None:
    make_notification(cast.report)
    response = htmx(client_for(cast.report)).get(BELL)
    assert response.status_code == 200
    assert html(response).startswith('<span id="bell-count"')
    assert '<span class="badge">1</span>' in html(response)
    assert "no-cache" in response["Cache-Control"]


def test_the_bell_stops_counting_at_its_cap(cast: Cast) -> None:
    Notification.objects.bulk_create(
        Notification(
            recipient=cast.report, kind=Kind.ACTION_ASSIGNED, title="t", url="/", key=f"k{n}"
        )
        for n in range(BELL_CAP + 5)
    )
    assert f'<span class="badge">{BELL_CAP}+</span>' in html(client_for(cast.report).get(BELL))


def test_no_bell_for_anonymous_visitors_or_accounts_without_a_person(cast: Cast) -> None:
    assert 'class="bell"' not in html(Client().get(reverse("login")))
    user = get_user_model().objects.create_user("nobody", "nobody@example.org", "pw")
    client = Client()
    client.force_login(user)
    response = client.get(LIST)
    assert response.status_code == 403
    assert "This account is not part of an organisation" in html(response)
    assert 'class="bell"' not in html(response)
