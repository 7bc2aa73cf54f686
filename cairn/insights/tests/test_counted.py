"""The leaders' figures are kept once counted (cairn.insights.counted): the same scope
asked again within fifteen minutes is answered from what was counted, the page says
when, and then it is counted afresh. A kept scope is never another's: not another
manager's (even of the same name), not another organisation's, and not for someone
who has lost the reach to see it. The world is organisation_world's (time: 15 June
2027, 12:00 UTC)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import warnings
from collections.abc import Iterator

import pytest
import time_machine
from django.core.cache import CacheKeyWarning, caches
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import task_backends

from cairn.coaching.tests.factories import one_on_one
from cairn.insights import counted, kept, tasks
from cairn.insights.tests.organisation_world import NOW, World, build, held
from cairn.people import services as people
from cairn.people import throttle
from cairn.people.models import Person
from cairn.testing import client_for, html, make_person

ORGANISATION = reverse("insights:organisation")
TEAM = reverse("insights:team")
DEVELOPING = reverse("insights:developing-others")


@pytest.fixture
def clock(db: None) -> Iterator[time_machine.Traveller]:
    """Time stands at organisation_world's NOW until a test moves it."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(clock: time_machine.Traveller) -> World:
    return build()  # (it travels back to build the past, and returns to NOW)


def summary(client: Client, url: str = ORGANISATION) -> dict[str, str]:
    response = client.get(url, {"csv": "summary"})
    assert response.status_code == 200, response.content
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    return {row[0]: row[1] for row in rows[1:]}


def test_the_figures_are_kept_fifteen_minutes_and_the_page_says_when(
    world: World, clock: time_machine.Traveller
) -> None:
    admin = client_for(world.admin)
    page = html(admin.get(ORGANISATION))
    assert "Counted at" in page
    assert "counted again every 15 minutes" in page
    assert summary(admin)["Sessions held"] == "10"
    # A one-on-one held now: the kept figures stand for a while.
    held(one_on_one(world.manager, world.reports[1]), NOW - dt.timedelta(hours=2))
    clock.shift(dt.timedelta(minutes=14))
    assert summary(admin)["Sessions held"] == "10"
    # Older than fifteen minutes, in a cache of this process's own (the development
    # server's): the page counts them again (with production's cache table the
    # worker does, below).
    clock.shift(dt.timedelta(minutes=2))
    assert summary(admin)["Sessions held"] == "11"
    assert "counted again every 15 minutes" in html(admin.get(ORGANISATION))


def test_the_managers_figures_are_theirs_the_organisations_the_organisations(
    world: World,
) -> None:
    # The admin sees the organisation (14 people), the manager the 9 under them; the
    # one counted first is never served to the other.
    assert summary(client_for(world.admin))["People"] == "14"
    assert summary(client_for(world.manager))["People"] == "9"
    assert summary(client_for(world.admin))["People"] == "14"
    # The director: everyone under them (Max and his 9).
    assert summary(client_for(world.director))["People"] == "10"


def test_two_managers_of_the_same_name_never_share_figures(world: World) -> None:
    namesake = make_person(world.org, world.manager.name, manager=world.director)
    for index in range(5):
        make_person(world.org, f"Namesake report {index}", manager=namesake)
    assert summary(client_for(world.manager))["People"] == "9"
    assert summary(client_for(namesake))["People"] == "5"
    assert summary(client_for(world.manager))["People"] == "9"
    # And on the team page, which names each one's own reports.
    mine = html(client_for(world.manager).get(TEAM))
    theirs = html(client_for(namesake).get(TEAM))
    assert "R1 Alpha" in mine
    assert "Namesake report" not in mine
    assert "Namesake report 0" in theirs
    assert "R1 Alpha" not in theirs


def test_another_organisation_never_gets_this_ones_figures(world: World) -> None:
    assert summary(client_for(world.admin))["Sessions held"] == "10"
    # The same organisation again, which has held one session more.
    other = build()
    held(one_on_one(other.manager, other.reports[1]), NOW - dt.timedelta(hours=2))
    assert summary(client_for(other.admin))["Sessions held"] == "11"
    assert summary(client_for(world.admin))["Sessions held"] == "10"


def test_losing_the_reach_loses_the_page_at_once(world: World) -> None:
    manager = client_for(world.manager)
    assert manager.get(ORGANISATION).status_code == 200
    assert manager.get(TEAM).status_code == 200
    # Max's reports are moved to the director: Max has nobody under him now.
    Person.objects.filter(manager=world.manager).update(manager=world.director)
    assert manager.get(ORGANISATION).status_code == 404
    assert manager.get(TEAM).status_code == 404
    assert manager.get(DEVELOPING).status_code == 404
    # HR never, kept figures or not.
    assert client_for(world.hr).get(ORGANISATION).status_code == 404


def test_the_team_page_is_kept_per_page_of_its_tables(world: World) -> None:
    manager = client_for(world.manager)
    first = manager.get(TEAM)
    assert first.status_code == 200
    # Another page of the line managers' table is counted for itself, not the first
    # page served again; a word for a page is still refused.
    assert manager.get(TEAM, {"lines": "2"}).status_code == 200
    assert manager.get(TEAM, {"lines": "two"}).status_code == 422
    assert "Counted at" in html(first)


def test_a_kept_page_is_cheaper_than_a_counted_one(world: World) -> None:
    from cairn.testing import count_queries

    admin = client_for(world.admin)
    caches["insights"].clear()
    counting = count_queries(lambda: admin.get(ORGANISATION))
    kept = count_queries(lambda: admin.get(ORGANISATION))
    # Kept: who is asking (the session, the account with its person) and the bell —
    # none of the counting's own (the team filter's search runs only when asked).
    assert kept == 3
    assert counting > kept + 8


DB_CACHE = "django.core.cache.backends.db.DatabaseCache"


def test_kept_figures_never_push_out_the_sign_in_throttles_counters(world: World) -> None:
    # Production's caches, each a table of ten entries: the insights' own table fills
    # and culls; the sign-in lock, in the other, stays.
    small = {"OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2}}
    with override_settings(
        CACHES={
            "default": {"BACKEND": DB_CACHE, "LOCATION": "zz_default", **small},
            "insights": {"BACKEND": DB_CACHE, "LOCATION": "zz_insights", **small},
        }
    ):
        call_command("createcachetable", verbosity=0)
        for _ in range(5):
            throttle.record_failure("victim", "10.0.0.1")
        assert throttle.lock_for("victim", None) is not None
        manager = client_for(world.manager)
        for number in range(1, 16):
            assert manager.get(TEAM, {"lines": str(number)}).status_code == 200
        assert throttle.lock_for("victim", None) is not None


def test_a_page_number_of_any_length_is_the_last_page_and_a_short_key(world: World) -> None:
    manager = client_for(world.manager)
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)  # a key too long for any cache
        response = manager.get(TEAM, {"lines": "9" * 400, "coverage": "9" * 40})
    assert response.status_code == 200
    assert "R1 Alpha" in html(response)


def test_months_are_counted_in_each_viewers_zone(
    world: World, clock: time_machine.Traveller
) -> None:
    # 30 June, 20:00 UTC: already 1 July in Auckland, still 30 June in London.
    clock.move_to(dt.datetime(2027, 6, 30, 20, 0, tzinfo=dt.UTC))
    people.set_time_zone(world.admin, "Pacific/Auckland")
    people.set_time_zone(world.program_admin, "Europe/London")

    def last_month(person: Person) -> str:
        response = client_for(person).get(ORGANISATION, {"csv": "sessions-by-direction"})
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        return rows[-1][0]

    assert last_month(world.admin) == "Jul 2027"
    assert last_month(world.program_admin) == "Jun 2027"


DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def as_in_production(world: World) -> Iterator[None]:
    """Production's insights cache, a table the worker shares, and a tasks backend
    that holds what is queued until the test runs it."""
    with override_settings(
        CACHES={
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "insights": {"BACKEND": DB_CACHE, "LOCATION": "zz_insights_shared"},
        },
        TASKS=DUMMY_TASKS,
    ):
        call_command("createcachetable", verbosity=0)
        yield


def queued() -> list[tuple[str, list[object]]]:
    """The tasks queued on the (dummy) backend: their paths and arguments."""
    results = task_backends["default"].results  # type: ignore[attr-defined]
    return [(result.task.module_path, list(result.args)) for result in results]


def run_queued() -> None:
    backend = task_backends["default"]
    for result in backend.results:  # type: ignore[attr-defined]
        result.task.call(*result.args, **result.kwargs)
    backend.clear()  # type: ignore[attr-defined]


def test_old_figures_are_counted_again_by_the_worker_while_the_page_shows_them(
    world: World, clock: time_machine.Traveller, as_in_production: None
) -> None:
    admin, manager = client_for(world.admin), client_for(world.manager)
    assert summary(admin)["Sessions held"] == "10"
    assert summary(manager)["Sessions held"] == "9"  # not the director's with him
    held(one_on_one(world.manager, world.reports[1]), NOW - dt.timedelta(hours=2))
    clock.shift(dt.timedelta(minutes=16))
    # Both viewers get the kept figures at once; each scope is queued once, with
    # its ids and the viewer's time zone — never a name, never a figure.
    for _ in range(3):
        assert summary(admin)["Sessions held"] == "10"
    assert summary(manager)["Sessions held"] == "9"
    assert "being counted again now" in html(admin.get(ORGANISATION))
    zone = timezone.get_default_timezone_name()  # neither has chosen one
    assert queued() == [
        ("cairn.insights.tasks.recount", ["organisation", [world.org.pk, None, None], zone]),
        (
            "cairn.insights.tasks.recount",
            ["organisation", [world.org.pk, world.manager.pk, None], zone],
        ),
    ]
    run_queued()
    assert summary(admin)["Sessions held"] == "11"
    assert summary(manager)["Sessions held"] == "10"
    assert "counted again every 15 minutes" in html(admin.get(ORGANISATION))
    assert queued() == []


def counted_then_one_more_held(world: World) -> Client:
    """The admin's client, once the organisation page has been counted (ten sessions
    held) and one more session has been held since."""
    admin = client_for(world.admin)
    assert summary(admin)["Sessions held"] == "10"
    held(one_on_one(world.manager, world.reports[1]), NOW - dt.timedelta(hours=2))
    return admin


def test_with_no_worker_one_recount_waits_and_the_page_counts_after_half_an_hour(
    world: World, clock: time_machine.Traveller, as_in_production: None
) -> None:
    admin = counted_then_one_more_held(world)
    for minutes in (16, 10, 3):  # 16, 26 and 29 minutes after the count
        clock.shift(dt.timedelta(minutes=minutes))
        assert summary(admin)["Sessions held"] == "10"
    assert len(queued()) == 1  # one recount for the kept count, never one per view
    clock.shift(dt.timedelta(minutes=2))
    assert summary(admin)["Sessions held"] == "11"  # counted by the page itself
    assert "counted again every 15 minutes" in html(admin.get(ORGANISATION))


def test_a_backend_that_runs_the_job_at_once_shows_its_count_at_once(
    world: World, clock: time_machine.Traveller, as_in_production: None
) -> None:
    admin = counted_then_one_more_held(world)
    clock.shift(dt.timedelta(minutes=16))
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    ):
        page = html(admin.get(ORGANISATION))
    assert "being counted again" not in page
    assert summary(admin)["Sessions held"] == "11"


def test_finished_recounts_leave_the_queue_after_an_hour(world: World) -> None:
    # Which scopes were opened when is a record of who looked: not kept.
    from django_tasks_db.models import DBTaskResult

    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    ):
        for _ in range(3):
            tasks.recount.enqueue("organisation", [world.org.pk, None, None], "UTC")
        runs = DBTaskResult.objects.filter(task_path=tasks.recount.module_path)
        old, recent, waiting = runs.order_by("enqueued_at")
        two_hours_ago = timezone.now() - dt.timedelta(hours=2)
        runs.filter(pk=old.pk).update(status="SUCCESSFUL", finished_at=two_hours_ago)
        runs.filter(pk=recent.pk).update(status="FAILED", finished_at=timezone.now())
        assert tasks.forget_finished_runs() == 1
        assert set(runs.values_list("pk", flat=True)) == {recent.pk, waiting.pk}


def test_the_worker_counts_what_the_page_counts(world: World) -> None:
    # Each kept page counted by the page, then by the worker's task from its
    # arguments as the queue hands them back (a list, the zone by name): the same
    # figures, under the same key.
    pages: dict[str, list[tuple[int | None, ...]]] = {
        "organisation": [(world.org.pk, None, None), (world.org.pk, world.manager.pk, None)],
        "developing": [(world.org.pk, None), (world.org.pk, world.director.pk)],
        "team": [(world.manager.pk, 1, 1), (world.director.pk, 1, 2)],
    }
    assert set(pages) == set(kept.COUNTERS)
    # And each team of the organisation alone.
    pages["organisation"] += [(world.org.pk, None, team.pk) for team in (world.alpha, world.beta)]
    zone = timezone.get_current_timezone_name()
    cache = caches[counted.CACHE]
    for name, scopes in pages.items():
        for scope in scopes:
            by_page = counted.keep(name, scope, zone).figures
            cache.clear()
            tasks.recount.call(name, list(scope), zone)
            by_worker = cache.get(counted._key(name, scope, zone), version=counted.SHAPE)
            assert by_worker is not None, (name, scope)
            assert by_worker.figures == by_page, (name, scope)


@pytest.mark.parametrize("gone", ["team", "manager"])
def test_a_recount_for_a_scope_that_is_gone_forgets_it(world: World, gone: str) -> None:
    scope = (world.org.pk, world.manager.pk, world.alpha.pk)
    counted.keep("organisation", scope, "UTC")
    key = counted._key("organisation", scope, "UTC")
    assert caches[counted.CACHE].get(key, version=counted.SHAPE) is not None
    if gone == "team":
        world.alpha.delete()
    else:
        world.manager.user.delete()
    tasks.recount.call("organisation", list(scope), "UTC")  # no error
    assert caches[counted.CACHE].get(key, version=counted.SHAPE) is None
