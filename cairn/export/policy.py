"""Who may export and import what.

| content                     | the person | anyone else (managers, admins, the other party) |
|-----------------------------|------------|--------------------------------------------------|
| their export                | download   | —                                                |
| importing into their data   | yes        | —                                                |
| imported items and imports  | read       | —                                                |

An export holds only what its person owns or wrote (each app's ``portable`` module
decides, from its own ``visible_to`` rules); there is no URL or command-line option
that exports anybody but the person signed in (the command line, run by whoever
runs the instance, names the person).
"""

from __future__ import annotations

from cairn.people.models import Person


def can_import(actor: Person, person: Person) -> bool:
    return actor.pk == person.pk
