"""Reflections, action items and private notes of a group debrief are encrypted at
rest: a plain SQL read of every table holds none of their text, while the product
reads each back as written. (The title is the host's name for the meeting, shown in
notifications, and is not encrypted.)"""

from __future__ import annotations

from cairn.debriefs.models import DebriefActionItem, DebriefNote, Reflection
from cairn.debriefs.tests.factories import ACTION, NOTE_REPORT, REFLECTION_REPORT, World
from cairn.testing.stored import every_cell


def _bytes(value: str | bytes | memoryview) -> bytes:
    return value.encode() if isinstance(value, str) else bytes(value)


def test_a_plain_sql_read_shows_no_reflection_action_or_note(after: World) -> None:
    leaks = [
        (table, value)
        for table, value in every_cell()
        if isinstance(value, str | bytes | memoryview) and b"CANARY" in _bytes(value)
    ]
    assert leaks == []
    cast = after.cast
    assert Reflection.objects.get(author=cast.report).happened == REFLECTION_REPORT
    assert DebriefNote.objects.get(author=cast.report).body == NOTE_REPORT
    assert DebriefActionItem.objects.get().description == ACTION
