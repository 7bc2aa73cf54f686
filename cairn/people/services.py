"""Every write to people, teams and reporting lines, one function per use case."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cairn.people import policy
from cairn.people.accounts import queue_invitation
from cairn.people.models import (
    CONTENT_ROLES,
    GrantStatus,
    Organisation,
    Person,
    Role,
    RoleAction,
    RoleChange,
    RoleGrant,
    Team,
    User,
    validate_time_zone,
    would_cycle,
)
from cairn.people.signals import reporting_line_changed, role_requested

log = logging.getLogger("cairn.people")


def _check_manager(person: Person | None, organisation_id: int, manager: Person | None) -> None:
    if manager is None:
        return
    if manager.organisation_id != organisation_id:
        raise ValidationError({"manager": "Choose a manager from your organisation."})
    if person is not None and would_cycle(person.pk, manager.pk):
        raise ValidationError(
            {"manager": f"{manager.name} reports to {person.name}: that would make a loop."}
        )


def _check_team(organisation_id: int, team: Team | None) -> None:
    if team is not None and team.organisation_id != organisation_id:
        raise ValidationError({"team": "Choose a team from your organisation."})


def _require_admin_of(actor: Person | None, organisation: Organisation) -> None:
    """``actor`` None is the command line or the demo, which act for the organisation."""
    if actor is None:
        return
    if not policy.can_manage_people(actor) or actor.organisation_id != organisation.pk:
        raise PermissionDenied


@transaction.atomic
def create_organisation(*, name: str, slug: str) -> Organisation:
    return Organisation.objects.create(name=name, slug=slug)


@transaction.atomic
def add_person(
    actor: Person | None,
    organisation: Organisation,
    *,
    username: str,
    email: str,
    name: str,
    password: str | None = None,
    title: str = "",
    team: Team | None = None,
    manager: Person | None = None,
    is_org_admin: bool = False,
    is_program_admin: bool = False,
    is_hr: bool = False,
) -> Person:
    """An org admin adds a person (``actor`` None: the command line or the demo).

    An org admin never sets a password: the person gets an invitation email with a
    link to choose one (:func:`cairn.people.accounts.queue_invitation`). Only the
    command line and the demo pass ``password``; without one the account cannot log
    in until a password is set. A role that reads
    content (program admin, HR) asked for by an org admin waits for a second org
    admin's confirmation (:func:`confirm_grant`); the command line grants it at once.
    """
    _require_admin_of(actor, organisation)
    if actor is not None and password is not None:
        raise PermissionDenied("An org admin does not choose people's passwords.")
    _check_team(organisation.pk, team)
    _check_manager(None, organisation.pk, manager)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "That username is taken."})
    user = User.objects.create_user(username=username, email=email, password=password)
    person = Person.objects.create(
        organisation=organisation, user=user, name=name, title=title, team=team, manager=manager
    )
    _change_roles(
        actor,
        person,
        {Role.ORG_ADMIN: is_org_admin, Role.PROGRAM_ADMIN: is_program_admin, Role.HR: is_hr},
    )
    if manager is not None:
        reporting_line_changed.send(Person, person=person, old_manager=None, new_manager=manager)
    if actor is not None:
        queue_invitation(actor, person)
    log.info("person.added person=%s actor=%s", person.pk, actor.pk if actor else None)
    return person


@transaction.atomic
def update_person(
    actor: Person,
    person: Person,
    *,
    name: str,
    email: str,
    title: str,
    team: Team | None,
    manager: Person | None,
    is_org_admin: bool,
    is_active: bool,
    is_program_admin: bool = False,
    is_hr: bool = False,
) -> Person:
    """An org admin changes a person's details, reporting line and roles.

    Taking a role away acts at once. Org admin is given at once too (it reads no
    content); program admin and HR become a pending :class:`RoleGrant` that a second
    org admin confirms. Every change of a role is recorded as a :class:`RoleChange`.
    """
    if not policy.can_manage_people(actor) or actor.organisation_id != person.organisation_id:
        raise PermissionDenied
    _check_team(person.organisation_id, team)
    _check_manager(person, person.organisation_id, manager)
    if person.pk == actor.pk and not (is_org_admin and is_active):
        raise ValidationError("You cannot remove your own admin rights or deactivate yourself.")
    old_manager = person.manager
    person.name = name
    person.title = title
    person.team = team
    person.manager = manager
    person.save()
    _change_roles(
        actor,
        person,
        {Role.ORG_ADMIN: is_org_admin, Role.PROGRAM_ADMIN: is_program_admin, Role.HR: is_hr},
    )
    person.user.email = email
    person.user.is_active = is_active
    person.user.save(update_fields=["email", "is_active"])
    if (old_manager and old_manager.pk) != (manager and manager.pk):
        reporting_line_changed.send(
            Person, person=person, old_manager=old_manager, new_manager=manager
        )
    log.info("person.updated person=%s actor=%s", person.pk, actor.pk)
    return person


@transaction.atomic
def add_team(actor: Person | None, organisation: Organisation, *, name: str) -> Team:
    _require_admin_of(actor, organisation)
    if Team.objects.filter(organisation=organisation, name__iexact=name).exists():
        raise ValidationError({"name": "There is already a team with that name."})
    team = Team.objects.create(organisation=organisation, name=name)
    log.info("team.added team=%s actor=%s", team.pk, actor.pk if actor else None)
    return team


# --- roles ----------------------------------------------------------------------------


COMMAND_LINE = "the command line"


def _record(
    person: Person,
    role: Role,
    action: RoleAction,
    actor: Person | None,
    *,
    actor_name: str | None = None,
    at: dt.datetime | None = None,
) -> RoleChange:
    change = RoleChange.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        role=role,
        action=action,
        actor=actor,
        actor_name=(actor.name if actor else actor_name or COMMAND_LINE)[:160],
        at=at or timezone.now(),
    )
    log.info(
        "role.%s person=%s role=%s actor=%s",
        action,
        person.pk,
        role,
        actor.pk if actor else None,
    )
    return change


def _change_roles(
    actor: Person | None,
    person: Person,
    wanted: Mapping[Role, bool],
    *,
    actor_name: str | None = None,
) -> list[RoleGrant]:
    """Give and take roles as ``wanted`` says; returns the grants now waiting.

    ``actor`` None is the operator — the command line, the demo, a Django superuser
    (named by ``actor_name``) — who grants directly.
    """
    asked: list[RoleGrant] = []
    changed: list[str] = []
    for role, want in wanted.items():
        has = getattr(person, role)
        if want and not has:
            if actor is not None and role in CONTENT_ROLES:
                grant, created = RoleGrant.objects.get_or_create(
                    person=person,
                    role=role,
                    status=GrantStatus.PENDING,
                    defaults={"organisation_id": person.organisation_id, "requested_by": actor},
                )
                if created:
                    _record(person, role, RoleAction.REQUESTED, actor)
                    asked.append(grant)
                    role_requested.send(sender=RoleGrant, grant=grant, actor=actor)
                continue
            setattr(person, role, True)
            changed.append(role)
            _record(person, role, RoleAction.GRANTED, actor, actor_name=actor_name)
            # A direct grant settles any request still waiting for the same role.
            RoleGrant.objects.pending().filter(person=person, role=role).update(
                status=GrantStatus.CONFIRMED, decided_by=actor, decided_at=timezone.now()
            )
        elif has and not want:
            setattr(person, role, False)
            changed.append(role)
            _record(person, role, RoleAction.REVOKED, actor, actor_name=actor_name)
    if changed:
        person.save(update_fields=changed)
    return asked


@transaction.atomic
def set_roles_as_operator(
    person: Person, *, actor_name: str, is_org_admin: bool, is_program_admin: bool, is_hr: bool
) -> None:
    """The operator of the instance (a Django superuser, the command line) sets a
    person's roles directly; each change is recorded under ``actor_name``."""
    current = Person.objects.select_for_update().get(pk=person.pk)
    _change_roles(
        None,
        current,
        {Role.ORG_ADMIN: is_org_admin, Role.PROGRAM_ADMIN: is_program_admin, Role.HR: is_hr},
        actor_name=actor_name,
    )
    for role in Role:
        setattr(person, role, getattr(current, role))


def _who_made_org_admin(admin: Person) -> int | None:
    """Who gave ``admin`` the org admin role they hold now (None: the operator, or no
    record). A second admin made by the first is no second pair of eyes: an admin could
    otherwise add an account whose password they chose and confirm their own grant."""
    change = (
        RoleChange.objects.filter(
            person=admin,
            role=Role.ORG_ADMIN,
            action__in=[RoleAction.GRANTED, RoleAction.CONFIRMED],
        )
        .order_by("-at", "-id")
        .values_list("actor_id", flat=True)
        .first()
    )
    return change


def _locked_pending(actor: Person, grant: RoleGrant) -> RoleGrant:
    """The grant, locked, if ``actor`` may decide it and it is still waiting."""
    if not policy.can_decide_grants(actor) or actor.organisation_id != grant.organisation_id:
        raise PermissionDenied
    # Only the grant's own row is locked: PostgreSQL locks no row of an outer join
    # (``decided_by`` may be empty).
    locked = (
        RoleGrant.objects.select_for_update(of=("self",))
        .select_related("person", "decided_by")
        .get(pk=grant.pk)
    )
    if locked.status != GrantStatus.PENDING:
        by = f" by {locked.decided_by.name}" if locked.decided_by else ""
        raise ValidationError(
            f"{locked.person.name} as {locked.get_role_display()} was already "
            f"{locked.get_status_display()}{by}. Nothing changed."
        )
    return locked


@transaction.atomic
def confirm_grant(actor: Person, grant: RoleGrant, *, now: dt.datetime | None = None) -> RoleGrant:
    """A second org admin confirms a role that reads content: the person has it from
    now on. Whoever asked for it cannot confirm it."""
    locked = _locked_pending(actor, grant)
    if locked.requested_by_id == actor.pk:
        raise ValidationError(
            "You asked for this role yourself: another org admin must confirm it. Nothing changed."
        )
    if locked.person_id == actor.pk:
        raise ValidationError(
            "This role is for you: another org admin must confirm it. Nothing changed."
        )
    maker = _who_made_org_admin(actor)
    if maker is not None and maker in {locked.requested_by_id, locked.person_id}:
        raise ValidationError(
            "You were made org admin by the person this role is for, or by whoever asked for"
            " it, so you cannot be the second admin who confirms it: another org admin must."
            " Nothing changed."
        )
    now = now or timezone.now()
    person = Person.objects.select_for_update().get(pk=locked.person_id)
    locked.status, locked.decided_by, locked.decided_at = GrantStatus.CONFIRMED, actor, now
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    role = Role(locked.role)
    setattr(person, role, True)
    person.save(update_fields=[role])
    _record(person, role, RoleAction.CONFIRMED, actor, at=now)
    return locked


@transaction.atomic
def decline_grant(actor: Person, grant: RoleGrant, *, now: dt.datetime | None = None) -> RoleGrant:
    """An org admin — the one who asked, too, to take it back — declines a waiting
    grant: the person does not get the role."""
    locked = _locked_pending(actor, grant)
    now = now or timezone.now()
    locked.status, locked.decided_by, locked.decided_at = GrantStatus.DECLINED, actor, now
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    _record(locked.person, Role(locked.role), RoleAction.DECLINED, actor, at=now)
    return locked


@transaction.atomic
def set_time_zone(actor: Person, name: str) -> Person:
    """The person chooses the zone their dates are shown in (blank: their
    organisation's). Only for themselves; returns them."""
    name = name.strip()
    validate_time_zone(name)
    actor.time_zone = name
    actor.save(update_fields=["time_zone"])
    log.info("person.time_zone_set person=%s", actor.pk)
    return actor


@transaction.atomic
def set_two_factor_required(actor: Person, organisation: Organisation, *, required: bool) -> None:
    """An org admin decides whether every member of their organisation signs in with
    two-factor authentication."""
    _require_admin_of(actor, organisation)
    Organisation.objects.filter(pk=organisation.pk).update(requires_two_factor=required)
    organisation.requires_two_factor = required
    log.info(
        "organisation.two_factor_required organisation=%s actor=%s required=%s",
        organisation.pk,
        actor.pk,
        required,
    )
