"""Feedback's panels on other apps' pages (see ``cairn.lib.panels``)."""

from __future__ import annotations

from typing import Any

from cairn.coaching.models import Session
from cairn.feedback.forms import SessionHelpedForm
from cairn.feedback.models import SessionFeedback
from cairn.feedback.policy import can_say_if_session_helped
from cairn.lib.panels import panel
from cairn.people.decorators import PersonRequest


@panel("session.main", "feedback/_session_helped.html", order=50)
def session_helped(request: PersonRequest, *, session: Session) -> dict[str, Any] | None:
    """For the person coached, once the session has ended: did it help? The giver
    sees nothing here (their total is on their feedback page)."""
    me = request.person
    if not can_say_if_session_helped(me, session):
        return None
    row = SessionFeedback.objects.visible_to(me).filter(session=session).first()
    return {
        "session": session,
        "helped_row": row,
        "helped_form": None if row else SessionHelpedForm(),
    }
