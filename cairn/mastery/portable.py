"""A person's assessments and proficiency levels, as portable data for their export.

Only what is about the person: every assessment of them (by themselves or by a
coach) and every grant of a level to them, with the evidence, since the person reads
all of it. Assessments they wrote about others stay behind: those belong to the
people assessed. Names travel as words, never database ids. Who the person shares
their assessments with stays behind too, as growth's plan shares do: a share is about
someone else, and names nobody on another instance.

The behaviours the person ticked in their own competency-coaching debriefs travel
with words for the debrief they belong to (the engagement's kind, the other party,
when it was written): coaching's ``debriefs`` section carries the debrief itself.
What the other party ticked is theirs.
"""

from __future__ import annotations

from typing import Any

from cairn.lib.exporting import iso_utc
from cairn.mastery.models import Assessment, DebriefBehaviourChange, Grant
from cairn.people.models import Person


def export_sections(person: Person) -> dict[str, list[dict[str, Any]]]:
    assessments = (
        Assessment.objects.visible_to(person)
        .filter(person=person)
        .select_related("competency__framework", "level__track", "stage", "assessor")
        .order_by("assessed_at", "code")
    )
    grants = (
        Grant.objects.visible_to(person)
        .filter(person=person)
        .select_related("level__ladder", "granted_by")
        .order_by("granted_at", "code")
    )
    changes = (
        DebriefBehaviourChange.objects.visible_to(person)
        .filter(debrief__author=person)
        .select_related(
            "debrief__engagement__giver",
            "debrief__engagement__receiver",
            "behaviour__competency__framework",
            "behaviour__level__track",
        )
        .order_by(
            "debrief__written_at",
            "debrief__code",
            "behaviour__competency__framework__name",
            "behaviour__level__track__position",
            "behaviour__competency__position",
            "behaviour__level__rank",
            "behaviour__position",
        )
    )
    return {
        "assessments": [
            {
                "framework": a.competency.framework.name,
                "track": a.level.track.name if a.level else None,
                "competency": a.competency.name,
                "level": a.level.name if a.level else None,
                "stage": a.stage.name if a.stage else None,
                "evidence": a.evidence,
                "assessed_by": "self"
                if a.is_self_assessment
                else (a.assessor.name if a.assessor else None),
                "assessed_at": a.assessed_at.isoformat(),
            }
            for a in assessments
        ],
        "proficiency": [
            {
                "ladder": g.level.ladder.name,
                "level": g.level.name,
                "evidence": g.evidence,
                "granted_by": g.granted_by.name if g.granted_by else None,
                "granted_at": g.granted_at.isoformat(),
            }
            for g in grants
        ],
        "debrief_behaviours": [
            {
                "engagement": c.debrief.engagement.get_kind_display(),
                "with": c.debrief.engagement.other_party(person).name,
                "debrief_written_at": iso_utc(c.debrief.written_at),
                "framework": c.behaviour.competency.framework.name,
                "track": c.behaviour.level.track.name,
                "competency": c.behaviour.competency.name,
                "level": c.behaviour.level.name,
                "behaviour": c.behaviour.text,
            }
            for c in changes
        ],
    }
