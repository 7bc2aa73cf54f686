"""Coaching's panels on other apps' pages (see ``cairn.lib.panels``)."""

from __future__ import annotations

from typing import Any

from cairn.coaching import policy
from cairn.coaching.models import Engagement
from cairn.lib.panels import panel
from cairn.people.decorators import PersonRequest
from cairn.people.models import Person


@panel("person.main", "coaching/_person_engagements.html")
def person_engagements(request: PersonRequest, *, person: Person) -> dict[str, Any]:
    """The engagements of a person whose existence the viewer may know of (never
    their content), with a link to a sponsor summary where the agreement grants one."""
    me = request.person
    engagements = list(
        Engagement.objects.of_person_visible_to(me, person)
        .select_related("giver", "receiver")
        .order_by("status", "kind")
    )
    return {
        "engagements": engagements,
        "sponsored": policy.sponsor_summaries(me, engagements),
    }
