"""Every write to a person's mission statement and development plan, one function
per use case.

Only the owner writes (``PermissionDenied`` otherwise). Each function validates
(``ValidationError`` with a message a person can read), runs in one transaction and
logs what happened by id — never by content: a mission statement is nobody's
business but its owner's and the people they share it with.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cairn.coaching.models import ActionItem, Session
from cairn.growth import policy
from cairn.growth.models import (
    ACTION_MAX,
    ANSWER_MAX,
    CHECK_IN_MAX,
    MISSION_MAX,
    OBJECTIVE_TEXT_MAX,
    OBJECTIVE_WHAT_MAX,
    PLAN_TEXT_MAX,
    SCALE_POSITIONS,
    SCALE_TEXT_MAX,
    CheckIn,
    DevelopmentPlan,
    MissionStatement,
    Objective,
    ObjectiveActionItem,
    ObjectiveStatus,
    PlanAction,
    PlanShare,
)
from cairn.lib.access import require
from cairn.lib.versions import save_if_current
from cairn.notifications.models import Kind
from cairn.notifications.services import notify
from cairn.people.models import Person

log = logging.getLogger("cairn.growth")

INCOMPLETE_SCALE = (
    "Describe all five outcomes of the goal-attainment scale, from −2 to +2, "
    "or leave all five empty."
)
POSITION_WITHOUT_SCALE = (
    "This objective has no goal-attainment scale: describe its five outcomes before "
    "recording where you stand on it."
)


def _text(value: str, *, limit: int, name: str, required: bool = False) -> str:
    value = value.strip()
    if required and not value:
        raise ValidationError(f"Write {name}.")
    if len(value) > limit:
        raise ValidationError(f"Keep {name} to {limit} characters (it has {len(value)}).")
    return value


def session_label(session: Session, owner: Person) -> str:
    """What a linked session was, in words: "Mentoring with Tomasz Kowalski,
    2026-11-20 10:00" (the owner's local time)."""
    engagement = session.engagement
    other = engagement.other_party(owner)
    when = timezone.localtime(session.scheduled_for).strftime("%Y-%m-%d %H:%M")
    return f"{engagement.get_kind_display()} with {other.name}, {when}"


# --- mission statement -------------------------------------------------------------


@transaction.atomic
def save_mission_statement(
    actor: Person,
    *,
    text: str,
    love: str = "",
    morning: str = "",
    become: str = "",
    now: dt.datetime | None = None,
) -> MissionStatement:
    """The actor writes a new version of their own mission statement, optionally
    with their answers to the guided page's prompts. Earlier versions stay."""
    text = _text(text, limit=MISSION_MAX, name="your mission statement", required=True)
    love = _text(love, limit=ANSWER_MAX, name="what you love doing")
    morning = _text(morning, limit=ANSWER_MAX, name="what gets you up in the morning")
    become = _text(become, limit=ANSWER_MAX, name="who you want to become")
    # Lock the owner's row so two saves at once cannot both become current.
    Person.objects.select_for_update().filter(pk=actor.pk).first()
    MissionStatement.objects.filter(owner=actor, is_current=True).update(is_current=False)
    statement = MissionStatement.objects.create(
        owner=actor,
        text=text,
        love=love,
        morning=morning,
        become=become,
        created_at=now or timezone.now(),
    )
    log.info("mission_statement.saved statement=%s actor=%s", statement.pk, actor.pk)
    return statement


# --- the plan ----------------------------------------------------------------------


def _plan_of(actor: Person, now: dt.datetime | None = None) -> DevelopmentPlan:
    plan, _ = DevelopmentPlan.objects.get_or_create(
        owner=actor, defaults={"created_at": now or timezone.now()}
    )
    return plan


@transaction.atomic
def save_plan(
    actor: Person, *, dreams: str, become: str, opened: int | None = None
) -> DevelopmentPlan:
    """The actor writes the dreams and passions and who they want to become of their
    own plan, which is created on this first edit (at version 1, the version a form
    opened before the plan existed carries).

    ``opened`` is the version the edit form was opened at: ``Conflict`` (see
    ``cairn.lib.versions``), nothing written, when the plan was saved since."""
    dreams = _text(dreams, limit=PLAN_TEXT_MAX, name="your dreams and passions")
    become = _text(become, limit=PLAN_TEXT_MAX, name="who you want to become")
    if not (dreams or become):
        raise ValidationError("Write your dreams and passions, or who you want to become.")
    plan = _plan_of(actor)
    plan.dreams, plan.become = dreams, become
    save_if_current(plan, opened, ["dreams", "become"])
    log.info("plan.saved plan=%s version=%s actor=%s", plan.pk, plan.version, actor.pk)
    return plan


def _scale(texts: Sequence[str] | None) -> list[str]:
    texts = [t.strip() for t in (texts or [""] * len(SCALE_POSITIONS))]
    if len(texts) != len(SCALE_POSITIONS):
        raise ValidationError(INCOMPLETE_SCALE)
    if any(texts) and not all(texts):
        raise ValidationError(INCOMPLETE_SCALE)
    for text in texts:
        _text(text, limit=SCALE_TEXT_MAX, name="each outcome of the scale")
    return texts


def _fill_objective(
    objective: Objective,
    *,
    what: str,
    why: str,
    how: str,
    measure: str,
    target_on: dt.date | None,
    status: str,
    scale: Sequence[str] | None,
) -> None:
    objective.what = _text(
        what, limit=OBJECTIVE_WHAT_MAX, name="what the objective is", required=True
    )
    objective.why = _text(why, limit=OBJECTIVE_TEXT_MAX, name="why it matters")
    objective.how = _text(how, limit=OBJECTIVE_TEXT_MAX, name="how you will get there")
    objective.measure = _text(measure, limit=OBJECTIVE_TEXT_MAX, name="how you will measure it")
    if status not in ObjectiveStatus.values:
        raise ValidationError("Choose one of the statuses listed.")
    objective.status = status
    objective.target_on = target_on
    objective.set_scale(_scale(scale))


@transaction.atomic
def add_objective(
    actor: Person,
    *,
    what: str,
    why: str = "",
    how: str = "",
    measure: str = "",
    target_on: dt.date | None = None,
    status: str = ObjectiveStatus.NOT_STARTED,
    scale: Sequence[str] | None = None,
    now: dt.datetime | None = None,
) -> Objective:
    """The actor adds an objective to their own plan (creating the plan if need be).
    ``scale`` is the five outcomes, lowest (-2) first, or nothing."""
    objective = Objective(created_at=now or timezone.now())
    _fill_objective(
        objective,
        what=what,
        why=why,
        how=how,
        measure=measure,
        target_on=target_on,
        status=status,
        scale=scale,
    )
    objective.plan = _plan_of(actor, now)
    objective.save()
    log.info("objective.added objective=%s actor=%s", objective.pk, actor.pk)
    return objective


# What the objective's edit form changes; its session link has a form of its own.
_EDITED_FIELDS = (
    "what",
    "why",
    "how",
    "measure",
    "target_on",
    "status",
    "scale_minus_2",
    "scale_minus_1",
    "scale_0",
    "scale_plus_1",
    "scale_plus_2",
)


@transaction.atomic
def update_objective(
    actor: Person,
    objective: Objective,
    *,
    what: str,
    why: str = "",
    how: str = "",
    measure: str = "",
    target_on: dt.date | None = None,
    status: str = ObjectiveStatus.NOT_STARTED,
    scale: Sequence[str] | None = None,
    opened: int | None = None,
) -> Objective:
    """The owner changes an objective. A scale that check-ins have recorded positions
    on cannot be removed: those positions would lose their meaning.

    ``opened`` is the version the edit form was opened at: ``Conflict`` (see
    ``cairn.lib.versions``), nothing written, when the objective was saved since."""
    require(policy.can_edit_growth(actor, objective.plan.owner))
    had_scale = objective.has_scale
    _fill_objective(
        objective,
        what=what,
        why=why,
        how=how,
        measure=measure,
        target_on=target_on,
        status=status,
        scale=scale,
    )
    if (
        had_scale
        and not objective.has_scale
        and objective.check_ins.filter(position__isnull=False).exists()
    ):
        raise ValidationError(
            "Check-ins record positions on this scale, so it cannot be removed. "
            "Change its descriptions instead."
        )
    save_if_current(objective, opened, _EDITED_FIELDS)
    log.info(
        "objective.updated objective=%s version=%s actor=%s",
        objective.pk,
        objective.version,
        actor.pk,
    )
    return objective


@transaction.atomic
def link_session(actor: Person, objective: Objective, session: Session | None) -> None:
    """The owner links an objective to one of their coaching sessions (where its
    progress is reviewed), or unlinks it with ``None``."""
    owner = objective.plan.owner
    require(policy.can_edit_growth(actor, owner))
    if session is not None and not policy.can_link_session(owner, session):
        raise ValidationError("Choose one of your own coaching sessions.")
    objective.session = session
    objective.session_label = session_label(session, owner) if session is not None else ""
    objective.save(update_fields=["session", "session_label"])
    log.info(
        "objective.linked objective=%s session=%s actor=%s",
        objective.pk,
        session.pk if session else None,
        actor.pk,
    )


# --- action items and check-ins ----------------------------------------------------


@transaction.atomic
def add_action(
    actor: Person,
    objective: Objective,
    *,
    owner: Person,
    description: str,
    due_on: dt.date,
    now: dt.datetime | None = None,
) -> PlanAction:
    """The plan's owner adds who does what by when to an objective; the action's
    owner is someone of the plan owner's organisation (the plan owner, usually)."""
    plan_owner = objective.plan.owner
    require(policy.can_edit_growth(actor, plan_owner))
    if owner.organisation_id != plan_owner.organisation_id:
        raise ValidationError("Choose someone from your organisation.")
    action = PlanAction.objects.create(
        objective=objective,
        owner=owner,
        owner_name=owner.name,
        description=_text(description, limit=ACTION_MAX, name="what will be done", required=True),
        due_on=due_on,
        created_at=now or timezone.now(),
    )
    log.info("plan_action.added action=%s actor=%s", action.pk, actor.pk)
    return action


def set_item_objective(actor: Person, item: ActionItem, objective: Objective | None) -> None:
    """A party says which of the receiver's objectives a session's action item works
    towards, or none. Only an objective both parties can read (``policy.can_link_item``);
    choosing none removes a link the actor could have chosen, never another. Called
    inside the transaction that saves the item (coaching's view, through the form
    part); each branch is one atomic statement
    (a delete; ``update_or_create``, atomic by itself), so it adds no savepoint."""
    require(item.engagement.giver_id == actor.pk or item.engagement.receiver_id == actor.pk)
    if objective is None:
        # Only a link the actor could have chosen: the form offers no other (the
        # giver lost the share, the objective is no longer open), so posting none is
        # no choice to undo the receiver's link.
        ObjectiveActionItem.objects.filter(
            action_item=item,
            objective__in=policy.objectives_for_items(actor, item.engagement).values("pk"),
        ).delete()
        log.info("action_item.objective item=%s objective=None actor=%s", item.pk, actor.pk)
        return
    if not policy.can_link_item(actor, item, objective):
        raise ValidationError("Choose one of the objectives you can both read, or none.")
    ObjectiveActionItem.objects.update_or_create(
        action_item=item, defaults={"objective": objective}
    )
    log.info("action_item.objective item=%s objective=%s actor=%s", item.pk, objective.pk, actor.pk)


@transaction.atomic
def set_action_done(
    actor: Person, action: PlanAction, *, done: bool, now: dt.datetime | None = None
) -> None:
    """The owner ticks an action item off (recording when) or reopens it."""
    require(policy.can_edit_growth(actor, action.objective.plan.owner))
    action.done_at = (now or timezone.now()) if done else None
    action.save(update_fields=["done_at"])


@transaction.atomic
def add_check_in(
    actor: Person,
    objective: Objective,
    *,
    note: str,
    position: int | None = None,
    now: dt.datetime | None = None,
) -> CheckIn:
    """The owner records progress on an objective: a note, and where they stand on
    its goal-attainment scale (only when it has one)."""
    require(policy.can_edit_growth(actor, objective.plan.owner))
    if position is not None:
        if not objective.has_scale:
            raise ValidationError(POSITION_WITHOUT_SCALE)
        if position not in SCALE_POSITIONS:
            raise ValidationError("Choose a position from −2 to +2.")
    check_in = CheckIn.objects.create(
        objective=objective,
        note=_text(note, limit=CHECK_IN_MAX, name="a note on your progress", required=True),
        position=position,
        created_at=now or timezone.now(),
    )
    log.info("check_in.added check_in=%s actor=%s", check_in.pk, actor.pk)
    return check_in


# --- sharing -----------------------------------------------------------------------


@transaction.atomic
def share(actor: Person, reader: Person) -> PlanShare:
    """The actor lets ``reader`` — anyone active in their organisation — read their
    mission statement and development plan."""
    if not policy.can_share_with(actor, reader):
        raise ValidationError("Choose someone else from your organisation.")
    if PlanShare.objects.filter(owner=actor, shared_with=reader).exists():
        raise ValidationError(f"You already share your plan with {reader.name}.")
    grant = PlanShare.objects.create(owner=actor, shared_with=reader)
    notify(
        reader,
        Kind.SHARED_WITH_YOU,
        title=f"{actor.name} shared their mission statement and development plan with you",
        url=reverse("growth:shared-plan", args=[actor.code]),
        key=f"plan-shared:{grant.pk}:{reader.pk}",
        subject=grant,
    )
    log.info("plan.shared share=%s actor=%s reader=%s", grant.pk, actor.pk, reader.pk)
    return grant


@transaction.atomic
def unshare(actor: Person, grant: PlanShare) -> None:
    """The owner takes a share back; the reader loses access with this commit."""
    require(grant.owner_id == actor.pk)
    log.info("plan.unshared share=%s actor=%s", grant.pk, actor.pk)
    grant.delete()
