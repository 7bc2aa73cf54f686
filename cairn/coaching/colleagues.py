"""The people pickers' "people you work with": the other parties of your open
engagements (coaches, mentors, mentees, counsellors), registered with
:func:`cairn.people.pickers.works_with` from ``CoachingConfig.ready``."""

from __future__ import annotations

from django.db.models import Q

from cairn.coaching.models import Engagement
from cairn.people.models import Person
from cairn.people.pickers import works_with


@works_with
def engagement_parties(viewer: Person) -> Q:
    mine = Engagement.objects.for_party(viewer).open()
    return Q(pk__in=mine.values("giver_id")) | Q(pk__in=mine.values("receiver_id"))
