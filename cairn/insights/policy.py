"""Who sees which insights page: the rows of docs/design.md's who-sees-what table that
insights owns. Every figure is a count; none of them holds content.

| page              | who                                                    |
|-------------------|--------------------------------------------------------|
| ``/insights/``    | everyone, their own figures only                       |
| ``/insights/team/`` | anyone with reports: their own engagements with them, |
|                   | fairness of attention named, plan coverage; per line   |
|                   | manager under them, groups of five or more only (of    |
|                   | fairness, the Gini only). Anyone else: 404             |

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
