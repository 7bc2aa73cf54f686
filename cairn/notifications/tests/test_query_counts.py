"""The bell and the list cost the same queries with 1 notification and with 50 (half
of them about subjects of two registered types): no query per notification.

Two queries say who is asking (the session; the account with its person). The bell then reads the
newest unread notifications' subjects (1) and asks each subject type's check (1
each, 2 here). The list counts the notifications (for the pager), reads one page,
asks the checks for the page (2), and renders the bell in the navigation (3)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from cairn.notifications import registry
from cairn.notifications.tests.factories import make_notification
from cairn.people.models import Person, Team
from cairn.testing import Cast, client_for, htmx, make_cast
from cairn.testing.worlds import Worlds, build_worlds, measure

# (The account is read with its person: issue 15.)
BELL_QUERIES = 2 + 1 + 2
LIST_QUERIES = 3 + 2 + 2 + BELL_QUERIES - 3


def people_visible(viewer: Person, ids: set[int]) -> set[int]:
    return set(
        Person.objects.filter(organisation=viewer.organisation, pk__in=ids).values_list(
            "pk", flat=True
        )
    )


def teams_visible(viewer: Person, ids: set[int]) -> set[int]:
    return set(
        Team.objects.filter(organisation=viewer.organisation, pk__in=ids).values_list(
            "pk", flat=True
        )
    )


@pytest.fixture
def registered(monkeypatch: pytest.MonkeyPatch) -> None:
    # monkeypatch takes both checks out again after the test.
    monkeypatch.setitem(registry._checks, "people.person", people_visible)
    monkeypatch.setitem(registry._checks, "people.team", teams_visible)


class World:
    """The report's notifications: per row, one about a person, one about their team
    and one with no subject, and one for someone else."""

    def __init__(self, cast: Cast) -> None:
        self.cast = cast
        self.rows = 0

    def grow_to(self, rows: int) -> None:
        cast = self.cast
        team = cast.report.team
        while self.rows < rows:
            make_notification(cast.report, f"About a person {self.rows}", subject=cast.coach)
            make_notification(cast.report, f"About a team {self.rows}", subject=team)
            make_notification(cast.report, f"Plain {self.rows}")
            make_notification(cast.peer, f"Not theirs {self.rows}")
            self.rows += 1


@pytest.fixture(scope="module")
def worlds(module_db: None, django_db_blocker: Any) -> Worlds[World]:
    return build_worlds(lambda: World(make_cast()), django_db_blocker)


def test_the_bell_does_not_grow_with_notifications(
    db: None, worlds: Worlds[World], registered: None
) -> None:
    def prepare(world: World) -> Any:
        client = htmx(client_for(world.cast.report))

        def get() -> None:
            response = client.get(reverse("notifications:bell"))
            assert response.status_code == 200
            assert 'class="badge"' in response.content.decode()

        return get

    assert measure(worlds, prepare) == (BELL_QUERIES, BELL_QUERIES)


@pytest.mark.parametrize("params", [{}, {"page": "2"}])
def test_the_list_does_not_grow_with_notifications(
    db: None, worlds: Worlds[World], registered: None, params: dict[str, str]
) -> None:
    def prepare(world: World) -> Any:
        client = client_for(world.cast.report)

        def get() -> None:
            response = client.get(reverse("notifications:list"), params)
            assert response.status_code == 200
            assert "About a person" in response.content.decode() or params

        return get

    assert measure(worlds, prepare) == (LIST_QUERIES, LIST_QUERIES)
