"""The access log costs the same queries with 1 record and with 50 (and with a
full page and a second one): no query per row.

Three queries say who is asking (session, user, person); the page then counts the
records (for the pager) and reads one page of them; the bell in the
navigation reads the viewer's unread notifications."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from cairn.testing import Cast, client_for, make_cast
from cairn.testing.worlds import Worlds, build_worlds, measure
from cairn.trust.models import Kind
from cairn.trust.tests.factories import make_record

BOUND = 6


class World:
    """The report's log: per row, a read of their plan by someone else (each a new
    reader), and a read of someone else's plan (not theirs to see)."""

    def __init__(self, cast: Cast) -> None:
        self.cast = cast
        self.rows = 0

    def grow_to(self, rows: int) -> None:
        cast = self.cast
        while self.rows < rows:
            make_record(cast.report, cast.coach, Kind.DEVELOPMENT_PLAN, via=f"/r/{self.rows}/")
            make_record(cast.peer, cast.coach, Kind.OBJECTIVE, via=f"/p/{self.rows}/")
            self.rows += 1


@pytest.fixture(scope="module")
def worlds(module_db: None, django_db_blocker: Any) -> Worlds[World]:
    return build_worlds(lambda: World(make_cast()), django_db_blocker)


@pytest.mark.parametrize("params", [{}, {"kind": "development_plan"}, {"page": "2"}])
def test_the_log_does_not_grow_with_records(
    db: None, worlds: Worlds[World], params: dict[str, str]
) -> None:
    def prepare(world: World) -> Any:
        client = client_for(world.cast.report)

        def get() -> None:
            assert client.get(reverse("trust:log"), params).status_code == 200

        return get

    small, large = measure(worlds, prepare)
    assert small == large
    assert large <= BOUND
