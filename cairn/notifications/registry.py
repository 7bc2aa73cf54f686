"""Whether a recipient may still see what a notification is about.

``cairn.notifications`` sits below the apps whose things it tells of, so it cannot
ask them directly. Each app that notifies about its things registers, from its own
``notifications.py`` (imported by its ``AppConfig.ready``), one check per subject type:

    @visible_subjects("growth.plan")
    def plans_still_shared(viewer: Person, ids: set[int]) -> set[int]:
        return set(DevelopmentPlan.objects.visible_to(viewer).filter(pk__in=ids)...)

A check gets the viewer and the ids of one subject type and returns those the viewer
may still see — one query for a whole page of notifications. A notification whose
subject is gone, or hidden from its recipient now (a plan taken back, a counseling
engagement the recipient is no party to), is not shown. A subject type nobody
registered is shown to nobody: a new kind fails closed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cairn.notifications.models import Notification
    from cairn.people.models import Person

Check = Callable[["Person", set[int]], set[int]]

_checks: dict[str, Check] = {}


def visible_subjects(subject_type: str) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        _checks[subject_type] = check
        return check

    return register


def still_visible(viewer: Person, notifications: Iterable[Notification]) -> list[Notification]:
    """Those of ``notifications`` whose subject ``viewer`` may still see (a
    notification with no subject is always shown), in their order."""
    rows = list(notifications)
    wanted: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        if row.subject_type and row.subject_id is not None:
            wanted[row.subject_type].add(row.subject_id)
    seen: dict[str, set[int]] = {
        subject_type: (_checks[subject_type](viewer, ids) if subject_type in _checks else set())
        for subject_type, ids in wanted.items()
    }
    return [
        row
        for row in rows
        if not row.subject_type or row.subject_id in seen.get(row.subject_type, set())
    ]


def subject_type_of(obj: object) -> str:
    meta = obj._meta  # type: ignore[attr-defined]
    return f"{meta.app_label}.{meta.model_name}"
