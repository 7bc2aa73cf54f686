"""Growth's panels on other apps' pages (see ``cairn.lib.panels``)."""

from __future__ import annotations

from typing import Any

from cairn.coaching.models import Session
from cairn.growth.policy import objectives_for_session
from cairn.lib.panels import panel
from cairn.people.decorators import PersonRequest


@panel("session.main", "growth/_session_objectives.html", order=10)
def session_objectives(request: PersonRequest, *, session: Session) -> dict[str, Any]:
    """The objectives linked to the session that the viewer may read."""
    return {"growth_objectives": objectives_for_session(request.person, session)}
