"""Rows of every kind the real apps export, for the round trip, privacy and
query-count tests: what the report owns, and around it what others own."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.utils import timezone

from cairn.coaching import services as coaching
from cairn.coaching.models import EngagementKind
from cairn.growth import services as growth
from cairn.lib.testing import (
    Cast,
    make_action_item,
    make_engagement,
    make_note,
    make_session,
    one_on_one,
)
from cairn.mastery import services as mastery
from cairn.mastery.models import Framework
from cairn.mastery.testing import grant

# Distinctive texts, so that "not in the export" cannot pass by accident.
MY_PRIVATE = "report private: thinking about moving to another team"
MY_SHARED = "report shared: I want more ownership of the build"
THEIR_PRIVATE = "manager private: worried about their focus since the reorg"
THEIR_SHARED = "manager shared: great demo on Friday"
THEIR_ACTION = "manager action: book the offsite room"
MY_ACTION = "report action: draft the conference talk"
MY_OBJECTIVE = "report objective: speak at a meetup"
OTHER_OBJECTIVE = "manager objective: hire two engineers"
OUTSIDER_TEXT = "outsider private: elsewhere entirely"
MY_ASSESSMENT = "report self-assessment: shipped the migration alone"
OTHER_ASSESSMENT = "peer self-assessment: led the incident review"
MY_GRANT = "report grant: three stories reviewed"
MY_DEBRIEF = "report debrief: I ask before I advise now"
THEIR_DEBRIEF = "coach debrief: they grew into the tech lead role"

FRAMEWORK = Path(__file__).resolve().parents[3] / "docs" / "frameworks" / "cairn-engineering.yaml"


def _framework(cast: Cast) -> Framework:
    framework = Framework.objects.filter(organisation=cast.org).first()
    if framework is None:
        framework = mastery.import_framework_into(
            cast.org, FRAMEWORK.read_bytes(), filename=FRAMEWORK.name
        )
    return framework


def fill(cast: Cast, rows: int) -> None:
    """``rows`` of each kind for the report (and as many for the people around them,
    which must stay out of the report's export)."""
    report, manager = cast.report, cast.manager
    engagement = one_on_one(manager, report)
    now = timezone.now()
    track = _framework(cast).tracks.get(position=0)
    competency, level = track.competencies.first(), track.levels.first()
    assert competency is not None
    assert level is not None
    for n in range(rows):
        session = make_session(engagement, when=now - dt.timedelta(days=rows - n), completed=True)
        make_note(session, report, f"{MY_PRIVATE} {n}", private=True)
        make_note(session, report, f"{MY_SHARED} {n}")
        make_note(session, manager, f"{THEIR_PRIVATE} {n}", private=True)
        make_note(session, manager, f"{THEIR_SHARED} {n}")
        make_action_item(session, report, f"{MY_ACTION} {n}", by=manager)
        make_action_item(session, manager, f"{THEIR_ACTION} {n}")

        growth.save_mission_statement(report, text=f"I help teams learn {n}", love="teaching")
        objective = growth.add_objective(
            report,
            what=f"{MY_OBJECTIVE} {n}",
            why="to share what we learned",
            target_on=dt.date(2026, 6, 30),
            scale=["none", "a draft", "a talk", "two talks", "a keynote"],
        )
        growth.add_action(
            report, objective, who=report, what="write the abstract", due_on=dt.date(2026, 4, 1)
        )
        # Someone else's name and code travel with the item, and come back unchanged
        # from an instance that does not know them.
        growth.add_action(
            report, objective, who=manager, what="book the rehearsal", due_on=dt.date(2026, 5, 1)
        )
        growth.add_check_in(report, objective, note=f"abstract accepted {n}", position=1)
        growth.add_objective(manager, what=f"{OTHER_OBJECTIVE} {n}")
        growth.add_objective(cast.outsider, what=f"{OUTSIDER_TEXT} {n}")

        mastery.record_assessment(
            report, report, competency, level, evidence=f"{MY_ASSESSMENT} {n}"
        )
        mastery.record_assessment(
            cast.peer, cast.peer, competency, level, evidence=f"{OTHER_ASSESSMENT} {n}"
        )
        grant(report, "contributor", by=cast.coach, evidence=f"{MY_GRANT} {n}")

        # A coaching engagement, agreed (its agreement is the report's too), closed
        # and debriefed by both parties.
        coaching_engagement = make_engagement(cast.coach, report, EngagementKind.COACHING)
        coaching.close_engagement(report, coaching_engagement)
        coaching.write_debrief(
            report, coaching_engagement, learnings=f"{MY_DEBRIEF} {n}", felt="transformational"
        )
        coaching.write_debrief(
            cast.coach, coaching_engagement, learnings=f"{THEIR_DEBRIEF} {n}", felt="between"
        )
    growth.save_plan(report, dreams="lead a platform team", become="a calm, clear leader")
