"""Whether a recipient may still see what debriefs told them about
(``cairn.notifications.registry``): a debrief while they are in its group, and an
action item of a debrief whose group they are in. A member who declines stops
seeing the notifications of that debrief."""

from __future__ import annotations

from cairn.debriefs.models import DebriefActionItem, GroupDebrief
from cairn.notifications.registry import visible_subjects
from cairn.people.models import Person


@visible_subjects("debriefs.groupdebrief")
def debriefs(viewer: Person, ids: set[int]) -> set[int]:
    return set(
        GroupDebrief.objects.visible_to(viewer).filter(pk__in=ids).values_list("pk", flat=True)
    )


@visible_subjects("debriefs.debriefactionitem")
def action_items(viewer: Person, ids: set[int]) -> set[int]:
    return set(
        DebriefActionItem.objects.visible_to(viewer).filter(pk__in=ids).values_list("pk", flat=True)
    )
