"""A person's part of group debriefs, as portable data (docs/export-format.md): the
reflections they wrote, their private notes, and the action items they own — never
another member's reflection or note.

* ``group_debrief_reflections``: each reflection they wrote, with the debrief's title,
  kind and time.
* ``group_debrief_notes``: their private notes, with the debrief's title.
* ``group_debrief_action_items``: the action items given to them.

Nothing here is imported back (the group does not exist on another instance); the
export app keeps these sections verbatim.
"""

from __future__ import annotations

from typing import Any

from cairn.debriefs.models import DebriefActionItem, DebriefNote, GroupDebrief, Reflection
from cairn.lib.exporting import iso_utc
from cairn.people.models import Person

Item = dict[str, Any]


def _debrief(debrief: GroupDebrief) -> Item:
    return {"debrief": debrief.title, "kind": debrief.kind, "opens_at": iso_utc(debrief.opens_at)}


def export_sections(person: Person) -> dict[str, list[Item]]:
    reflections = [
        {
            **_debrief(row.debrief),
            "happened": row.happened,
            "learned": row.learned,
            "change": row.change,
            "written_at": iso_utc(row.written_at),
        }
        for row in Reflection.objects.filter(author=person)
        .select_related("debrief")
        .order_by("debrief__opens_at", "id")
    ]
    notes = [
        {**_debrief(row.debrief), "body": row.body, "created_at": iso_utc(row.created_at)}
        for row in DebriefNote.objects.visible_to(person)
        .select_related("debrief")
        .order_by("created_at", "id")
    ]
    actions = [
        {
            **_debrief(row.debrief),
            "description": row.description,
            "due_on": row.due_on.isoformat(),
            "done_at": iso_utc(row.done_at),
        }
        for row in DebriefActionItem.objects.filter(owner=person)
        .select_related("debrief")
        .order_by("due_on", "id")
    ]
    return {
        "group_debrief_reflections": reflections,
        "group_debrief_notes": notes,
        "group_debrief_action_items": actions,
    }
