"""What a person wrote or owns in coaching, as portable data for their export.

The export app assembles one JSON document from every app's ``portable.py``. These
are coaching's sections, and they hold only what is the person's own:

- ``notes``: the notes they *wrote*, their private ones included. Never a note by the
  other party — not their private notes (which the person cannot even read) and not
  their shared ones either, which are the other party's writing.
- ``action_items``: the action items the person owns, whoever wrote them down.
- ``agreements``: every version of the agreements of engagements they are a party
  to — both parties accept an agreement, so it is each party's own — with who
  proposed and accepted it, by name, and its status.
- ``debriefs``: the debriefs they wrote. The other party's debrief is theirs.

An engagement, its session and the other party do not exist on another instance, so
each item names them in words (``engagement``, ``with``, ``session_at``) and carries
no database id or code. Times are ISO 8601 strings in UTC; items come in a fixed
order, so the same data exports to the same bytes.
"""

from __future__ import annotations

from typing import Any

from cairn.coaching.agreements import sponsor_sees_words
from cairn.coaching.models import ActionItem, AgreementVersion, Debrief, Engagement, Note
from cairn.lib.exporting import iso_utc
from cairn.people.models import Person

Item = dict[str, Any]


def _context(engagement: Engagement, person: Person) -> Item:
    """The engagement an item belongs to, in words: its kind, who the other party is,
    and which side of it the person is on."""
    other = engagement.receiver if engagement.giver_id == person.pk else engagement.giver
    return {
        "engagement": engagement.get_kind_display(),
        "with": other.name,
        "role": "giver" if engagement.giver_id == person.pk else "receiver",
    }


def export_notes(person: Person) -> list[Item]:
    notes = (
        Note.objects.visible_to(person)
        .filter(author=person)
        .select_related("session__engagement__giver", "session__engagement__receiver")
        .order_by("created_at", "session__scheduled_for", "code")
    )
    return [
        {
            **_context(note.session.engagement, person),
            "session_at": iso_utc(note.session.scheduled_for),
            "visibility": note.visibility,
            "body": note.body,
            "written_at": iso_utc(note.created_at),
        }
        for note in notes
    ]


def export_action_items(person: Person) -> list[Item]:
    items = (
        ActionItem.objects.visible_to(person)
        .filter(owner=person)
        .select_related("engagement__giver", "engagement__receiver", "session", "created_by")
        .order_by("due_on", "created_at", "code")
    )
    return [
        {
            **_context(item.engagement, person),
            "session_at": iso_utc(item.session.scheduled_for),
            "description": item.description,
            "due_on": item.due_on.isoformat(),
            "added_by": "self" if item.created_by_id == person.pk else item.created_by.name,
            "added_at": iso_utc(item.created_at),
            "done_at": iso_utc(item.done_at),
        }
        for item in items
    ]


def _who(who: Person | None, person: Person) -> str | None:
    if who is None:
        return None
    return "self" if who.pk == person.pk else who.name


def export_agreements(person: Person) -> list[Item]:
    versions = (
        AgreementVersion.objects.visible_to(person)
        .select_related("engagement__giver", "engagement__receiver", "proposed_by", "accepted_by")
        .order_by("engagement__created_at", "engagement__code", "number")
    )
    return [
        {
            **_context(version.engagement, person),
            "engagement_started_at": iso_utc(version.engagement.created_at),
            "version": version.number,
            "status": version.status,
            "purpose": version.purpose,
            "cadence": version.get_cadence_display(),
            "confidentiality": version.confidentiality,
            "advice_welcome": version.advice,
            "sponsor_sees": sponsor_sees_words(version.engagement.kind, version.sponsor_sees),
            "ending": version.ending,
            "ends_after_sessions": version.ends_after_sessions,
            "ends_on": version.ends_on.isoformat() if version.ends_on else None,
            "proposed_by": _who(version.proposed_by, person),
            "proposed_at": iso_utc(version.proposed_at),
            "accepted_by": _who(version.accepted_by, person),
            "accepted_at": iso_utc(version.accepted_at),
        }
        for version in versions
    ]


def export_debriefs(person: Person) -> list[Item]:
    debriefs = (
        Debrief.objects.visible_to(person)
        .filter(author=person)
        .select_related("engagement__giver", "engagement__receiver")
        .order_by("written_at", "code")
    )
    return [
        {
            **_context(debrief.engagement, person),
            "engagement_started_at": iso_utc(debrief.engagement.created_at),
            "engagement_closed_at": iso_utc(debrief.engagement.closed_at),
            "learnings": debrief.learnings,
            "distinctions": debrief.distinctions,
            "felt": debrief.felt,
            "next_steps": debrief.next_steps,
            "written_at": iso_utc(debrief.written_at),
        }
        for debrief in debriefs
    ]


def export_sections(person: Person) -> dict[str, list[Item]]:
    return {
        "notes": export_notes(person),
        "action_items": export_action_items(person),
        "agreements": export_agreements(person),
        "debriefs": export_debriefs(person),
    }
