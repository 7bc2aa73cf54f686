"""Periodic jobs: the registry that ``python -m cairn scheduler`` runs.

An app registers a job from its ``AppConfig.ready`` (through a module it imports
there), named and with how often it runs:

    @periodic("coaching.session-reminders", every=dt.timedelta(minutes=5))
    def session_reminders(now: dt.datetime) -> int: ...

A job gets the time of the pass and decides for itself what is due then (say, the
people whose Monday 07:00 has come). It must be safe to run twice, and by two
schedulers at once: everything it queues is named by a unique key (a notification's,
an email's), so a second run finds the first one's rows and adds nothing. That is
what lets a pass be retried, a scheduler be restarted at any moment, or two run
side by side during a deploy, without anyone being told twice.

The scheduler itself (``cairn/lib/management/commands/scheduler.py``) wakes once a
minute and runs the jobs whose interval has passed since it last ran them; it keeps
nothing but those times, in memory, so a restart simply runs every job at once.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import close_old_connections, connection, transaction

log = logging.getLogger(__name__)

JobFunction = Callable[[dt.datetime], object]


@dataclass(frozen=True)
class Job:
    name: str
    run: JobFunction
    every: dt.timedelta


_jobs: dict[str, Job] = {}


def periodic(
    name: str, *, every: dt.timedelta = dt.timedelta(minutes=1)
) -> Callable[[JobFunction], JobFunction]:
    """Register ``function`` as the job ``name``, run every ``every`` (at least a
    minute: the scheduler wakes once a minute)."""
    if every < dt.timedelta(minutes=1):
        raise ValueError("A periodic job runs at most once a minute.")

    def register(function: JobFunction) -> JobFunction:
        _jobs[name] = Job(name, function, every)
        return function

    return register


def jobs() -> list[Job]:
    return sorted(_jobs.values(), key=lambda job: job.name)


def run_job(job: Job, now: dt.datetime) -> bool:
    """One run of one job, in a transaction of its own (what it queues goes out when
    it commits). A job that fails is logged and rolled back; the others still run.
    Returns whether it succeeded."""
    started = time.perf_counter()
    try:
        with transaction.atomic():
            result = job.run(now)
    except Exception:
        log.exception("schedule.job_failed job=%s", job.name)
        return False
    log.info(
        "schedule.job_ran job=%s result=%s seconds=%.3f",
        job.name,
        result,
        time.perf_counter() - started,
    )
    return True


def _fresh_connection() -> None:
    """Drop a database connection gone stale between passes, as Django does between
    requests — but never one inside a transaction (a test's), which closing would
    break rather than refresh."""
    if not connection.in_atomic_block:
        close_old_connections()


def run_due(now: dt.datetime, last_runs: dict[str, dt.datetime]) -> list[str]:
    """Run every job whose interval has passed since ``last_runs`` (updated in
    place); a job never run yet is due. Returns the names of the jobs run."""
    ran = []
    for job in jobs():
        last = last_runs.get(job.name)
        # A few seconds' slack, so that a pass woken a little early still runs a
        # job due on the minute.
        if last is not None and now - last < job.every - dt.timedelta(seconds=5):
            continue
        _fresh_connection()
        run_job(job, now)
        last_runs[job.name] = now
        ran.append(job.name)
    return ran


def run_all(now: dt.datetime) -> list[str]:
    """One pass of every job, whatever its interval (``scheduler --once``, the tests
    and the benchmark)."""
    return run_due(now, {})
