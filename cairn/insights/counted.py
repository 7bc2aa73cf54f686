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

Nobody waits for a count that was made before: once figures are ``FRESH_FOR`` old,
the next viewer still gets them at once — the page says they are being counted
again — and the worker counts them afresh (``tasks.recount``, queued once per kept
count, with the key's ids and time zone as its only arguments; ``kept.py`` counts a
page from those ids, for the page and the worker alike). Kept figures are gone after
``KEPT_FOR``: whoever comes later (to a scope nobody opened for that long, or while
no worker runs) waits for the count. That needs a cache the worker shares
(production's table); with a process's own memory (the development server's) the
page counts them again itself once they are ``FRESH_FOR`` old.

A change (a session held, a person moved into or out of a manager's subtree — on the
team page, where line managers and engagements are named, a report moved away) shows
to the viewers after the worker's count that the first viewer past ``FRESH_FOR``
queues: within seconds of it while a worker runs, and never later than ``KEPT_FOR``
after the count shown. Losing every report, or a role, shows at once (no page). A
person's own insights (``/insights/``) are not kept: they are cheap, and a person
expects their own figures as they are.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import zlib
from dataclasses import dataclass, fields
from typing import Any, Generic, TypeVar

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.utils import timezone

from cairn.insights.developing import Recognised
from cairn.insights.figures import Figure, Pages, Row, Table
from cairn.insights.kept import COUNTERS
from cairn.insights.tables import Fairness

FRESH_FOR = dt.timedelta(minutes=15)
# Past FRESH_FOR, kept figures are still shown while the worker counts them again;
# past KEPT_FOR they are gone, and the next viewer waits for the count. One recount
# is queued per kept count: a worker that is down gets no pile of them.
KEPT_FOR = dt.timedelta(minutes=30)
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
    """A page's figures (what its counter in ``kept.py`` returns) and when they were
    counted; ``recounting`` when they are older than ``FRESH_FOR`` and being counted
    again."""

    figures: T
    at: dt.datetime
    recounting: bool = False

    @property
    def every_minutes(self) -> int:
        """How often the figures are counted again, for the page to say."""
        return int(FRESH_FOR.total_seconds() // 60)


Scope = tuple[int | None, ...]


def _key(page: str, scope: Scope, zone: str) -> str:
    return ":".join(["insights", page, *(str(part) for part in scope), zone])


def counted(page: str, *scope: int | None) -> Counted[Any]:
    """The figures of ``page`` (a name in ``kept.COUNTERS``) over ``scope`` — the
    counter's arguments: ids and page numbers in its order, ``None`` for "all" —
    counted now, or kept from an earlier count (then counted again by the worker if
    they are older than ``FRESH_FOR``). Ids, never names: two managers may share a
    name, never a key. The viewer's time zone is part of the key too: months and
    quarters are counted in it."""
    zone = timezone.get_current_timezone_name()
    key = _key(page, scope, zone)
    kept = caches[CACHE].get(key, version=SHAPE)
    if not isinstance(kept, Counted):
        return keep(page, scope, zone)
    if timezone.now() - kept.at < FRESH_FOR:
        return kept
    if isinstance(caches[CACHE], LocMemCache):
        # This process's own memory (a development server): a worker could not hand
        # its count back, so the page counts.
        return keep(page, scope, zone)
    cache = caches[CACHE]
    if cache.add(f"{key}:queued", True, KEPT_FOR.total_seconds(), version=SHAPE):
        from cairn.insights.tasks import recount  # the task module imports this one

        # A GET writes nothing: there is no commit to wait for.
        recount.enqueue(page, list(scope), zone)
        # A backend that runs the job at once (``CAIRN_TASKS_BACKEND``) has counted.
        now_kept = cache.get(key, version=SHAPE)
        if isinstance(now_kept, Counted) and now_kept.at > kept.at:
            return now_kept
    return dataclasses.replace(kept, recounting=True)


def keep(page: str, scope: Scope, zone: str) -> Counted[Any]:
    """Count ``page`` over ``scope`` now, in the current time zone (``zone``'s name,
    which is part of the key), and keep the figures for the next viewer."""
    key = _key(page, scope, zone)
    fresh = Counted(COUNTERS[page](*scope), timezone.now())
    cache = caches[CACHE]
    cache.set(key, fresh, KEPT_FOR.total_seconds(), version=SHAPE)
    cache.delete(f"{key}:queued", version=SHAPE)
    return fresh


def forget(page: str, scope: Scope, zone: str) -> None:
    """What is kept of ``page`` over ``scope`` is dropped (its scope is gone)."""
    key = _key(page, scope, zone)
    caches[CACHE].delete_many([key, f"{key}:queued"], version=SHAPE)


SHAPE = _shape()
