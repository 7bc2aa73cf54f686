"""Records older than the retention are deleted by a daily job that keeps itself
going and never piles up; the retention is a positive number of days, or Cairn
refuses to start. Time is travelled with time_machine, never slept on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cairn.settings import env_positive_int
from cairn.testing import Cast
from cairn.trust import tasks
from cairn.trust.models import AccessRecord
from cairn.trust.policy import retention_days
from cairn.trust.tests.factories import make_record

NOW = dt.datetime(2026, 6, 1, 3, 0, tzinfo=dt.UTC)
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def waiting_runs() -> list[Any]:
    return list(
        DBTaskResult.objects.filter(
            task_path=tasks.prune_access_log.module_path, status=TaskResultStatus.READY
        )
    )


def test_the_job_deletes_records_older_than_the_retention_and_keeps_the_rest(
    cast: Cast, clock: time_machine.Traveller
) -> None:
    days = retention_days()
    assert days == 730
    old = make_record(cast.report, cast.coach, at=NOW - dt.timedelta(days=days, seconds=1))
    kept = make_record(cast.report, cast.coach, at=NOW - dt.timedelta(days=days - 1))
    fresh = make_record(cast.peer, cast.coach, at=NOW)
    result = tasks.prune_access_log.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 1
    assert set(AccessRecord.objects.values_list("pk", flat=True)) == {kept.pk, fresh.pk}
    assert not AccessRecord.objects.filter(pk=old.pk).exists()
    # Run twice: nothing more to delete, no harm.
    assert tasks.prune_access_log.enqueue().return_value == 0


@override_settings(CAIRN_ACCESS_LOG_RETENTION_DAYS=30)
def test_the_retention_is_configurable(cast: Cast, clock: time_machine.Traveller) -> None:
    make_record(cast.report, cast.coach, at=NOW - dt.timedelta(days=31))
    make_record(cast.report, cast.coach, at=NOW - dt.timedelta(days=29))
    assert tasks.prune() == 1
    assert AccessRecord.objects.count() == 1


@pytest.mark.parametrize("value", [0, -5, "30", 1.5, True, None])
def test_a_retention_that_is_not_a_positive_whole_number_is_refused(
    cast: Cast, value: object
) -> None:
    make_record(cast.report, cast.coach, at=NOW - dt.timedelta(days=3000))
    with (
        override_settings(CAIRN_ACCESS_LOG_RETENTION_DAYS=value),
        pytest.raises(ImproperlyConfigured, match="CAIRN_ACCESS_LOG_RETENTION_DAYS"),
    ):
        tasks.prune()
    assert AccessRecord.objects.count() == 1  # nothing deleted on a guess


@pytest.mark.parametrize("value", ["0", "-1", "two years", "1.5", "7d"])
def test_the_environment_variable_is_checked(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("CAIRN_ACCESS_LOG_RETENTION_DAYS", value)
    with pytest.raises(ImproperlyConfigured, match="not a positive whole number"):
        env_positive_int("CAIRN_ACCESS_LOG_RETENTION_DAYS", 730)


def test_the_environment_variable_defaults_and_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CAIRN_ACCESS_LOG_RETENTION_DAYS", raising=False)
    assert env_positive_int("CAIRN_ACCESS_LOG_RETENTION_DAYS", 730) == 730
    monkeypatch.setenv("CAIRN_ACCESS_LOG_RETENTION_DAYS", " 90 ")
    assert env_positive_int("CAIRN_ACCESS_LOG_RETENTION_DAYS", 730) == 90


@override_settings(TASKS=DB_TASKS)
def test_the_command_prunes_now_and_queues_the_daily_job_once(
    cast: Cast, clock: time_machine.Traveller
) -> None:
    make_record(cast.report, cast.coach, at=NOW - dt.timedelta(days=800))
    out = StringIO()
    call_command("prune_access_log", stdout=out)
    assert "Deleted 1 access records older than 730 days." in out.getvalue()
    assert "queued for the worker" in out.getvalue()
    assert not AccessRecord.objects.exists()
    [run] = waiting_runs()
    assert run.run_after == NOW + dt.timedelta(hours=24)
    # Again, and again: still one run waiting.
    call_command("prune_access_log", stdout=StringIO())
    assert not tasks.schedule_next()
    assert len(waiting_runs()) == 1


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_the_worker_runs_the_job_a_day_later_and_it_queues_the_next(
    clock: time_machine.Traveller,
) -> None:
    from cairn.testing import make_cast

    cast = make_cast()
    call_command("prune_access_log", stdout=StringIO())
    make_record(cast.report, cast.coach, at=NOW - dt.timedelta(days=729, hours=12))
    # Not yet due: the worker leaves it waiting.
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert AccessRecord.objects.count() == 1
    assert len(waiting_runs()) == 1

    clock.move_to(NOW + dt.timedelta(hours=25))
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert not AccessRecord.objects.exists()  # now older than 730 days
    done = DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL)
    assert done.count() == 1
    [following] = waiting_runs()
    assert following.run_after == NOW + dt.timedelta(hours=25 + 24)


def test_a_backend_that_cannot_wait_schedules_nothing(
    cast: Cast, clock: time_machine.Traveller
) -> None:
    # The tests' immediate backend runs a task at once and cannot hold one back.
    assert not tasks.can_schedule()
    assert not tasks.schedule_next()
    out = StringIO()
    call_command("prune_access_log", stdout=out)
    assert "run this command daily" in out.getvalue()
    assert not DBTaskResult.objects.exists()
