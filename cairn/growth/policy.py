"""Who sees and does what with a person's mission statement and development plan:
the row of docs/design.md's who-sees-what table that growth owns.

| content                              | owner | people the owner shares with | anyone else |
|--------------------------------------|-------|------------------------------|-------------|
| mission statement, current version   | rw    | read                         | —           |
| mission statement, earlier versions  | rw    | —                            | —           |
| development plan, objectives,        | rw    | read                         | —           |
|   action items, check-ins            |       |                              |             |
| the list of shares                   | rw    | their own share only         | —           |

"Anyone else" includes the owner's managers, the other party of their engagements,
org admins and program admins: a share is the only way in, person by person, and
removing it closes the way at once (nothing is cached). Reads are enforced by the
``visible_to`` querysets in ``models.py`` and the access helpers below, which answer
404 for anything the viewer may not see; writes are checked again in ``services.py``.

Every read by someone the owner shares with goes in the owner's access log
(``cairn.trust``), written by the view that shows it: the shared plan page (a
mission statement row and a development plan row, each when shown), an objective's
page and a session page's linked objectives (an objective row). The owner's own
reads write nothing.

A link from an objective to a coaching session shows the session only to a viewer
who is a party to it: a shared reader learns nothing about the owner's other
engagements (a counseling engagement's existence stays between its two people).

On a session page (growth's panels): the *Dreams* section shows the receiver's
current mission statement and their plan's dreams to the receiver and to a giver
they share with (each such read by the giver goes in the receiver's access log), and
otherwise says that the person keeps them private. A session's action item may work
towards one of the receiver's open objectives, chosen only from those both parties
can read (the receiver owns it, the giver needs a share); the link
(``ObjectiveActionItem``) shows to whoever reads both the objective and the item —
never to a sharee who is no party to the session, never the objective to a party
the plan is not shared with.
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from django.db.models import Exists, OuterRef, Q, QuerySet

from cairn.coaching.models import ActionItem, Engagement, Session
from cairn.growth.models import (
    DevelopmentPlan,
    MissionStatement,
    Objective,
    ObjectiveActionItem,
    ObjectiveStatus,
    PlanAction,
    PlanShare,
)
from cairn.lib.access import get_or_404
from cairn.people.models import Person

# --- reads -------------------------------------------------------------------------


def can_read_growth(viewer: Person, owner: Person) -> bool:
    """The owner, and the people the owner shares with."""
    if viewer.pk == owner.pk:
        return True
    return PlanShare.objects.filter(owner=owner, shared_with=viewer).exists()


# --- writes ------------------------------------------------------------------------


def can_edit_growth(viewer: Person, owner: Person) -> bool:
    """Only the owner writes their mission statement and plan, and decides who reads
    them."""
    return viewer.pk == owner.pk


def can_share_with(owner: Person, reader: Person) -> bool:
    """Anyone active in the owner's organisation but the owner."""
    return (
        reader.pk != owner.pk
        and reader.organisation_id == owner.organisation_id
        and reader.user.is_active
    )


def can_link_session(owner: Person, session: Session) -> bool:
    """A session of an engagement the owner is a party to."""
    return Session.objects.visible_to(owner).filter(pk=session.pk).exists()


# --- access helpers: the object, or 404 -------------------------------------------


def get_objective_for(viewer: Person, code: UUID | str) -> Objective:
    """An objective of the viewer's own plan or of a plan shared with them."""
    return get_or_404(Objective.objects.visible_to(viewer).select_related("plan__owner"), code=code)


def get_own_objective_for(viewer: Person, code: UUID | str) -> Objective:
    """An objective of the viewer's own plan, or 404 — also for a shared reader, who
    may read it but not change it."""
    return get_or_404(
        Objective.objects.filter(plan__owner=viewer).select_related("plan__owner"), code=code
    )


def get_own_action_for(viewer: Person, code: UUID | str) -> PlanAction:
    return get_or_404(
        PlanAction.objects.filter(objective__plan__owner=viewer).select_related(
            "objective__plan__owner"
        ),
        code=code,
    )


def get_own_share_for(viewer: Person, code: UUID | str) -> PlanShare:
    return get_or_404(
        PlanShare.objects.filter(owner=viewer).select_related("shared_with"), code=code
    )


def get_sharer_for(viewer: Person, code: UUID | str) -> Person:
    """A person who shares their growth with the viewer, by the person's code, or 404
    — the same answer for "no such person", "another organisation" and "has not
    shared with you"."""
    return get_or_404(
        Person.objects.visible_to(viewer).filter(
            pk__in=PlanShare.objects.filter(shared_with=viewer).values("owner_id")
        ),
        code=code,
    )


def plan_for(owner: Person) -> DevelopmentPlan | None:
    """The owner's plan, if they have started one. Callers have checked access."""
    return DevelopmentPlan.objects.filter(owner=owner).first()


def _plan_readable_by(viewer: Person, prefix: str = "") -> Q:
    """The rows whose plan the viewer may read (``DevelopmentPlan.visible_to``: their
    own, and the plans shared with them), as one condition on the plan's owner rather
    than a nested plan subquery: the same rows, less to build on each request (the
    session page asks it for every panel render)."""
    owner = f"{prefix}plan__owner_id"
    return Q(**{owner: viewer.pk}) | Q(
        **{f"{owner}__in": PlanShare.objects.filter(shared_with_id=viewer.pk).values("owner_id")}
    )


def objectives_for_session(viewer: Person, session: Session) -> QuerySet[Objective]:
    """The objectives linked to a coaching session that the viewer may read: their
    own, and those of a plan shared with them. Linking alone shares nothing — the
    other party of the session sees an objective only if its owner shares the plan.

    For the session page, which has checked that the viewer may see the session.
    """
    return (
        Objective.objects.filter(_plan_readable_by(viewer))
        .filter(session_id=session.pk)
        .select_related("plan__owner")
        .order_by("plan__owner__name", "created_at", "id")
    )


# --- a session's action items towards the receiver's objectives ----------------------

OPEN_STATUSES = (ObjectiveStatus.NOT_STARTED, ObjectiveStatus.IN_PROGRESS)


def objectives_for_items(viewer: Person, engagement: Engagement) -> QuerySet[Objective]:
    """The objectives an action item of the engagement may work towards: the
    receiver's open ones, and only while both parties can read them — the receiver
    owns them, the giver needs the receiver's share. Empty for anyone who is no
    party. Lazy: one query when evaluated."""
    if viewer.pk not in (engagement.giver_id, engagement.receiver_id):
        return Objective.objects.none()
    giver_reads = PlanShare.objects.filter(
        owner_id=engagement.receiver_id, shared_with_id=engagement.giver_id
    )
    # No ``Objective.visible_to`` on top: the viewer is a party, so the receiver's
    # objectives are their own or, for the giver, shared with them (``giver_reads``).
    return (
        Objective.objects.filter(plan__owner_id=engagement.receiver_id, status__in=OPEN_STATUSES)
        .filter(Exists(giver_reads))
        .order_by("created_at", "id")
    )


def can_link_item(actor: Person, item: ActionItem, objective: Objective) -> bool:
    """A party links an item of their engagement to one of the offered objectives."""
    return objectives_for_items(actor, item.engagement).filter(pk=objective.pk).exists()


def items_towards(viewer: Person, objective: Objective) -> QuerySet[ObjectiveActionItem]:
    """The session action items towards an objective that the viewer may read (both
    ends), with their items, newest session first. For an objective the viewer reads
    (``get_objective_for``): only the item's end is left to check, the rows of
    ``ObjectiveActionItem.visible_to`` without its nested objective subquery."""
    return (
        ObjectiveActionItem.objects.filter(
            action_item__engagement__in=Engagement.objects.for_party(viewer)
        )
        .filter(objective=objective)
        .select_related("action_item__session", "action_item__owner")
        .order_by("-action_item__session__scheduled_for", "-id")
    )


def items_towards_objectives_in(viewer: Person, session: Session) -> QuerySet[ObjectiveActionItem]:
    """For a session page: the links of the items the page lists
    (``ActionItemQuerySet.listed_on``) whose objective the viewer may read — the rows
    of ``ObjectiveActionItem.visible_to``, for a session whose parties are known."""
    engagement = session.engagement
    if viewer.pk not in (engagement.giver_id, engagement.receiver_id):
        # ``ObjectiveActionItem.visible_to``: an item is read by its engagement's
        # parties only.
        return ObjectiveActionItem.objects.none()
    return (
        ObjectiveActionItem.objects.filter(_plan_readable_by(viewer, "objective__"))
        .filter(action_item__engagement_id=session.engagement_id)
        .filter(Exists(ActionItem.objects.listed_on(session).filter(pk=OuterRef("action_item_id"))))
        .select_related("objective__plan__owner", "action_item")
        .order_by("objective__created_at", "objective_id", "action_item__due_on")
    )


def items_towards_objectives_among(
    viewer: Person, session: Session, listed: Iterable[ActionItem]
) -> list[ObjectiveActionItem]:
    """``items_towards_objectives_in`` for a page that has read its list already:
    ``listed`` is the session page's ``ActionItem.visible_to(viewer).listed_on(session)``.
    The same rows, asked by the items' ids (no subquery to build again), each link
    given its item from the list; no query when the list is empty."""
    engagement = session.engagement
    items = {item.pk: item for item in listed}
    if not items or viewer.pk not in (engagement.giver_id, engagement.receiver_id):
        return []
    links = list(
        ObjectiveActionItem.objects.filter(_plan_readable_by(viewer, "objective__"))
        .filter(action_item_id__in=items)
        .select_related("objective__plan__owner")
        .order_by("objective__created_at", "objective_id", "action_item__due_on")
    )
    for link in links:
        link.action_item = items[link.action_item_id]
    return links


# --- the Dreams section of a session ------------------------------------------------


def dreams_for(
    viewer: Person, owner: Person
) -> tuple[MissionStatement | None, DevelopmentPlan | None]:
    """The owner's current mission statement and plan as the viewer may read them:
    (None, None) when the owner shares neither with the viewer."""
    mission = MissionStatement.objects.visible_to(viewer).filter(owner=owner).current().first()
    plan = DevelopmentPlan.objects.visible_to(viewer).filter(owner=owner).first()
    return mission, plan
