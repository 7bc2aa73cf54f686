"""Every write to people, teams and reporting lines, one function per use case."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from cairn.people import policy
from cairn.people.models import Organisation, Person, ReportingLines, Team, User
from cairn.people.signals import reporting_line_changed

log = logging.getLogger("cairn.people")


def _check_manager(person: Person | None, organisation_id: int, manager: Person | None) -> None:
    if manager is None:
        return
    if manager.organisation_id != organisation_id:
        raise ValidationError({"manager": "Choose a manager from your organisation."})
    if person is not None and ReportingLines.of(organisation_id).would_cycle(person.pk, manager.pk):
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

    Without a password the account cannot log in until one is set.
    """
    _require_admin_of(actor, organisation)
    _check_team(organisation.pk, team)
    _check_manager(None, organisation.pk, manager)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "That username is taken."})
    user = User.objects.create_user(username=username, email=email, password=password)
    person = Person.objects.create(
        organisation=organisation,
        user=user,
        name=name,
        title=title,
        team=team,
        manager=manager,
        is_org_admin=is_org_admin,
        is_program_admin=is_program_admin,
        is_hr=is_hr,
    )
    if manager is not None:
        reporting_line_changed.send(Person, person=person, old_manager=None, new_manager=manager)
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
) -> Person:
    """An org admin changes a person's details and reporting line."""
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
    person.is_org_admin = is_org_admin
    person.is_program_admin = is_program_admin
    person.save()
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
