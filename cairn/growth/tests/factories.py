"""A report's growth, shared with their coach and not with their manager."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from cairn.coaching.models import EngagementKind, Session
from cairn.coaching.tests.factories import make_engagement, make_session, one_on_one
from cairn.growth import services
from cairn.growth.models import CheckIn, MissionStatement, Objective, PlanAction, PlanShare
from cairn.people.models import Person
from cairn.testing import Cast

# Distinctive texts, so that "not in the page" cannot pass by accident. No quotes or
# ampersands: autoescaping would change them and hide a leak.
MISSION_OLD = "mission v1: I want to build things people love"
MISSION = "mission v2: I make hard systems simple and help people grow"
ANSWER = "answer: untangling incidents at two in the morning"
DREAMS = "dreams: speak at a conference about our platform"
BECOME = "become: a staff engineer who grows people"
WHAT = "objective: lead the design of the deploy pipeline"
WHY = "why: designing is the step to senior"
ACTION = "action: draft the rollback section"
CHECK_IN = "check-in: review went well, two open questions"
SCALE = ["no doc", "draft only", "design accepted", "one service moved", "three moved"]

SECRETS = [MISSION_OLD, MISSION, ANSWER, DREAMS, BECOME, WHAT, WHY, ACTION, CHECK_IN, SCALE[2]]


def scale_data(texts: list[str] | None = None) -> dict[str, str]:
    texts = texts if texts is not None else SCALE
    names = ["scale_minus_2", "scale_minus_1", "scale_0", "scale_plus_1", "scale_plus_2"]
    return dict(zip(names, texts, strict=True))


@dataclass
class Growth:
    cast: Cast
    owner: Person
    old_mission: MissionStatement
    mission: MissionStatement
    objective: Objective
    action: PlanAction
    check_in: CheckIn
    share: PlanShare
    coaching_session: Session
    one_on_one_session: Session


def build_growth(cast: Cast) -> Growth:
    owner = cast.report
    now = timezone.now()
    old = services.save_mission_statement(owner, text=MISSION_OLD, now=now - dt.timedelta(days=9))
    mission = services.save_mission_statement(owner, text=MISSION, love=ANSWER)
    services.save_plan(owner, dreams=DREAMS, become=BECOME)
    objective = services.add_objective(owner, what=WHAT, why=WHY, scale=SCALE)
    action = services.add_action(
        owner,
        objective,
        owner=owner,
        description=ACTION,
        due_on=timezone.localdate() + dt.timedelta(7),
    )
    check_in = services.add_check_in(owner, objective, note=CHECK_IN, position=0)
    coaching = make_engagement(cast.coach, owner, EngagementKind.COACHING)
    coaching_session = make_session(coaching)
    one_on_one_session = make_session(one_on_one(cast.manager, owner))
    services.link_session(owner, objective, coaching_session)
    share = services.share(owner, cast.coach)
    return Growth(
        cast,
        owner,
        old,
        mission,
        objective,
        action,
        check_in,
        share,
        coaching_session,
        one_on_one_session,
    )
