"""Who may see and do what with people, teams and reporting lines.

The directory (name, title, team, manager) is open within an organisation and closed
to everyone outside it. Managing people is for org admins, who see no coaching
content for it: that policy lives in ``cairn.coaching.policy``.
"""

from __future__ import annotations

from uuid import UUID

from cairn.lib.access import get_or_404
from cairn.people.models import Person


def can_manage_people(viewer: Person) -> bool:
    return viewer.is_org_admin


def get_person_for(viewer: Person, code: UUID | str) -> Person:
    """The person with this code in the viewer's organisation, or 404 — the same
    answer for "no such person" and "someone in another organisation"."""
    return get_or_404(
        Person.objects.visible_to(viewer).select_related("user", "team", "manager"), code=code
    )
