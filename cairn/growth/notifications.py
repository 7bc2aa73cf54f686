"""Whether a recipient may still see what growth told them about
(``cairn.notifications.registry``): a plan shared with them, while the share stands.
Taking the share back deletes it, and the notification is no longer shown."""

from __future__ import annotations

from cairn.growth.models import PlanShare
from cairn.notifications.registry import visible_subjects
from cairn.people.models import Person


@visible_subjects("growth.planshare")
def plan_shares(viewer: Person, ids: set[int]) -> set[int]:
    return set(
        PlanShare.objects.visible_to(viewer)
        .filter(shared_with=viewer, pk__in=ids)
        .values_list("pk", flat=True)
    )
