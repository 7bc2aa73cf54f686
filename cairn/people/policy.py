"""Who may see and do what with people, teams, reporting lines and roles.

The directory (name, title, team, manager) is open within an organisation and closed
to everyone outside it. Managing people is for org admins, who see no coaching
content for it: that policy lives in ``cairn.coaching.policy``.

| content                           | the person | org admins of the organisation | others |
|-----------------------------------|------------|--------------------------------|--------|
| directory entry: name, title,     | read       | read, edit                     | read   |
|   team, manager                   |            |                                | (same  |
|                                   |            |                                | org)   |
| people pickers' search (name,     | read       | read                           | read   |
|   title, code of *active* people; |            |                                | (same  |
|   ``pickers.py``, ``views.pick``) |            |                                | org)   |
| roles: org admin                  | —          | give, take away, at once       | —      |
| roles: program admin, HR (they    | —          | ask for one (a *second* org    | —      |
|   read content)                   |            | admin confirms); take away at  |        |
|                                   |            | once                           |        |
| role changes (who, which role,    | —          | read, never edit; confirm or   | — 404  |
|   what happened, by whom, when)   |            | decline a grant someone else   |        |
|   and grants waiting              |            | asked for                      |        |
| the password                      | choose (an | never set nor learn: adding a  | —      |
|                                   | emailed    | person emails them an          |        |
|                                   | invitation)| invitation (``accounts.py``)   |        |
|                                   | change,    |                                |        |
|                                   | reset      |                                |        |
| sign-in records (``SignInEvent``) | read (own  | — never                        | —      |
|   and two-factor sign-in          | security   | require two-factor for the     |        |
|   (``security_views``)            | page), turn| organisation                   |        |
|                                   | on and off |                                |        |

Nobody gives themselves, or anyone on their own, a role that reads content
(``CONTENT_ROLES``): the org admin who asks cannot confirm. The operator of the
instance (command line, demo, a Django superuser) grants directly, and is recorded
too.
"""

from __future__ import annotations

from uuid import UUID

from cairn.lib.access import get_or_404
from cairn.people.models import Person, RoleGrant


def can_manage_people(viewer: Person) -> bool:
    return viewer.is_org_admin


def can_decide_grants(viewer: Person) -> bool:
    """Org admins confirm or decline the roles that read content — never one they
    asked for themselves (``services.confirm_grant`` holds that rule)."""
    return viewer.is_org_admin


def get_grant_for(viewer: Person, code: UUID | str) -> RoleGrant:
    """A role grant of the viewer's organisation, for its org admins; 404 otherwise."""
    return get_or_404(RoleGrant.objects.visible_to(viewer).select_related("person"), code=code)


def get_person_for(viewer: Person, code: UUID | str) -> Person:
    """The person with this code in the viewer's organisation, or 404 — the same
    answer for "no such person" and "someone in another organisation"."""
    return get_or_404(
        Person.objects.visible_to(viewer).select_related("user", "team", "manager"), code=code
    )
