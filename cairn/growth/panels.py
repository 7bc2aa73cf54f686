"""Growth's panels on other apps' pages (see ``cairn.lib.panels``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from cairn.coaching.models import ActionItem, Session, TemplateSection
from cairn.growth import policy
from cairn.growth.models import PlanShare
from cairn.lib.panels import panel
from cairn.people.decorators import PersonRequest
from cairn.trust.models import Kind
from cairn.trust.services import record_read, record_reads

DREAMS_KEY = "dreams"


def _is_dreams(section: TemplateSection) -> bool:
    """The section keyed ``dreams``; an organisation's own template without keys, by
    its title."""
    if section.key:
        return section.key == DREAMS_KEY
    return section.title.strip().lower() == DREAMS_KEY


@panel("session.section", "growth/_session_dreams.html", order=10)
def session_dreams(
    request: PersonRequest, *, session: Session, section: TemplateSection
) -> dict[str, Any] | None:
    """In the Dreams section: the receiver's current mission statement and their
    plan's dreams, read-only, to the receiver and to a giver they share them with —
    each read by the giver is in the receiver's access log; to a giver they do not
    share with, that the person keeps them private."""
    if not _is_dreams(section):
        return None
    me = request.person
    engagement = session.engagement
    owner, giver = engagement.receiver, engagement.giver
    is_owner = me.pk == owner.pk
    context: dict[str, Any] = {
        "dreams_owner": owner,
        "dreams_giver": giver,
        "dreams_is_owner": is_owner,
        "dreams_readable": is_owner or policy.can_read_growth(me, owner),
    }
    if not context["dreams_readable"]:
        return context
    mission, plan = policy.dreams_for(me, owner)
    if not is_owner:
        if mission is not None:
            record_read(request, owner, Kind.MISSION_STATEMENT)
        if plan is not None:
            record_read(request, owner, Kind.DEVELOPMENT_PLAN)
    context.update(
        dreams_mission=mission,
        dreams_plan=plan,
        dreams_plan_url=reverse("growth:plan")
        if is_owner
        else reverse("growth:shared-plan", args=[owner.code]),
        dreams_giver_reads=is_owner
        and PlanShare.objects.filter(owner=owner, shared_with=giver).exists(),
    )
    return context


@panel("session.main", "growth/_session_objectives.html", order=10)
def session_objectives(
    request: PersonRequest, *, session: Session, action_items: Iterable[ActionItem]
) -> dict[str, Any]:
    """The objectives linked to the session that the viewer may read, and the
    session's action items that work towards an objective the viewer may read (of
    ``action_items``, the page's list, which this reads for the page). Those
    of a plan shared with the viewer are a read of its owner's objectives, for their
    access log (one row per owner: nothing when the viewer reads only their own)."""
    me = request.person
    objectives = list(policy.objectives_for_session(me, session))
    items = policy.items_towards_objectives_among(me, session, action_items)
    owners = [o.plan.owner_id for o in objectives] + [
        link.objective.plan.owner_id for link in items
    ]
    others = {pk for pk in owners if pk != me.pk}
    if others:
        people = {o.plan.owner_id: o.plan.owner for o in objectives}
        people.update({link.objective.plan.owner_id: link.objective.plan.owner for link in items})
        record_reads(request, [people[pk] for pk in others], Kind.OBJECTIVE)
    return {"growth_objectives": objectives, "growth_items": items}
