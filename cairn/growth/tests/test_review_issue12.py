"""Review of issue 12: a session action item's link to an objective.

Editing an item's what, who or by when must not undo a link its editor was never
offered: the giver whose share was taken back (who may not even read the objective)
and either party once the objective is done see no choice for it, so the form posts
no objective — which must leave the receiver's link alone.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from cairn.coaching.tests.factories import make_action_item
from cairn.growth import services
from cairn.growth.models import ObjectiveActionItem, ObjectiveStatus
from cairn.growth.tests.factories import Growth
from cairn.people.models import Person
from cairn.testing import client_for

ITEM = "session item: pair with Ana on the pipeline design"


def edit(viewer: Person, growth: Growth, item_code: object) -> int:
    session = growth.coaching_session
    due = (timezone.localdate() + dt.timedelta(days=9)).isoformat()
    response = client_for(viewer).post(
        reverse("coaching:action-edit", args=[session.code, item_code]),
        {"owner": str(growth.owner.code), "description": ITEM + " (edited)", "due_on": due},
    )
    return response.status_code


def test_a_giver_whose_share_was_taken_back_cannot_unlink_by_editing(growth: Growth) -> None:
    item = make_action_item(growth.coaching_session, growth.owner, ITEM, by=growth.cast.coach)
    services.set_item_objective(growth.owner, item, growth.objective)
    services.unshare(growth.owner, growth.share)

    assert edit(growth.cast.coach, growth, item.code) in (200, 302)

    item.refresh_from_db()
    assert item.description.endswith("(edited)")
    assert ObjectiveActionItem.objects.get(action_item=item).objective == growth.objective


def test_editing_an_item_towards_a_done_objective_keeps_the_link(growth: Growth) -> None:
    item = make_action_item(growth.coaching_session, growth.owner, ITEM, by=growth.cast.coach)
    services.set_item_objective(growth.owner, item, growth.objective)
    growth.objective.status = ObjectiveStatus.ACHIEVED
    growth.objective.save(update_fields=["status"])

    assert edit(growth.owner, growth, item.code) in (200, 302)

    item.refresh_from_db()
    assert item.description.endswith("(edited)")
    assert ObjectiveActionItem.objects.get(action_item=item).objective == growth.objective
