"""Who sees and does what with tags.

| content    | everyone in the organisation | program admins | another organisation |
|------------|------------------------------|----------------|----------------------|
| built-in   | read                         | read           | read                 |
| org's own  | read                         | read, add      | —                    |

Tags are shared vocabulary, not private content: ``Tag.objects.visible_to`` only
keeps organisations apart. Program admins add their organisation's own, from the
library's question bank or from mentoring; the word is then in both.
"""

from __future__ import annotations

from cairn.people.models import Person


def can_manage_tags(viewer: Person) -> bool:
    return viewer.is_program_admin
