"""No lost update under real concurrency (issue 17, point 1): two threads, each with
its own database connection, save the same thing from the same opened version at
the same moment. Exactly one wins; the other gets ``Conflict`` (a 409 through the
web), never a 500 and never a silent overwrite — on PostgreSQL (the row lock makes
the second ``UPDATE … WHERE version = opened`` wait, then match nothing) and on
SQLite (``transaction_mode="IMMEDIATE"`` in settings: the second writer waits for
the first's transaction instead of failing with "database is locked").
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from cairn.coaching import services as coaching
from cairn.coaching.models import VersionStatus
from cairn.coaching.tests.factories import make_engagement
from cairn.growth import services as growth
from cairn.growth.models import DevelopmentPlan, Objective
from cairn.lib.versions import Conflict
from cairn.mentoring import services as mentoring
from cairn.mentoring.models import Program
from cairn.mentoring.tests.factories import make_program
from cairn.people.models import Person
from cairn.testing import Cast, client_for, make_cast, make_person

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("file_backed_sqlite"),
]

ROUNDS = 3


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls at once, each in its own thread with its own connection; what
    each returned, or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[index] = call()
        except BaseException as error:  # the test looks at what it was
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a save hung"
    return outcomes


def one_won(outcomes: list[Any]) -> Any:
    """Exactly one outcome is a success and every other a ``Conflict``."""
    conflicts = [o for o in outcomes if isinstance(o, Conflict)]
    others = [o for o in outcomes if isinstance(o, BaseException) and not isinstance(o, Conflict)]
    assert others == [], others
    wins = [o for o in outcomes if not isinstance(o, BaseException)]
    assert (len(wins), len(conflicts)) == (1, len(outcomes) - 1), outcomes
    return wins[0]


@pytest.fixture
def cast() -> Cast:
    # The shared fixture is built for tests that roll back; these commit.
    return make_cast()


def test_two_saves_of_one_plan_at_once(cast: Cast) -> None:
    owner = cast.report
    growth.save_plan(owner, dreams="start", become="")
    for n in range(ROUNDS):
        opened = DevelopmentPlan.objects.get(owner=owner).version
        saves = [
            partial(
                growth.save_plan, owner, dreams=f"round {n} tab {tab}", become="", opened=opened
            )
            for tab in "AB"
        ]
        winner = one_won(race(*saves))
        plan = DevelopmentPlan.objects.get(owner=owner)
        assert (plan.dreams, plan.version) == (winner.dreams, opened + 1)


def _update_objective(owner: Person, pk: int, what: str, opened: int) -> Objective:
    return growth.update_objective(owner, Objective.objects.get(pk=pk), what=what, opened=opened)


def test_two_saves_of_one_objective_at_once(cast: Cast) -> None:
    owner = cast.report
    objective = growth.add_objective(owner, what="start")
    for n in range(ROUNDS):
        opened = Objective.objects.get(pk=objective.pk).version
        saves = [
            partial(_update_objective, owner, objective.pk, f"round {n} tab {tab}", opened)
            for tab in "AB"
        ]
        winner = one_won(race(*saves))
        saved = Objective.objects.get(pk=objective.pk)
        assert (saved.what, saved.version) == (winner.what, opened + 1)


def test_both_parties_propose_an_amendment_at_once(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    for n in range(ROUNDS):
        terms = coaching.current_terms(engagement)
        opened = engagement.agreement_versions.order_by("-number").values_list("number", flat=True)[
            0
        ]
        proposals = [
            partial(
                coaching.propose_amendment,
                party,
                engagement,
                replace(terms, purpose=f"round {n} by {party.name}"),
                opened=opened,
            )
            for party in (cast.coach, cast.report)
        ]
        winner = one_won(race(*proposals))
        waiting = engagement.agreement_versions.get(status=VersionStatus.PENDING)
        assert (waiting.pk, waiting.number) == (winner.pk, opened + 1)


def _save_settings(admin: Person, pk: int, purpose: str, opened: int) -> Program:
    fresh = Program.objects.get(pk=pk)
    data = mentoring.ProgramData(
        name=fresh.name,
        purpose=purpose,
        starts_on=fresh.starts_on,
        ends_on=fresh.ends_on,
        enrolment_opens=fresh.enrolment_opens,
        enrolment_closes=fresh.enrolment_closes,
    )
    return mentoring.update_program(admin, fresh, data, opened=opened)


def test_two_admins_save_a_programs_settings_at_once(cast: Cast) -> None:
    other = make_person(cast.org, "Sam Second-Admin", is_program_admin=True)
    program = make_program(cast.program_admin)
    for n in range(ROUNDS):
        opened = Program.objects.get(pk=program.pk).version
        saves = [
            partial(_save_settings, admin, program.pk, f"round {n} by {admin.name}", opened)
            for admin in (cast.program_admin, other)
        ]
        winner = one_won(race(*saves))
        assert Program.objects.get(pk=program.pk).purpose == winner.purpose


def _post_status(client: Client, url: str, data: dict[str, str]) -> int:
    return client.post(url, data).status_code


def test_two_browsers_post_the_plan_at_once_one_302_one_409(cast: Cast) -> None:
    owner = cast.report
    growth.save_plan(owner, dreams="start", become="")
    url = reverse("growth:plan")
    for n in range(ROUNDS):
        version = str(DevelopmentPlan.objects.get(owner=owner).version)
        posts = [
            partial(
                _post_status,
                client_for(owner),
                url,
                {"dreams": f"round {n} tab {tab}", "become": "", "version": version},
            )
            for tab in "AB"
        ]
        statuses = race(*posts)
        assert sorted(statuses) == [302, 409], statuses
        assert DevelopmentPlan.objects.get(owner=owner).version == int(version) + 1
