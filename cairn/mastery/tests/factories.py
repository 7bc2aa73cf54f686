"""Factories for mastery: people put at a level without going through who may
grant it, and the example competency framework."""

from __future__ import annotations

from pathlib import Path

from django.db.models import Q

from cairn.mastery.builtin_ladders import LIBRARY_LADDER
from cairn.mastery.models import Framework, Grant, Level
from cairn.mastery.services import import_framework_into
from cairn.people.models import Organisation, Person


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


EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "frameworks" / "cairn-engineering.yaml"


def import_example(org: Organisation) -> Framework:
    return import_framework_into(org, EXAMPLE.read_bytes(), filename=EXAMPLE.name)


def canary_framework(
    org: Organisation, competencies: int = 2, *, name: str = "Canary"
) -> Framework:
    """A framework of one track, two levels and ``competencies`` competencies, each
    with one behaviour per level; every name and text distinctive (``canary``) and
    free of characters that autoescaping would change."""
    lines = [f"name: {name} framework", "tracks:", f"  - name: {name} track", "    levels:"]
    for level in ("one", "two"):
        lines += [f"      - name: {name} level {level}", "        competencies:"]
        for n in range(competencies):
            lines += [
                f"          - name: {name} competency {n}",
                "            behaviours:",
                f"              - {name.lower()} behaviour {n} at level {level}",
            ]
    return import_framework_into(org, "\n".join(lines).encode(), filename="canary.yaml")
