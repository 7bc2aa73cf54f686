"""Helpers for other apps' tests: put people at a level without going through who
may grant it."""

from __future__ import annotations

from django.db.models import Q

from cairn.mastery.builtin_ladders import LIBRARY_LADDER
from cairn.mastery.models import Grant, Level
from cairn.people.models import Person


def grant(
    person: Person,
    level_slug: str,
    *,
    ladder_slug: str = LIBRARY_LADDER,
    by: Person | None = None,
    evidence: str = "Granted for a test.",
) -> Grant:
    """Record a grant of the level directly, bypassing ``services.grant_level``'s
    policy. The ladder is the built-in one or the person's organisation's own with
    that slug."""
    level = Level.objects.select_related("ladder").get(
        Q(ladder__organisation__isnull=True) | Q(ladder__organisation_id=person.organisation_id),
        ladder__slug=ladder_slug,
        slug=level_slug,
    )
    return Grant.objects.create(person=person, level=level, granted_by=by, evidence=evidence)
