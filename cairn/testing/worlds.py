"""Query-count bounds: the same request counted in a world of one row and in a world
of fifty, both built once per module (on ``module_db``) and copied for each test."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, NamedTuple, Protocol, TypeVar

from cairn.testing.http import count_queries

SMALL, LARGE = 1, 50


class Growable(Protocol):
    def grow_to(self, rows: int) -> None: ...


W = TypeVar("W", bound=Growable)


class Worlds(NamedTuple, Generic[W]):
    small: W
    large: W


def build_worlds(make_world: Callable[[], W], django_db_blocker: Any) -> Worlds[W]:
    """Two worlds, each from ``make_world`` (with a cast, so an organisation, of its
    own), grown to SMALL and LARGE rows. For a module fixture on ``module_db``."""
    with django_db_blocker.unblock():
        small, large = make_world(), make_world()
        small.grow_to(SMALL)
        large.grow_to(LARGE)
    return Worlds(small, large)


def measure(worlds: Worlds[W], prepare: Callable[[W], Callable[[], object]]) -> tuple[int, int]:
    """Queries of the request that ``prepare`` makes ready for a world, in the world
    with SMALL rows and in the one with LARGE rows."""
    small, large = prepare(worlds.small), prepare(worlds.large)
    small()  # warm up: anything cached per process is not the page's cost
    return count_queries(small), count_queries(large)
