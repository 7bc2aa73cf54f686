"""The session and objective pages ask growth's rows through shorter queries than the
models' ``visible_to`` (issue 15: less to build on each request). They must be the
same rows, for everyone of the cast, in every state a link can be in — including
links the services would not make today (a share withdrawn after linking, an item
of a session whose giver never read the plan), which the rules still hide.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Exists, OuterRef, QuerySet

from cairn.coaching.models import ActionItem, Session
from cairn.coaching.tests.factories import make_action_item
from cairn.growth import policy, services
from cairn.growth.models import Objective, ObjectiveActionItem, PlanShare
from cairn.growth.tests.factories import Growth
from cairn.people.models import Person


def _objectives_for_session(viewer: Person, session: Session) -> list[Objective]:
    """The rule as the models state it."""
    return list(
        Objective.objects.visible_to(viewer)
        .filter(session=session)
        .order_by("plan__owner__name", "created_at", "id")
    )


def _items_in(viewer: Person, session: Session) -> list[ObjectiveActionItem]:
    listed = ActionItem.objects.listed_on(session).filter(pk=OuterRef("action_item_id"))
    return list(
        ObjectiveActionItem.objects.visible_to(viewer)
        .filter(action_item__engagement_id=session.engagement_id)
        .filter(Exists(listed))
        .order_by("objective__created_at", "objective_id", "action_item__due_on")
    )


def _items_towards(viewer: Person, objective: Objective) -> list[ObjectiveActionItem]:
    return list(
        ObjectiveActionItem.objects.visible_to(viewer)
        .filter(objective=objective)
        .order_by("-action_item__session__scheduled_for", "-id")
    )


def _offered(viewer: Person, session: Session) -> list[Objective]:
    engagement = session.engagement
    if viewer.pk not in (engagement.giver_id, engagement.receiver_id):
        return []
    giver_reads = PlanShare.objects.filter(
        owner_id=engagement.receiver_id, shared_with_id=engagement.giver_id
    )
    return list(
        Objective.objects.visible_to(viewer)
        .filter(plan__owner_id=engagement.receiver_id, status__in=policy.OPEN_STATUSES)
        .filter(Exists(giver_reads))
        .order_by("created_at", "id")
    )


def _as_list(rows: QuerySet[Any] | list[Any]) -> list[Any]:
    return list(rows)


@pytest.mark.parametrize("state", ["shared with the coach", "shared with both", "withdrawn"])
def test_growth_rows_of_the_session_and_objective_pages_are_the_rules_rows(
    growth: Growth, state: str
) -> None:
    cast, owner = growth.cast, growth.owner
    # The coach's own objective, linked to the same session: the giver's own rows.
    coach_objective = services.add_objective(cast.coach, what="Coach's own aim")
    services.link_session(cast.coach, coach_objective, growth.coaching_session)
    # Links on both sessions, made directly: the rules, not the services, decide.
    second = services.add_objective(owner, what="A second aim")
    services.link_session(owner, second, growth.one_on_one_session)
    for session, objective in (
        (growth.coaching_session, growth.objective),
        (growth.coaching_session, coach_objective),
        (growth.one_on_one_session, second),
        (growth.one_on_one_session, growth.objective),
    ):
        item = make_action_item(session, owner, f"towards {objective.what}")
        ObjectiveActionItem.objects.create(action_item=item, objective=objective)
    if state == "shared with both":
        services.share(owner, cast.manager)
    elif state == "withdrawn":
        PlanShare.objects.filter(owner=owner).delete()

    viewers = [*cast.everyone().values()]
    sessions = [growth.coaching_session, growth.one_on_one_session]
    compared = 0
    for viewer in viewers:
        for session in sessions:
            session = Session.objects.select_related("engagement").get(pk=session.pk)
            assert _as_list(policy.objectives_for_session(viewer, session)) == (
                _objectives_for_session(viewer, session)
            ), (viewer.name, session.pk)
            assert _as_list(policy.items_towards_objectives_in(viewer, session)) == (
                _items_in(viewer, session)
            ), (viewer.name, session.pk)
            listed = ActionItem.objects.visible_to(viewer).listed_on(session)
            assert _as_list(policy.items_towards_objectives_among(viewer, session, listed)) == (
                _items_in(viewer, session)
            ), (viewer.name, session.pk)
            assert _as_list(policy.objectives_for_items(viewer, session.engagement)) == (
                _offered(viewer, session)
            ), (viewer.name, session.pk)
            compared += 1
        for objective in (growth.objective, second, coach_objective):
            if not Objective.objects.visible_to(viewer).filter(pk=objective.pk).exists():
                continue  # the objective page is a 404 to them: nothing is asked
            assert _as_list(policy.items_towards(viewer, objective)) == (
                _items_towards(viewer, objective)
            ), (viewer.name, objective.what)
    assert compared == len(viewers) * len(sessions)
    # The world is not empty: the rules show rows to somebody on each page.
    assert _items_in(owner, growth.coaching_session)
    assert _items_in(owner, growth.one_on_one_session)
    assert _objectives_for_session(cast.coach, growth.coaching_session)
    if state != "withdrawn":
        assert _items_in(cast.coach, growth.coaching_session)
