"""Whether a recipient may still see what mentoring told them about
(``cairn.notifications.registry``): a request and a published pair, each through its
``visible_to``."""

from __future__ import annotations

from cairn.mentoring.models import Match, MentoringRequest
from cairn.notifications.registry import visible_subjects
from cairn.people.models import Person


@visible_subjects("mentoring.mentoringrequest")
def requests(viewer: Person, ids: set[int]) -> set[int]:
    return set(
        MentoringRequest.objects.visible_to(viewer).filter(pk__in=ids).values_list("pk", flat=True)
    )


@visible_subjects("mentoring.match")
def matches(viewer: Person, ids: set[int]) -> set[int]:
    return set(Match.objects.visible_to(viewer).filter(pk__in=ids).values_list("pk", flat=True))
