"""Reversing a URL pattern once, not on every link (issue 15: a page of twenty rows
reversed its row links forty times a request, each a walk of the URL resolver).

``cached_reverse`` is ``django.urls.reverse`` for the links pages write most: a view
name with no arguments, or with UUID arguments (the ``<uuid:code>`` of every
object page). The first call for a view name reverses it with stand-in UUIDs and
keeps the URL cut where they stand; later calls put the real UUIDs in the cuts — a
UUID's text is the same wherever a converter puts it, and needs no quoting. Any
other call (keyword arguments, integers, strings) is ``reverse`` itself.

The cache is keyed by everything ``reverse`` reads besides the arguments: the view
name, the number of arguments, the current app, the URLconf (the request's and the
setting) and the script prefix; it is emptied whenever a setting changes (tests).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

# Stand-ins no real row has (uuid4 codes are random; these are version 4 too, so
# that a pattern checking the version accepts them).
_STAND_INS = tuple(uuid.UUID(f"5e171ae1-0000-4000-8000-{n:012x}") for n in range(1, 5))

# key -> the URL's text around the stand-ins (one more piece than arguments), or
# None where the URL cannot be cut that way (then ``reverse`` answers every time).
_cuts: dict[tuple[Any, ...], tuple[str, ...] | None] = {}


def cached_reverse(view_name: str, args: Sequence[Any] = (), current_app: str | None = None) -> str:
    """``reverse(view_name, args=args, current_app=current_app)``."""
    count = len(args)
    if count > len(_STAND_INS) or not all(type(arg) is uuid.UUID for arg in args):
        return reverse(view_name, args=args, current_app=current_app)
    key = (
        view_name,
        count,
        current_app,
        get_urlconf(),
        settings.ROOT_URLCONF,
        get_script_prefix(),
    )
    try:
        cuts = _cuts[key]
    except KeyError:
        # Raises NoReverseMatch as ``reverse`` does, and keeps nothing.
        cuts = _cut(reverse(view_name, args=_STAND_INS[:count], current_app=current_app), count)
        _cuts[key] = cuts
    if cuts is None:
        return reverse(view_name, args=args, current_app=current_app)
    if not count:
        return cuts[0]
    pieces = [cuts[0]]
    for arg, after in zip(args, cuts[1:], strict=True):
        pieces += (str(arg), after)
    return "".join(pieces)


def _cut(url: str, count: int) -> tuple[str, ...] | None:
    """The URL's text around the stand-ins, each found once and in order; None
    otherwise."""
    pieces: list[str] = []
    rest = url
    for stand_in in _STAND_INS[:count]:
        text = str(stand_in)
        if url.count(text) != 1 or text not in rest:
            return None
        before, rest = rest.split(text, 1)
        pieces.append(before)
    pieces.append(rest)
    return tuple(pieces)


@receiver(setting_changed, dispatch_uid="cairn.lib.links.forget")
def _forget(**_: Any) -> None:
    _cuts.clear()


def forget() -> None:
    """Empty the cache (after changing URL patterns in place)."""
    _cuts.clear()
