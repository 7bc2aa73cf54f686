"""The insights app's background job: the leaders' figures counted again once they
are ``counted.FRESH_FOR`` old, while the page goes on showing the kept ones (see
``counted.py``). Its arguments are the kept key's parts: a page's name, ids and page
numbers, a time zone — never a name or a figure. Which scopes were opened, and when,
is still something of a record of who looked: the database backend's finished runs of
this job are deleted after ``FINISHED_KEPT_FOR``."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django_tasks import task

from cairn.insights import counted

log = logging.getLogger(__name__)

FINISHED_KEPT_FOR = dt.timedelta(hours=1)


@task()
def recount(page: str, scope: list[int | None], zone: str) -> None:
    forget_finished_runs()
    with timezone.override(zone):
        try:
            counted.keep(page, tuple(scope), zone)
        except ObjectDoesNotExist:
            # The person or team the scope hangs on is gone: nobody can ask for it.
            counted.forget(page, tuple(scope), zone)
            log.info("insights.recount_dropped page=%s", page)


def forget_finished_runs(now: dt.datetime | None = None) -> int:
    """Delete this job's runs that finished more than ``FINISHED_KEPT_FOR`` ago from
    the database backend's table (other backends keep none); returns how many."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(recount.get_backend(), DatabaseBackend):
        return 0
    cutoff = (now or timezone.now()) - FINISHED_KEPT_FOR
    deleted, _ = DBTaskResult.objects.filter(
        task_path=recount.module_path, finished_at__lt=cutoff
    ).delete()
    return deleted
