"""The person's export: their assessments and levels, and nobody else's."""

from __future__ import annotations

import json

from cairn.coaching import services as coaching
from cairn.coaching.models import EngagementKind
from cairn.coaching.tests.factories import make_engagement
from cairn.mastery import portable, services
from cairn.mastery.models import Behaviour, Competency
from cairn.mastery.tests.factories import canary_framework, grant, import_example
from cairn.testing import Cast


def test_export_holds_the_persons_assessments_and_levels(cast: Cast) -> None:
    grant(cast.coach, "coach")
    make_engagement(cast.coach, cast.report)
    services.grant_level(
        cast.coach,
        cast.report,
        grant(cast.peer, "contributor").level,
        evidence="First story reviewed",
    )
    framework = import_example(cast.org)
    track = framework.tracks.get(position=0)
    delivery = framework.competencies.get(name="Delivery")
    engineer = track.levels.get(name="Engineer")
    services.record_assessment(cast.coach, cast.report, delivery, engineer, evidence="by coach")
    services.record_assessment(cast.report, cast.report, delivery, engineer, evidence="by me")
    # Someone else's, which must stay out of the report's export.
    services.record_assessment(cast.peer, cast.peer, delivery, engineer, evidence="peer's own")

    sections = portable.export_sections(cast.report)

    assert set(sections) == {"assessments", "proficiency", "debrief_behaviours"}
    assert [a["evidence"] for a in sections["assessments"]] == ["by coach", "by me"]
    first = sections["assessments"][0]
    assert first["framework"] == "Cairn engineering"
    assert first["competency"] == "Delivery"
    assert first["level"] == "Engineer"
    assert first["assessed_by"] == "Cody Coach"
    assert sections["assessments"][1]["assessed_by"] == "self"
    assert sections["proficiency"] == [
        {
            "ladder": "Story library",
            "level": "Contributor",
            "evidence": "First story reviewed",
            "granted_by": "Cody Coach",
            "granted_at": sections["proficiency"][0]["granted_at"],
        }
    ]
    text = json.dumps(sections)  # JSON-safe as it is
    assert "peer's own" not in text
    assert '"id"' not in text


def test_the_coach_export_leaves_out_what_they_wrote_about_others(cast: Cast) -> None:
    grant(cast.coach, "coach")
    grant(cast.report, "publisher", by=cast.coach, evidence="about the report")
    sections = portable.export_sections(cast.coach)
    assert "about the report" not in json.dumps(sections)
    assert [p["level"] for p in sections["proficiency"]] == ["Coach"]


def test_export_order_is_deterministic(cast: Cast) -> None:
    grant(cast.report, "contributor")
    grant(cast.report, "publisher")
    assert portable.export_sections(cast.report) == portable.export_sections(cast.report)


def test_export_holds_the_behaviours_the_person_ticked_in_their_debrief(cast: Cast) -> None:
    framework = canary_framework(cast.org)
    engagement = make_engagement(cast.coach, cast.report, EngagementKind.COMPETENCY_COACHING)
    competency = Competency.objects.get(framework=framework, name="Canary competency 0")
    services.add_engagement_competency(cast.coach, engagement, competency)
    coaching.close_engagement(cast.coach, engagement)
    mine = Behaviour.objects.get(text="canary behaviour 0 at level one")
    theirs = Behaviour.objects.get(text="canary behaviour 0 at level two")
    for person, ticked in ((cast.report, mine), (cast.coach, theirs)):
        debrief = coaching.write_debrief(person, engagement, learnings="x", felt="transformational")
        services.record_behaviour_changes(person, debrief, [ticked])

    sections = portable.export_sections(cast.report)

    assert sections["debrief_behaviours"] == [
        {
            "engagement": "Competency coaching",
            "with": "Cody Coach",
            "debrief_written_at": sections["debrief_behaviours"][0]["debrief_written_at"],
            "framework": "Canary framework",
            "track": "Canary track",
            "competency": "Canary competency 0",
            "level": "Canary level one",
            "behaviour": "canary behaviour 0 at level one",
        }
    ]
    # The coach's ticks are the coach's.
    assert "level two" not in json.dumps(sections)
