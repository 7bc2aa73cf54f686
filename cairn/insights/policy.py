"""Who sees which insights page: the rows of docs/design.md's who-sees-what table that
insights owns. Every figure is a count; none of them holds content.

| page              | who                                                    |
|-------------------|--------------------------------------------------------|
| ``/insights/``    | everyone, their own figures only                       |
| ``/insights/team/`` | anyone with reports: their own engagements with them, |
|                   | fairness of attention named, plan coverage; per line   |
|                   | manager under them, groups of five or more only (of    |
|                   | fairness, the Gini only). Anyone else: 404             |
| ``/insights/organisation/`` | org admins and program admins: the organisation; |
|                   | anyone with reports: everyone under them. A team among |
|                   | theirs (another: 404). Anyone else: 404                |
| ``/insights/programs/<slug>/`` | program admins of its organisation; else 404 |
| ``/insights/developing-others/`` | as ``/insights/organisation/``          |

HR sees no coaching figure beyond their own page, even with reports (the wall:
coaching never feeds evaluation). Not yours: 404, never 403.
"""

from __future__ import annotations

from django.http import Http404

from cairn.people.models import Person


def has_reports(person: Person) -> bool:
    return Person.objects.filter(manager=person).exists()


def may_see_team(person: Person) -> bool:
    """Anyone with reports, HR excepted."""
    return not person.is_hr and has_reports(person)


def require_team(person: Person) -> None:
    """The team page, or a 404 as if it did not exist."""
    if not may_see_team(person):
        raise Http404


def leader_reach(person: Person) -> tuple[bool, Person | None]:
    """Whether ``person`` sees the leaders' insights, and over whom: ``(True, None)``
    the organisation (org and program admins), ``(True, person)`` everyone under a
    manager, ``(False, None)`` nothing. HR never."""
    if person.is_hr:
        return False, None
    if person.is_org_admin or person.is_program_admin:
        return True, None
    if has_reports(person):
        return True, person
    return False, None


def may_see_program(person: Person) -> bool:
    """A program's insights: its organisation's program admins (the view finds the
    program in the person's own organisation), HR excepted."""
    return person.is_program_admin and not person.is_hr
