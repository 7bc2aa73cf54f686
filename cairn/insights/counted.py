"""The leaders' figures, counted at most every ``FRESH_FOR``: a page over a whole
organisation reads a year of sessions and a quarter of every engagement (about 1.5 s
at 10,000 people), so its tables are kept, once counted, for the next leader who
opens the same scope, in a cache of their own (``CACHE``: settings.CACHES, a table of
the database in production). The page says when they were counted.

What is kept is what the page shows: tables of counts, already suppressed and
guarded for the scope (``figures.py``) — never a row of content, never a figure for
one person that the scope would not show. The key names the organisation, the scope
(the whole organisation, the subtree under one person, a team within either), the
page's own parameters and the viewer's time zone; who may see a scope is decided on
every request before the key is read, so a person who loses their reach loses the
page at once, and the figures of a scope are the same whoever of those allowed to
see it asks.

A change (a session held, a person moved into or out of a manager's subtree) shows
in the figures at most ``FRESH_FOR`` later; losing every report, or a role, shows at
once (no page). A person's own insights (``/insights/``) are not kept: they are
cheap, and a person expects their own figures as they are.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Generic, TypeVar

from django.core.cache import caches
from django.utils import timezone

from cairn.insights.developing import Recognised
from cairn.insights.figures import Figure, Pages, Row, Table
from cairn.insights.tables import Fairness

FRESH_FOR = dt.timedelta(minutes=15)
# Its own cache (settings.CACHES): however many scopes are kept, they never push out
# the sign-in throttle's counters, which live in the default one.
CACHE = "insights"


def _shape() -> int:
    """The shape of what is kept — the fields of every class pickled — as the cache's
    version: a deployment that changes one never reads tables pickled before it."""
    kept = (Counted, Table, Row, Figure, Pages, Fairness, Recognised)
    names = [(cls.__name__, [f.name for f in fields(cls)]) for cls in kept]
    return zlib.crc32(repr(names).encode())


T = TypeVar("T")


@dataclass(frozen=True)
class Counted(Generic[T]):
    figures: T
    at: dt.datetime

    @property
    def every_minutes(self) -> int:
        """How often the figures are counted again, for the page to say."""
        return int(FRESH_FOR.total_seconds() // 60)


def counted(page: str, *scope: int | None, count: Callable[[], T]) -> Counted[T]:
    """``count()``'s figures for ``page`` over ``scope`` — ids and page numbers in a
    fixed order, ``None`` for "all" — counted now or at most ``FRESH_FOR`` ago. Ids,
    never names: two managers may share a name, never a key. The viewer's time zone
    is part of the key too: months and quarters are counted in it."""
    zone = timezone.get_current_timezone_name()
    key = ":".join(["insights", page, *(str(part) for part in scope), zone])
    cache = caches[CACHE]
    kept = cache.get(key, version=SHAPE)
    if isinstance(kept, Counted):
        return kept
    fresh = Counted(count(), timezone.now())
    cache.set(key, fresh, FRESH_FOR.total_seconds(), version=SHAPE)
    return fresh


SHAPE = _shape()
