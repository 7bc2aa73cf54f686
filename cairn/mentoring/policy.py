"""Who sees and does what in mentoring: its rows of the who-sees-what table.

| content           | the person      | other participant | managers | program admins | org admin |
|-------------------|-----------------|-------------------|----------|----------------|-----------|
| mentor profile    | rw (own)        | read (whole org)  | read     | read           | read      |
| mentoring request | mentee r        | mentor r, answer  | —        | read           | —         |
| enrolment answers | rw (own)        | —                 | —        | read           | —         |
| sensitive answers | write only      | —                 | —        | read           | —         |
| proposal (pairs)  | own, published  | own, published    | —        | rw             | —         |
| program settings  | —               | —                 | —        | rw (versioned) | —         |

A program admin's reads go in the access log (``cairn.trust``) of the person whose
words they read: a request's page (the mentee's, MENTORING_REQUEST), the proposal
page and its htmx answers (everyone on the page shown, ENROLMENT; mentees whose
sensitive answers it shows, SENSITIVE_ANSWERS). The two parties of a request are not
readers.

The program's mentors are found by name (never listed): by anyone who sees the
program, for their shortlist (names and job titles only); by program admins on the
proposal, with each mentor's load.

Nothing crosses organisations: every queryset filters by the viewer's, and every
access helper answers 404 for missing and forbidden alike. A sensitive answer is
written by the person but never shown again, not even to them: the form says so.
Managers learn of a mentoring relationship only when it becomes an engagement,
through coaching's own rows (engagement existence).

A program's settings (``/mentoring/programs/<slug>/settings/``) are changed by any
program admin of its organisation (404 for anyone else): they carry a version, and
a save against settings another admin changed since answers 409 with both
(``cairn.lib.versions``).
"""

from __future__ import annotations

from uuid import UUID

from django.http import Http404

from cairn.lib.access import get_or_404
from cairn.mentoring.models import (
    Enrolment,
    Match,
    MatchStatus,
    MentoringRequest,
    MentorProfile,
    Program,
    RequestStatus,
)
from cairn.people.models import Person

# --- reads -------------------------------------------------------------------------


def can_read_request(viewer: Person, request: MentoringRequest) -> bool:
    """The challenge text: the mentee, the addressed mentor, program admins."""
    return MentoringRequest.objects.visible_to(viewer).filter(pk=request.pk).exists()


def can_read_sensitive_answers(viewer: Person, program: Program) -> bool:
    return viewer.is_program_admin and viewer.organisation_id == program.organisation_id


# --- writes ------------------------------------------------------------------------


def can_answer_request(viewer: Person, request: MentoringRequest) -> bool:
    return request.mentor_id == viewer.pk and request.status == RequestStatus.PENDING


def can_manage_programs(viewer: Person) -> bool:
    """Create programs, run matching, adjust and publish: program admins."""
    return viewer.is_program_admin


def can_manage_program(viewer: Person, program: Program) -> bool:
    return viewer.is_program_admin and viewer.organisation_id == program.organisation_id


def can_answer_match(viewer: Person, match: Match) -> bool:
    """Each side of a published pair accepts or declines it once."""
    if match.status != MatchStatus.PUBLISHED:
        return False
    return viewer.pk in (match.mentee.person_id, match.mentor.person_id)


# --- access helpers: the object, or 404 -------------------------------------------


def get_profile_for(viewer: Person, code: UUID | str) -> MentorProfile:
    return get_or_404(
        MentorProfile.objects.visible_to(viewer)
        .listed()
        .select_related("person__team")
        .prefetch_related("expertise", "goal_tags"),
        code=code,
    )


def get_request_for(viewer: Person, code: UUID | str) -> MentoringRequest:
    return get_or_404(
        MentoringRequest.objects.visible_to(viewer).select_related("mentee", "mentor"), code=code
    )


def get_program_for(viewer: Person, slug: str) -> Program:
    return get_or_404(Program.objects.visible_to(viewer), slug=slug)


def get_managed_program_for(viewer: Person, slug: str) -> Program:
    """A program the viewer runs, or 404: people who are not program admins do not
    learn that the admin pages exist."""
    program = get_program_for(viewer, slug)
    if not can_manage_program(viewer, program):
        raise Http404
    return program


def get_match_for(viewer: Person, code: UUID | str) -> Match:
    return get_or_404(
        Match.objects.visible_to(viewer).select_related(
            "program", "mentee__person", "mentor__person", "engagement"
        ),
        code=code,
    )


def get_enrolment_for(viewer: Person, code: UUID | str) -> Enrolment:
    return get_or_404(
        Enrolment.objects.visible_to(viewer).select_related("program", "person"), code=code
    )
