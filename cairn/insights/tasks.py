"""The insights app's background job: the leaders' figures counted again once they
are ``counted.FRESH_FOR`` old, while the page goes on showing the kept ones (see
``counted.py``). Its arguments are the kept key's parts: a page's name, ids and page
numbers, a time zone — never a name or a figure."""

from __future__ import annotations

import logging

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django_tasks import task

from cairn.insights import counted

log = logging.getLogger(__name__)


@task()
def recount(page: str, scope: list[int | None], zone: str) -> None:
    with timezone.override(zone):
        try:
            counted.keep(page, tuple(scope), zone)
        except ObjectDoesNotExist:
            # The person or team the scope hangs on is gone: nobody can ask for it.
            counted.forget(page, tuple(scope), zone)
            log.info("insights.recount_dropped page=%s", page)
