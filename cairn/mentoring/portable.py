"""What a person wrote or answered in mentoring, as portable data for their export.

The export app assembles one JSON document from every app's ``portable.py``. These
are mentoring's sections, export only (an instance keeps them verbatim on import:
the mentors, programs and pairs they name do not exist there):

- ``mentor_profile``: the person's own mentor profile, or nothing.
- ``mentoring_requests``: the requests they *sent*, with their challenge and goals
  and the mentor's answer; and the requests they *received*, only as who asked, the
  status and their own answer. The challenge and goals of a received request are
  the mentee's writing, not the person's, and stay out.
- ``program_enrolments``: their enrolments with their answers, and the pairs they
  were matched in once published (a proposal is for program admins alone).

Sensitive answers (gender, same-gender wish) are not exported: policy.py makes
them write only — "not shown again, even to you", as the enrolment form promises —
and a file is one more way of showing them.

Other people appear by name only; no database id or code travels. Times are ISO
8601 strings in UTC, items come in a fixed order.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Prefetch, Q

from cairn.lib.exporting import iso_utc
from cairn.mentoring.models import (
    Enrolment,
    Match,
    MentoringRequest,
    MentorProfile,
    ShortlistEntry,
)
from cairn.people.models import Person
from cairn.tags.models import Tag

Item = dict[str, Any]


def _names(tags: Any) -> list[str]:
    """Tag names, sorted: the prefetched ``.all()`` of a many-to-many."""
    return sorted(tag.name for tag in tags.all())


def export_mentor_profile(person: Person) -> list[Item]:
    profiles = (
        MentorProfile.objects.visible_to(person)
        .filter(person=person)
        .prefetch_related(
            Prefetch("expertise", Tag.objects.order_by("name")),
            Prefetch("goal_tags", Tag.objects.order_by("name")),
        )
    )
    return [
        {
            "expertise": _names(profile.expertise),
            "goal_tags": _names(profile.goal_tags),
            "helps_with": profile.helps_with,
            "capacity": profile.capacity,
            "availability": profile.availability,
            "languages": profile.languages,
            "utc_offset": profile.utc_offset,
            "years_experience": profile.years_experience,
            "outside_team": profile.outside_team,
            "status": profile.status,
            "updated_at": iso_utc(profile.updated_at),
        }
        for profile in profiles
    ]


def _request(request: MentoringRequest, person: Person) -> Item:
    if request.mentee_id == person.pk:
        return {
            "direction": "sent",
            "with": request.mentor.name,
            "challenge": request.challenge,
            "goals": request.goals,
            "status": request.status,
            "answer": request.response,
            "created_at": iso_utc(request.created_at),
            "answered_at": iso_utc(request.answered_at),
        }
    # Received: the mentee's challenge and goals are their writing, not the person's.
    return {
        "direction": "received",
        "with": request.mentee.name,
        "status": request.status,
        "answer": request.response,
        "created_at": iso_utc(request.created_at),
        "answered_at": iso_utc(request.answered_at),
    }


def export_requests(person: Person) -> list[Item]:
    # visible_to gives program admins every request of the organisation: the filter
    # keeps the person's own, sent or received.
    requests = (
        MentoringRequest.objects.visible_to(person)
        .filter(Q(mentee=person) | Q(mentor=person))
        .select_related("mentee", "mentor")
        .order_by("created_at", "code")
    )
    return [_request(request, person) for request in requests]


def _pairs(person: Person) -> dict[int, list[Item]]:
    """The person's published pairs (accepted and declined included), by their
    enrolment: one query for all of them."""
    matches = (
        Match.objects.visible_to(person)
        .filter(Q(mentee__person=person) | Q(mentor__person=person))
        .select_related("mentee__person", "mentor__person")
        .order_by("round", "created_at", "code")
    )
    pairs: dict[int, list[Item]] = defaultdict(list)
    for match in matches:
        mine, other = (
            (match.mentee, match.mentor)
            if match.mentee.person_id == person.pk
            else (match.mentor, match.mentee)
        )
        answer = match.mentee_answer if mine.pk == match.mentee_id else match.mentor_answer
        pairs[mine.pk].append(
            {
                "with": other.person.name,
                "their_role": other.role,
                "round": match.round,
                "status": match.status,
                "answer": answer,
            }
        )
    return pairs


def export_enrolments(person: Person) -> list[Item]:
    enrolments = (
        Enrolment.objects.visible_to(person)
        .filter(person=person)
        .select_related("program")
        .prefetch_related(
            Prefetch("tags", Tag.objects.order_by("name")),
            Prefetch("goal_tags", Tag.objects.order_by("name")),
            Prefetch("not_with", Person.objects.order_by("name", "code")),
            Prefetch(
                "shortlist",
                ShortlistEntry.objects.select_related("mentor__person").order_by("rank"),
            ),
        )
        .order_by("created_at", "code")
    )
    pairs = _pairs(person)
    return [
        {
            "program": enrolment.program.name,
            "program_starts_on": enrolment.program.starts_on.isoformat(),
            "program_ends_on": enrolment.program.ends_on.isoformat(),
            "role": enrolment.role,
            "capacity": enrolment.capacity,
            "goals": enrolment.goals,
            "skills": _names(enrolment.tags),
            "goal_tags": _names(enrolment.goal_tags),
            "years_experience": enrolment.years_experience,
            "languages": enrolment.languages,
            "utc_offset": enrolment.utc_offset,
            "outside_team": enrolment.outside_team,
            "shortlist": [entry.mentor.person.name for entry in enrolment.shortlist.all()],
            "not_with": [other.name for other in enrolment.not_with.all()],
            "created_at": iso_utc(enrolment.created_at),
            "pairs": pairs.get(enrolment.pk, []),
        }
        for enrolment in enrolments
    ]


def export_sections(person: Person) -> dict[str, list[Item]]:
    return {
        "mentor_profile": export_mentor_profile(person),
        "mentoring_requests": export_requests(person),
        "program_enrolments": export_enrolments(person),
    }
