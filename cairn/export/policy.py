"""Who may export and import what.

| content                     | the person                 | anyone else                |
|-----------------------------|----------------------------|----------------------------|
| their export                | download                   | —                          |
| importing into their data   | yes, their own export only | — (1)                      |
| an upload awaiting import   | read (2), confirm, cancel  | — (404)                    |
| imported items and imports  | read                       | —                          |

(1) Managers, admins, the other party: no. The command line, run by whoever runs the
instance, imports for the person it names, and imports another person's export only
with ``--restore-for-another-person``, which its output repeats.
(2) Whose export it is (name, title, organisation, when) and how many items of each
kind: never the items themselves.

An export holds only what its person owns or wrote (each app's ``portable`` module
decides, from its own ``visible_to`` rules); there is no URL or command-line option
that exports anybody but the person signed in (the command line, run by whoever
runs the instance, names the person).

An import shows whose export a file is before anything is written, and refuses
another person's export (the rule is ``cairn.export.services.whose``).
"""

from __future__ import annotations

from uuid import UUID

from cairn.export.models import PendingImport
from cairn.lib.access import get_or_404
from cairn.people.models import Person


def can_import(actor: Person, person: Person) -> bool:
    return actor.pk == person.pk


def get_pending_for(viewer: Person, code: UUID | str) -> PendingImport:
    """The viewer's own upload awaiting confirmation, or 404 (someone else's too)."""
    return get_or_404(PendingImport.objects.visible_to(viewer), code=code)
