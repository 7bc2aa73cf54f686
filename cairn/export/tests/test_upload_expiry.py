"""An upload nobody confirms does not stay: a job queued with it deletes it once its
30 minutes are up, whether or not anyone uploads anything after it."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings

from cairn.export import document as doc
from cairn.export import services, tasks
from cairn.export.models import PendingImport
from cairn.testing import Cast, make_cast

NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def stash(cast: Cast, capture: Any) -> PendingImport:
    document: dict[str, Any] = json.loads(doc.dumps(doc.export_document(cast.report)))
    data = doc.dumps(document).encode()
    with capture(execute=True):
        pending, _ = services.stash_upload(cast.report, io.BytesIO(data), len(data))
    return pending


# The worker closes the database connection as it goes, so this test commits for
# real (and makes its own cast) instead of sharing the module's transaction.
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_the_worker_deletes_an_unconfirmed_upload_when_its_time_is_up(
    clock: time_machine.Traveller, django_capture_on_commit_callbacks: Any
) -> None:
    stash(make_cast(), django_capture_on_commit_callbacks)
    clock.move_to(NOW + dt.timedelta(minutes=29))
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert PendingImport.objects.count() == 1  # the job is not due yet

    clock.move_to(NOW + dt.timedelta(minutes=32))
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert not PendingImport.objects.exists()


def test_the_job_deletes_only_what_is_older_than_thirty_minutes(
    cast: Cast, clock: time_machine.Traveller, django_capture_on_commit_callbacks: Any
) -> None:
    stash(cast, django_capture_on_commit_callbacks)
    assert tasks.delete_expired(NOW + dt.timedelta(minutes=30)) == 0
    assert tasks.delete_expired(NOW + dt.timedelta(minutes=30, seconds=1)) == 1


def test_a_backend_that_cannot_wait_queues_nothing(
    cast: Cast, clock: time_machine.Traveller, django_capture_on_commit_callbacks: Any
) -> None:
    # The tests' immediate backend cannot hold a job back: the upload stays until the
    # next upload (or a worker with the database backend) deletes it.
    stash(cast, django_capture_on_commit_callbacks)
    assert not tasks.schedule_forgetting(NOW)
    assert PendingImport.objects.count() == 1
