"""The named cast that every privacy test walks, and the people factories.

Plain functions and small data, no fixture files. The ``cast`` fixture
(``cairn.testing.fixtures``) makes the cast once per module."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, fields

from cairn.people import services as people
from cairn.people.models import Organisation, Person, Team

PASSWORD = "a-test-password-42"  # noqa: S105


_serial = itertools.count(1)


def make_org(name: str | None = None) -> Organisation:
    n = next(_serial)
    return people.create_organisation(name=name or f"Org {n}", slug=f"org-{n}")


def make_team(org: Organisation, name: str | None = None) -> Team:
    return people.add_team(None, org, name=name or f"Team {next(_serial)}")


def make_person(
    org: Organisation,
    name: str | None = None,
    *,
    manager: Person | None = None,
    team: Team | None = None,
    title: str = "Engineer",
    is_org_admin: bool = False,
    is_program_admin: bool = False,
    is_hr: bool = False,
) -> Person:
    n = next(_serial)
    name = name or f"Person {n}"
    username = f"{name.split()[0].lower()}{n}"
    return people.add_person(
        None,
        org,
        username=username,
        email=f"{username}@example.org",
        name=name,
        password=PASSWORD,
        title=title,
        team=team,
        manager=manager,
        is_org_admin=is_org_admin,
        is_program_admin=is_program_admin,
        is_hr=is_hr,
    )


@dataclass
class Cast:
    """Everyone a privacy test walks through.

    ``director`` manages ``manager``, who manages ``report``; ``peer`` is in the same
    team with the same manager; ``coach`` is elsewhere in the organisation; ``admin``
    is an org admin; ``program_admin`` runs mentoring programs; ``hr`` runs performance
    review cycles (the evaluation context); ``outsider`` belongs
    to another organisation (and is *their* org admin, the most privileged person
    there).
    """

    org: Organisation
    director: Person
    manager: Person
    report: Person
    peer: Person
    coach: Person
    admin: Person
    program_admin: Person
    hr: Person
    outsider: Person

    def everyone(self) -> dict[str, Person]:
        """Each person of the cast, by their role's name (``ROLES``)."""
        return {role: getattr(self, role) for role in ROLES}


# The roles of the cast, in the order privacy tests walk them.
ROLES: tuple[str, ...] = tuple(field.name for field in fields(Cast) if field.name != "org")


def make_cast() -> Cast:
    org = make_org("Acme")
    team = make_team(org, "Platform")
    director = make_person(org, "Dana Director", title="Director of Engineering")
    manager = make_person(
        org, "Maria Manager", manager=director, team=team, title="Engineering Manager"
    )
    report = make_person(org, "Riley Report", manager=manager, team=team)
    peer = make_person(org, "Pat Peer", manager=manager, team=team)
    coach = make_person(org, "Cody Coach", title="Staff Engineer")
    admin = make_person(org, "Ada Admin", title="People Operations", is_org_admin=True)
    program_admin = make_person(
        org, "Lee Learning", title="Learning & Development", is_program_admin=True
    )
    hr = make_person(org, "Harper Reviews", title="HR Business Partner", is_hr=True)
    other_org = make_org("Elsewhere Ltd")
    outsider = make_person(other_org, "Olga Outsider", is_org_admin=True)
    return Cast(org, director, manager, report, peer, coach, admin, program_admin, hr, outsider)
