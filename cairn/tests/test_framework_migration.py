"""Migration 0005 (framework model v2) merges each framework's per-track
competencies by name into one competency per framework. Nobody's assessment,
engagement competency, ticked behaviour or feedback request may be lost on the
way, and every framework, track, level and competency gets a key."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cairn.coaching.models import EngagementKind
from cairn.coaching.tests.factories import make_engagement
from cairn.feedback.models import FeedbackRequest
from cairn.testing import make_org, make_person

BEFORE = [("mastery", "0004_engagement_competencies")]
AFTER = ("mastery", "0005_framework_v2")


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def _latest() -> list[tuple[str, str]]:
    leaves: list[tuple[str, str]] = MigrationExecutor(connection).loader.graph.leaf_nodes()
    return leaves


def _old_world(apps: Any) -> dict[str, Any]:
    """Two tracks of one framework both list "Delivery" (two rows before v2) and
    one of them "Mentoring"; another framework of the same organisation slugifies
    to the same key; a framework elsewhere has its own "Delivery"."""
    org, other = make_org("Acme"), make_org("Elsewhere Ltd")
    coach, report = make_person(org, "Casey Coach"), make_person(org, "Riley Report")
    outsider = make_person(other, "Olga Outsider")
    framework_model = apps.get_model("mastery", "Framework")
    track_model = apps.get_model("mastery", "Track")
    level_model = apps.get_model("mastery", "FrameworkLevel")
    competency_model = apps.get_model("mastery", "Competency")
    behaviour_model = apps.get_model("mastery", "Behaviour")
    assessment_model = apps.get_model("mastery", "Assessment")
    link_model = apps.get_model("mastery", "EngagementCompetency")
    change_model = apps.get_model("mastery", "DebriefBehaviourChange")
    debrief_model = apps.get_model("coaching", "Debrief")

    framework = framework_model.objects.create(organisation_id=org.pk, name="Engineering!")
    twin = framework_model.objects.create(organisation_id=org.pk, name="Engineering?")
    elsewhere = framework_model.objects.create(organisation_id=other.pk, name="Engineering")
    ic = track_model.objects.create(framework=framework, name="Individual contributor", position=0)
    lead = track_model.objects.create(framework=framework, name="Leading people", position=1)
    ic_one = level_model.objects.create(track=ic, name="Engineer", rank=0)
    ic_two = level_model.objects.create(track=ic, name="Engineer.", rank=1)
    lead_one = level_model.objects.create(track=lead, name="Team lead", rank=0)
    ic_delivery = competency_model.objects.create(track=ic, name="Delivery", position=0)
    lead_mentoring = competency_model.objects.create(track=lead, name="Mentoring", position=0)
    lead_delivery = competency_model.objects.create(track=lead, name="delivery ", position=1)
    their_track = track_model.objects.create(framework=elsewhere, name="T", position=0)
    their_level = level_model.objects.create(track=their_track, name="L", rank=0)
    their_delivery = competency_model.objects.create(track=their_track, name="Delivery", position=0)

    ic_behaviour = behaviour_model.objects.create(
        competency=ic_delivery, level=ic_one, text="Ships small steps.", position=0
    )
    lead_behaviour = behaviour_model.objects.create(
        competency=lead_delivery, level=lead_one, text="Keeps the team's plan honest.", position=0
    )
    on_lead = assessment_model.objects.create(
        person_id=report.pk,
        assessor_id=coach.pk,
        competency=lead_delivery,
        level=lead_one,
        evidence="Kept the plan honest.",
    )
    on_ic = assessment_model.objects.create(
        person_id=report.pk,
        assessor_id=report.pk,
        competency=ic_delivery,
        level=ic_two,
        evidence="Shipped in small steps.",
    )
    theirs = assessment_model.objects.create(
        person_id=outsider.pk,
        assessor_id=outsider.pk,
        competency=their_delivery,
        level=their_level,
        evidence="Elsewhere.",
    )
    # One engagement named both rows of "Delivery", another only the lead track's.
    both = make_engagement(coach, report, EngagementKind.COMPETENCY_COACHING)
    one = make_engagement(make_person(org, "Morgan Mentor"), report, "competency_coaching")
    for engagement, competency in [
        (both, ic_delivery),
        (both, lead_delivery),
        (both, lead_mentoring),
        (one, lead_delivery),
    ]:
        link_model.objects.create(engagement_id=engagement.pk, competency=competency)
    debrief = debrief_model.objects.create(
        engagement_id=both.pk, author_id=report.pk, learnings="l", felt="good"
    )
    change = change_model.objects.create(debrief=debrief, behaviour=lead_behaviour)
    # Feedback is above mastery: its table stays as it is, with today's model.
    request = FeedbackRequest.objects.create(
        asker_id=report.pk,
        about="competency",
        competency_id=lead_delivery.pk,
        due_on=dt.date(2026, 12, 24),
    )
    return {
        "framework": framework.pk,
        "twin": twin.pk,
        "elsewhere": elsewhere.pk,
        "ic": ic.pk,
        "lead": lead.pk,
        "levels": (ic_one.pk, ic_two.pk, lead_one.pk),
        "ic_delivery": ic_delivery.pk,
        "lead_delivery": lead_delivery.pk,
        "lead_mentoring": lead_mentoring.pk,
        "their_delivery": their_delivery.pk,
        "behaviours": (ic_behaviour.pk, lead_behaviour.pk),
        "assessments": (on_lead.pk, on_ic.pk, theirs.pk),
        "engagements": (both.pk, one.pk),
        "change": change.pk,
        "request": request.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_competencies_merge_by_name_and_nothing_pointing_at_them_is_lost() -> None:
    latest = _latest()
    try:
        old = _old_world(_migrate(BEFORE))
        apps = _migrate([AFTER])
    finally:
        _migrate(latest)
    # (the rows are checked on the latest models: the migration is the last one.)
    from cairn.mastery.models import (
        Assessment,
        Behaviour,
        Competency,
        DebriefBehaviourChange,
        EngagementCompetency,
        Framework,
        FrameworkLevel,
        Track,
        TrackCompetency,
    )

    assert apps.get_model("mastery", "TrackCompetency")  # the state has the new model
    framework = Framework.objects.get(pk=old["framework"])
    assert framework.key == "engineering"
    assert Framework.objects.get(pk=old["twin"]).key == "engineering-2"
    assert Framework.objects.get(pk=old["elsewhere"]).key == "engineering"
    assert framework.version == 1
    assert list(framework.versions.values_list("number", "source")) == [(1, "")]
    assert [t.key for t in Track.objects.filter(framework=framework).order_by("position")] == [
        "individual-contributor",
        "leading-people",
    ]
    levels = [FrameworkLevel.objects.get(pk=pk).key for pk in old["levels"]]
    assert levels == ["engineer", "engineer-2", "team-lead"]

    # One "Delivery" for the framework, the first one by track position; the
    # other framework's stays its own.
    delivery = Competency.objects.get(pk=old["ic_delivery"])
    assert not Competency.objects.filter(pk=old["lead_delivery"]).exists()
    assert (delivery.framework_id, delivery.key, delivery.name) == (
        framework.pk,
        "delivery",
        "Delivery",
    )
    mentoring = Competency.objects.get(pk=old["lead_mentoring"])
    assert (mentoring.key, mentoring.position) == ("mentoring", 1)
    assert Competency.objects.get(pk=old["their_delivery"]).framework_id == old["elsewhere"]
    assert set(
        TrackCompetency.objects.filter(competency=delivery).values_list("track_id", "position")
    ) == {(old["ic"], 0), (old["lead"], 1)}
    assert list(
        TrackCompetency.objects.filter(track_id=old["lead"])
        .order_by("position")
        .values_list("competency_id", flat=True)
    ) == [mentoring.pk, delivery.pk]

    # Every row that pointed at the lead track's "Delivery" points at the survivor.
    on_lead, on_ic, theirs = (Assessment.objects.get(pk=pk) for pk in old["assessments"])
    assert on_lead.competency_id == on_ic.competency_id == delivery.pk
    assert on_lead.level_id == old["levels"][2]
    assert on_lead.evidence == "Kept the plan honest."
    assert theirs.competency_id == old["their_delivery"]
    ic_behaviour, lead_behaviour = (Behaviour.objects.get(pk=pk) for pk in old["behaviours"])
    assert ic_behaviour.competency_id == lead_behaviour.competency_id == delivery.pk
    assert DebriefBehaviourChange.objects.get(pk=old["change"]).behaviour_id == lead_behaviour.pk
    assert FeedbackRequest.objects.get(pk=old["request"]).competency_id == delivery.pk
    both, one = old["engagements"]
    # The engagement that named both rows names the one competency once.
    assert sorted(
        EngagementCompetency.objects.filter(engagement_id=both).values_list(
            "competency_id", flat=True
        )
    ) == sorted([delivery.pk, mentoring.pk])
    assert list(
        EngagementCompetency.objects.filter(engagement_id=one).values_list(
            "competency_id", flat=True
        )
    ) == [delivery.pk]
