"""The access log's retention job: records older than
``CAIRN_ACCESS_LOG_RETENTION_DAYS`` are deleted, once a day.

``prune_access_log`` deletes what is too old, then puts itself back on the queue to
run again a day later, so that one enqueue (``python -m cairn prune_access_log``, run once when the
instance is set up) keeps it going for as long as a worker runs. It never piles
up: before it enqueues the next run it looks for one already waiting in the
queue, and enqueues nothing when there is one. That look needs the database backend
(``django_tasks_db``), which is Cairn's; with a backend that cannot run a task later
or whose queue cannot be read, nothing is scheduled, and the command is to be run
by cron instead (it says so). Running it twice deletes nothing twice.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from django_tasks import TaskResultStatus, task

from cairn.trust import policy
from cairn.trust.models import AccessRecord

log = logging.getLogger(__name__)

EVERY = dt.timedelta(hours=24)


def prune(now: dt.datetime | None = None) -> int:
    """Delete the records older than the retention; returns how many."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=policy.retention_days())
    deleted, _ = AccessRecord.objects.filter(at__lt=cutoff).delete()
    log.info("access_log.pruned deleted=%s cutoff=%s", deleted, cutoff.isoformat())
    return deleted


@task()
def prune_access_log() -> int:
    """The daily job: prune, then make sure the next run is waiting."""
    deleted = prune()
    schedule_next()
    return deleted


def can_schedule() -> bool:
    """Whether the tasks backend runs a task later and lets us see its queue."""
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(prune_access_log.get_backend(), DatabaseBackend)


def waiting() -> bool:
    """Whether a run of the job is already in the queue, waiting for its time."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=prune_access_log.module_path, status=TaskResultStatus.READY
    ).exists()


def schedule_next(now: dt.datetime | None = None) -> bool:
    """Enqueue the job for a day from ``now``, unless a run is already waiting (or the
    backend cannot hold one back). Returns whether it enqueued."""
    if not can_schedule() or waiting():
        return False
    run_after = (now or timezone.now()) + EVERY
    prune_access_log.using(run_after=run_after).enqueue()
    log.info("access_log.prune_scheduled run_after=%s", run_after.isoformat())
    return True
