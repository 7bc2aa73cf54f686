"""Who sees and does what with coaching content: the who-sees-what table of
docs/design.md, row by row.

| content                         | author | other party | managers | org admin |
|---------------------------------|--------|-------------|----------|-----------|
| private note                    | rw     | —           | —        | —         |
| shared notes, agenda            | rw     | r, add      | —        | —         |
| action items                    | rw     | rw          | —        | —         |
| engagement existence, counseling| yes    | yes         | —        | —         |
| engagement existence, others    | yes    | yes         | yes      | yes       |
| agreement                       | r, accept | r, accept  | sponsor* | —         |
| debrief                         | rw (own)  | blind†     | —        | —         |
| sessions: schedule, move, cancel, skip | yes | yes  | —        | —         |
| reason for a move/cancel/skip§  | rw     | r           | —        | —         |
| decline a proposal, its reason§ | decline (the party it waits for) | r (proposer) | — | — |
| last met, missed gaps           | r      | r           | —        | —         |
| stalled: told, banner (stalled.py) | r   | r           | —        | —         |
| calendar feed, invitations‡     | own    | own         | —        | —         |
| leader's tips put away§         | own    | —           | —        | —         |

* the sponsor summary only, field by field as the agreement in force grants it; a
  manager's read of it is recorded for the receiver (``cairn.trust``).
† the other party's debrief shows once the reader has written their own, or
  ``DEBRIEF_BLIND_FOR`` (14 days) after the engagement closed; until then only that
  it has been written (``other_has_written_debrief``), never its text.

‡ a person's feed (``calendar.py``) holds their sessions and their own open action
  items as a title (kind and names), a time and a link, never content; anyone with
  its secret address reads it, and a reset stops the old address at once. Each
  party gets an invitation when a session is scheduled, moved or cancelled.

Everyday editing: a note and an agenda point are their author's to edit or remove
(the other party reads a shared one and adds their own, never changes the author's
words); an edited shared note says when it was edited to both. An agenda point
changes only while its session has not ended: an ended session's agenda is history.
A note stays its author's to edit or remove, even after the session ended. Action
items are both parties' to edit, reassign (to either of the two) or remove while
the engagement is open.

§ reasons are encrypted at rest and shown on the session and engagement pages to
  the two parties only; emails, calendars and notifications carry the kind of
  change, names and the time, never the reason (``services._tell_other_party``).
  A declined proposal is a closed engagement with ``declined_at``: never open, no
  debrief, and either party may propose again.

"Managers" are the receiver's management chain (``managers_of``). The sponsor
summary carries only the fields the agreement in force grants
(``agreements.SPONSOR_FIELDS``): the status and cadence, and also the purpose and
session dates. It is a 404 when it grants nothing, and always for counseling, whose
existence managers do not even know of and whose agreement can grant nothing. It
never shows notes, agenda, action items or the confidentiality text.

§ the leader (the giver) reads the template's practice tips, never in counseling,
  and puts them away or brings them back for themselves (``tips.py``); the other
  party never sees them. Each side reads its own prompts: the leader's "share first"
  prompts where a section has them, the questions otherwise.

Reads are enforced by the ``visible_to`` querysets in ``models.py`` and the access
helpers below, which answer 404 for anything the viewer may not see, so existence
never leaks. Writes are checked again in ``services.py`` with the ``can_*``
functions here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404

from cairn.coaching.agreements import SPONSOR_FIELDS, version_in_force
from cairn.coaching.models import (
    DEBRIEF_BLIND_FOR,
    ActionItem,
    AgendaItem,
    AgreementVersion,
    Debrief,
    Engagement,
    EngagementKind,
    EngagementStatus,
    Note,
    NoteVisibility,
    Session,
    SponsorSees,
    VersionStatus,
)
from cairn.lib.access import get_or_404
from cairn.people.models import Person, managers_of

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


def can_accept(
    viewer: Person, engagement: Engagement, pending: AgreementVersion | None = None
) -> bool:
    """The party who did not propose it agrees to it: for kinds with an agreement,
    the party who did not propose the agreement version waiting to be accepted
    (``pending``, looked up when not given)."""
    if engagement.status != EngagementStatus.PROPOSED or not engagement.is_party(viewer):
        return False
    if not engagement.needs_agreement:
        return engagement.proposed_by_id != viewer.pk
    if pending is None:
        pending = engagement.agreement_versions.pending().first()
    return pending is not None and pending.proposed_by_id != viewer.pk


def can_propose_amendment(viewer: Person, engagement: Engagement) -> bool:
    """Either party proposes a new version of the agreement; whether the engagement
    is still open is a domain rule the service explains (``ValidationError``)."""
    return engagement.is_party(viewer) and engagement.needs_agreement


def can_accept_version(viewer: Person, version: AgreementVersion) -> bool:
    """The party who did not propose a waiting version accepts it, while open."""
    return (
        version.status == VersionStatus.PENDING
        and version.engagement.is_party(viewer)
        and version.engagement.is_open
        and version.proposed_by_id != viewer.pk
    )


def can_write_debrief(viewer: Person, engagement: Engagement) -> bool:
    """Each party writes their own debrief, once the engagement has closed."""
    return (
        engagement.is_party(viewer)
        and engagement.status == EngagementStatus.CLOSED
        # A declined proposal was never held: nothing to take away.
        and not engagement.is_declined
    )


def other_has_written_debrief(viewer: Person, engagement: Engagement) -> bool:
    """Whether the other party has written their debrief — never what it says, which
    stays hidden until the viewer has written theirs (see ``Debrief.visible_to``)."""
    if not engagement.is_party(viewer):
        return False
    return Debrief.objects.filter(engagement=engagement).exclude(author=viewer).exists()


def debriefs_shown_from(engagement: Engagement) -> dt.datetime | None:
    """When both debriefs show to both parties whoever has written: a fixed time
    after closing (``DEBRIEF_BLIND_FOR``); None while the engagement is open."""
    if engagement.closed_at is None:
        return None
    return engagement.closed_at + DEBRIEF_BLIND_FOR


def can_tick_action_item(viewer: Person, item: ActionItem) -> bool:
    """Either party ticks an item off or reopens it, even after the engagement has
    closed: a commitment outlives the relationship it was made in, and it stays on
    its owner's home page until it is done."""
    return item.engagement.is_party(viewer)


def can_close(viewer: Person, engagement: Engagement) -> bool:
    return engagement.is_party(viewer) and engagement.is_open


def can_edit_note(viewer: Person, note: Note) -> bool:
    """Edit or remove a note: its author alone, whenever (it is their writing)."""
    return note.author_id == viewer.pk


def is_agenda_item_author(viewer: Person, item: AgendaItem) -> bool:
    """Only its author edits or removes a talking point; the other party's answer to
    a point they would rather not talk about is the status nudge or a point of their
    own. Whether it may still change is ``can_edit_agenda_item``."""
    return item.author_id == viewer.pk and item.session.engagement.is_party(viewer)


def can_edit_agenda_item(viewer: Person, item: AgendaItem) -> bool:
    """Its author, while its session has not ended and the engagement is open."""
    return is_agenda_item_author(viewer, item) and can_change_agenda(viewer, item.session)


def can_edit_action_item(viewer: Person, item: ActionItem) -> bool:
    """Edit, reassign or remove: either party, while the engagement is open."""
    return can_contribute(viewer, item.engagement)


# --- access helpers: the object, or 404 -------------------------------------------


def get_engagement_for(viewer: Person, code: UUID | str) -> Engagement:
    """An engagement the viewer is a party to, or 404."""
    return get_or_404(
        Engagement.objects.for_party(viewer).select_related(
            "giver", "receiver", "template", "proposed_by"
        ),
        code=code,
    )


def get_session_for(viewer: Person, code: UUID | str) -> Session:
    return get_or_404(
        Session.objects.visible_to(viewer).select_related(
            "engagement__giver", "engagement__receiver", "template", "changed_by"
        ),
        code=code,
    )


# --- a session page's lists ---------------------------------------------------------
#
# The rows of the models' ``visible_to`` for one session, asked without the
# engagement subquery when the viewer is one of its parties (whom ``visible_to``
# lets read everything of their engagements but the other party's private notes):
# less to build on every render of the session page (issue 15). The same rows for
# everyone (coaching/tests/test_same_rows.py).


def _is_party(viewer: Person, session: Session) -> bool:
    engagement = session.engagement
    return viewer.pk in (engagement.giver_id, engagement.receiver_id)


def agenda_on(viewer: Person, session: Session) -> QuerySet[AgendaItem]:
    if _is_party(viewer, session):
        return session.agenda_items.all()
    return session.agenda_items.visible_to(viewer)


def notes_on(viewer: Person, session: Session) -> QuerySet[Note]:
    if _is_party(viewer, session):
        return session.notes.filter(
            Q(visibility=NoteVisibility.PRIVATE, author=viewer)
            | Q(visibility=NoteVisibility.SHARED)
        )
    return Note.objects.visible_to(viewer).filter(session=session)


def action_items_on(viewer: Person, session: Session) -> QuerySet[ActionItem]:
    """``ActionItemQuerySet.listed_on`` for the viewer."""
    if _is_party(viewer, session):
        return ActionItem.objects.listed_on(session)
    return ActionItem.objects.visible_to(viewer).listed_on(session)


# What the session page reads of an item's session, loaded with the item: its
# answers to htmx re-render part of that page.
_SESSION_PAGE = (
    "session__engagement__giver",
    "session__engagement__receiver",
    "session__template",
)


def get_agenda_item_for(viewer: Person, code: UUID | str) -> AgendaItem:
    return get_or_404(
        AgendaItem.objects.visible_to(viewer).select_related(*_SESSION_PAGE), code=code
    )


def get_note_for(viewer: Person, code: UUID | str) -> Note:
    return get_or_404(Note.objects.visible_to(viewer).select_related(*_SESSION_PAGE), code=code)


def get_action_item_for(viewer: Person, code: UUID | str) -> ActionItem:
    return get_or_404(
        ActionItem.objects.visible_to(viewer).select_related("engagement", "session"), code=code
    )


def get_agreement_version_for(viewer: Person, code: UUID | str) -> AgreementVersion:
    return get_or_404(
        AgreementVersion.objects.visible_to(viewer).select_related(
            "engagement__giver", "engagement__receiver", "engagement__template", "proposed_by"
        ),
        code=code,
    )


# --- the sponsor summary -----------------------------------------------------------


@dataclass(frozen=True)
class SponsorSummary:
    """What the receiver's managers may see: the engagement's existence (its kind and
    parties, which they know of anyway) and, field by field, only what the version in
    force grants (``agreements.SPONSOR_FIELDS``). A field not granted is not carried
    at all, so no template can show it."""

    engagement: Engagement
    fields: frozenset[str]
    status: str | None = None
    cadence: str | None = None
    purpose: str | None = None

    @property
    def shows_dates(self) -> bool:
        return "dates" in self.fields


def sponsor_summary_of(engagement: Engagement, version: AgreementVersion) -> SponsorSummary:
    fields = SPONSOR_FIELDS[version.sponsor_sees]
    return SponsorSummary(
        engagement,
        fields,
        status=engagement.get_status_display() if "status" in fields else None,
        cadence=version.get_cadence_display() if "cadence" in fields else None,
        purpose=version.purpose if "purpose" in fields else None,
    )


def is_sponsor(viewer: Person, engagement: Engagement) -> bool:
    """The receiver's managers, at any level, of an engagement whose existence they
    may know of (never counseling)."""
    if engagement.kind == EngagementKind.COUNSELING or not engagement.needs_agreement:
        return False
    if viewer.organisation_id != engagement.organisation_id:
        return False
    return viewer.pk in managers_of(engagement.receiver_id)


def get_sponsor_summary_for(viewer: Person, code: UUID | str) -> SponsorSummary:
    """The sponsor summary of an engagement, or 404: for anyone who is not one of the
    receiver's managers, for counseling, and when the agreement in force grants
    nothing beyond the engagement's existence (or none has been accepted yet)."""
    engagement = get_or_404(
        Engagement.objects.filter(organisation_id=viewer.organisation_id)
        .exclude(kind=EngagementKind.COUNSELING)
        .select_related("giver", "receiver"),
        code=code,
    )
    if not is_sponsor(viewer, engagement):
        raise Http404
    # Only the version in force counts: a later one that grants nothing withdraws
    # what an earlier one granted.
    version = version_in_force(engagement)
    if version is None or not SPONSOR_FIELDS[version.sponsor_sees]:
        raise Http404
    return sponsor_summary_of(engagement, version)


def sponsor_summaries(viewer: Person, engagements: Iterable[Engagement]) -> set[int]:
    """Of ``engagements``, the ids of those whose sponsor summary the viewer may open,
    so that a list links only to summaries that exist. One query, however many: the
    receivers under the viewer are the database's walk of the viewer's own subtree."""
    candidates = [
        e
        for e in engagements
        if e.needs_agreement
        and e.kind != EngagementKind.COUNSELING
        and e.organisation_id == viewer.organisation_id
    ]
    if not candidates:
        return set()
    in_force: dict[int, str] = {}
    # Newest first: the first version seen per engagement is the one in force.
    for engagement_id, grant in (
        AgreementVersion.objects.accepted()
        .filter(
            engagement_id__in=[e.pk for e in candidates],
            engagement__receiver__in=Person.objects.under(viewer),
        )
        .order_by("engagement_id", "-number")
        .values_list("engagement_id", "sponsor_sees")
    ):
        in_force.setdefault(engagement_id, grant)
    return {pk for pk, grant in in_force.items() if grant != SponsorSees.NOTHING}
