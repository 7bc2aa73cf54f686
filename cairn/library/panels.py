"""The library's panels on the coaching session page (see ``cairn.lib.panels``).

The session page is shown to the session's parties only; each panel links to a
library view that checks that again."""

from __future__ import annotations

from typing import Any

from cairn.coaching.models import Session, TemplateSection
from cairn.lib.panels import panel
from cairn.library.modes import offers_stories, reminds_about_advice
from cairn.people.decorators import PersonRequest


@panel("session.section", "library/_panel_section_questions.html")
def section_questions(
    request: PersonRequest, *, session: Session, section: TemplateSection
) -> dict[str, Any]:
    """A link to more questions from the bank for one section of the template."""
    return {}


@panel("session.template", "library/_panel_session_template.html")
def suggestions(request: PersonRequest, *, session: Session) -> dict[str, Any]:
    """Where suggested questions appear, and stories for a mentoring session."""
    return {"offers_stories": offers_stories(session.engagement)}


@panel("session.notes", "library/_panel_advice.html")
def advice_reminder(request: PersonRequest, *, session: Session) -> dict[str, Any] | None:
    """The giver is reminded, as they write a note, when it reads like advice, while
    the agreement in force does not welcome advice (see ``cairn.library.modes``)."""
    engagement = session.engagement
    # The giver first: the receiver's page costs no query for the agreement.
    if engagement.giver_id != request.person.pk or not reminds_about_advice(engagement):
        return None
    return {}
