"""Whether a recipient may still see what mastery told them about
(``cairn.notifications.registry``): someone's assessments shared with them, while
the share stands. Taking the share back deletes it, and the notification goes."""

from __future__ import annotations

from cairn.mastery.models import AssessmentShare
from cairn.notifications.registry import visible_subjects
from cairn.people.models import Person


@visible_subjects("mastery.assessmentshare")
def assessment_shares(viewer: Person, ids: set[int]) -> set[int]:
    return set(
        AssessmentShare.objects.visible_to(viewer)
        .filter(shared_with=viewer, pk__in=ids)
        .values_list("pk", flat=True)
    )
