"""Whether a recipient may still see the story the library told them about
(``cairn.notifications.registry``), through ``Story.objects.visible_to``: a reviewer
who no longer reviews stops seeing a story in review, and the notification with it."""

from __future__ import annotations

from cairn.library.models import Story
from cairn.notifications.registry import visible_subjects
from cairn.people.models import Person


@visible_subjects("library.story")
def stories(viewer: Person, ids: set[int]) -> set[int]:
    return set(Story.objects.visible_to(viewer).filter(pk__in=ids).values_list("pk", flat=True))
