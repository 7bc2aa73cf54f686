"""A notification is shown only while its recipient may still see its subject. A
check registered for a subject type (here a stand-in for ``people.person``, undone
after each test) decides; when the subject becomes hidden, the notification goes
from the list and the count, and its link answers 404. A subject type nobody
registered is never shown."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import reverse

from cairn.notifications import registry
from cairn.notifications.tests.factories import make_notification
from cairn.people.models import Person
from cairn.testing import Cast, client_for, html, htmx

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")
BELL = reverse("notifications:bell")
HIDDEN: set[int] = set()


def people_still_visible(viewer: Person, ids: set[int]) -> set[int]:
    return ids - HIDDEN


@pytest.fixture
def registered(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setitem(registry._checks, "people.person", people_still_visible)
    HIDDEN.clear()
    yield
    HIDDEN.clear()


def test_a_notification_goes_when_its_subject_is_hidden(cast: Cast, registered: None) -> None:
    about = make_notification(cast.report, "Cody Coach shared a plan with you", subject=cast.coach)
    plain = make_notification(cast.report, "Maria Manager gave you an action item")
    client = client_for(cast.report)
    assert about.title in html(client.get(LIST))
    assert '<span class="badge">2</span>' in html(htmx(client).get(BELL))

    HIDDEN.add(cast.coach.pk)  # say, the plan taken back

    page = html(client.get(LIST))
    assert about.title not in page
    assert plain.title in page
    assert '<span class="badge">1</span>' in html(htmx(client).get(BELL))
    for name in ("notifications:open", "notifications:read"):
        method = client.get if name.endswith("open") else client.post
        assert method(reverse(name, args=[about.code])).status_code == 404
    about.refresh_from_db()
    assert about.read_at is None

    HIDDEN.clear()  # shared again: shown again
    assert about.title in html(client.get(LIST))


def test_a_subject_type_nobody_registered_never_shows(cast: Cast) -> None:
    about = make_notification(cast.report, "Cody Coach shared a plan with you", subject=cast.coach)
    client = client_for(cast.report)
    assert about.title not in html(client.get(LIST))
    assert 'class="badge"' not in html(htmx(client).get(BELL))
    assert client.get(reverse("notifications:open", args=[about.code])).status_code == 404


def test_the_check_is_asked_about_the_recipient(cast: Cast, registered: None) -> None:
    asked: list[tuple[Person, set[int]]] = []

    def check(viewer: Person, ids: set[int]) -> set[int]:
        asked.append((viewer, ids))
        return ids

    registry._checks["people.person"] = check
    make_notification(cast.report, subject=cast.coach)
    make_notification(cast.report, subject=cast.peer)
    client_for(cast.report).get(LIST)
    # Once for the page, once for the bell: each time about the recipient, and
    # about every subject of the type at once (one query, whatever the number).
    assert asked == [(cast.report, {cast.coach.pk, cast.peer.pk})] * 2
