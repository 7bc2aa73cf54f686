"""Growth's panels on other apps' pages (see ``cairn.lib.panels``)."""

from __future__ import annotations

from typing import Any

from cairn.coaching.models import Session
from cairn.growth.policy import objectives_for_session
from cairn.lib.panels import panel
from cairn.people.decorators import PersonRequest
from cairn.trust.models import Kind
from cairn.trust.services import record_reads


@panel("session.main", "growth/_session_objectives.html", order=10)
def session_objectives(request: PersonRequest, *, session: Session) -> dict[str, Any]:
    """The objectives linked to the session that the viewer may read. Those of a plan
    shared with the viewer are a read of its owner's objectives, for their access
    log (one row per owner: nothing when the viewer reads only their own)."""
    objectives = list(objectives_for_session(request.person, session))
    others = [o.plan.owner for o in objectives if o.plan.owner_id != request.person.pk]
    if others:
        record_reads(request, others, Kind.OBJECTIVE)
    return {"growth_objectives": objectives}
