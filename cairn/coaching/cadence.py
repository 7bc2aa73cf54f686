"""Whether an engagement keeps its cadence: when its parties last met, and the gaps
between meetings longer than one and a half times the agreed cadence ("missed").

One pass over the engagement's sessions the page has read already: no query here.
Shown to the two parties only (the engagement page); a sponsor's summary carries
none of it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from cairn.coaching.models import Cadence, Session

# A gap longer than this many cadence intervals counts as a missed beat.
MISSED_AFTER = 1.5


@dataclass(frozen=True)
class CadenceRecord:
    cadence: str
    # When the last session held was held, and how many days ago (viewer's dates).
    last_met: dt.datetime | None = None
    days_since: int | None = None
    # The gap since then, in days, when it is already too long; else None.
    missed_now: int | None = None
    # Session pk → the days since the meeting before it, for gaps too long.
    missed_before: dict[int, int] = field(default_factory=dict)

    @property
    def cadence_words(self) -> str:
        return str(Cadence(self.cadence).label).lower()


def _days(earlier: dt.datetime, later: dt.datetime) -> int:
    return (timezone.localdate(later) - timezone.localdate(earlier)).days


def cadence_record(
    sessions: Iterable[Session], cadence: str, *, is_open: bool, now: dt.datetime
) -> CadenceRecord:
    """The record of ``sessions`` (any order) against ``cadence``. The current gap
    counts only while the engagement is open."""
    limit = Cadence(cadence).interval * MISSED_AFTER
    held = sorted(
        ((s.met_at, s) for s in sessions if s.met_at is not None), key=lambda pair: pair[0]
    )
    missed: dict[int, int] = {}
    for (before, _), (after, session) in itertools.pairwise(held):
        if after - before > limit:
            missed[session.pk] = _days(before, after)
    if not held:
        return CadenceRecord(cadence, missed_before=missed)
    last = held[-1][0]
    missed_now = _days(last, now) if is_open and now - last > limit else None
    return CadenceRecord(
        cadence,
        last_met=last,
        days_since=max(_days(last, now), 0),
        missed_now=missed_now,
        missed_before=missed,
    )
