"""Who sees and does what with coaching content: the who-sees-what table of
DESIGN.md, row by row.

| content                         | author | other party | managers | org admin |
|---------------------------------|--------|-------------|----------|-----------|
| private note                    | rw     | —           | —        | —         |
| shared notes, agenda            | rw     | rw          | —        | —         |
| action items                    | rw     | rw          | —        | —         |
| engagement existence, counseling| yes    | yes         | —        | —         |
| engagement existence, others    | yes    | yes         | yes      | yes       |

Reads are enforced by the ``visible_to`` querysets in ``models.py`` and the access
helpers below, which answer 404 for anything the viewer may not see, so existence
never leaks. Writes are checked again in ``services.py`` with the ``can_*``
functions here.
"""

from __future__ import annotations

from cairn.coaching.models import (
    ActionItem,
    AgendaItem,
    Engagement,
    EngagementStatus,
    Note,
    Session,
)
from cairn.lib.access import get_or_404
from cairn.people.models import Person

# --- reads -------------------------------------------------------------------------


def can_read_note(viewer: Person, note: Note) -> bool:
    if note.is_private:
        return note.author_id == viewer.pk
    return note.session.engagement.is_party(viewer)


def can_see_engagement_content(viewer: Person, engagement: Engagement) -> bool:
    """Sessions, shared notes, agenda and action items: the two parties only."""
    return engagement.is_party(viewer)


def can_know_engagement_exists(viewer: Person, engagement: Engagement) -> bool:
    return Engagement.objects.visible_to(viewer).filter(pk=engagement.pk).exists()


# --- writes ------------------------------------------------------------------------


def can_contribute(viewer: Person, engagement: Engagement) -> bool:
    """Add agenda points, notes and action items: either party, while it is open."""
    return engagement.is_party(viewer) and engagement.is_open


def can_change_agenda(viewer: Person, session: Session) -> bool:
    """Points are ticked off while the session runs; once it has ended its agenda is
    history, and what was not discussed lives on in the next session."""
    return can_contribute(viewer, session.engagement) and not session.is_completed


def can_schedule(viewer: Person, engagement: Engagement) -> bool:
    return engagement.is_party(viewer) and engagement.status in (
        EngagementStatus.AGREED,
        EngagementStatus.ACTIVE,
    )


def can_accept(viewer: Person, engagement: Engagement) -> bool:
    """The party who did not propose it agrees to it."""
    return (
        engagement.status == EngagementStatus.PROPOSED
        and engagement.is_party(viewer)
        and engagement.proposed_by_id != viewer.pk
    )


def can_tick_action_item(viewer: Person, item: ActionItem) -> bool:
    """Either party ticks an item off or reopens it, even after the engagement has
    closed: a commitment outlives the relationship it was made in, and it stays on
    its owner's home page until it is done."""
    return item.engagement.is_party(viewer)


def can_close(viewer: Person, engagement: Engagement) -> bool:
    return engagement.is_party(viewer) and engagement.is_open


def can_edit_note(viewer: Person, note: Note) -> bool:
    return note.author_id == viewer.pk


# --- access helpers: the object, or 404 -------------------------------------------


def get_engagement_for(viewer: Person, code: object) -> Engagement:
    """An engagement the viewer is a party to, or 404."""
    return get_or_404(
        Engagement.objects.for_party(viewer).select_related(
            "giver", "receiver", "template", "proposed_by"
        ),
        code=code,
    )


def get_session_for(viewer: Person, code: object) -> Session:
    return get_or_404(
        Session.objects.visible_to(viewer).select_related(
            "engagement__giver", "engagement__receiver", "template"
        ),
        code=code,
    )


# What the session page reads of an item's session, loaded with the item: its
# answers to htmx re-render part of that page.
_SESSION_PAGE = (
    "session__engagement__giver",
    "session__engagement__receiver",
    "session__template",
)


def get_agenda_item_for(viewer: Person, code: object) -> AgendaItem:
    return get_or_404(
        AgendaItem.objects.visible_to(viewer).select_related(*_SESSION_PAGE), code=code
    )


def get_note_for(viewer: Person, code: object) -> Note:
    return get_or_404(Note.objects.visible_to(viewer).select_related(*_SESSION_PAGE), code=code)


def get_action_item_for(viewer: Person, code: object) -> ActionItem:
    return get_or_404(
        ActionItem.objects.visible_to(viewer).select_related("engagement", "session"), code=code
    )
