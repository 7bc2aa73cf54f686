"""The export app's background job: an upload nobody confirmed is deleted once its
time is up, by a job queued with the upload, so a whole export never lies about
waiting for the next person to upload something."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from django_tasks import task

from cairn.export.models import PendingImport

log = logging.getLogger(__name__)

# How long an upload waits for its person to confirm it.
PENDING_FOR = dt.timedelta(minutes=30)


def delete_expired(now: dt.datetime | None = None) -> int:
    """Delete every upload older than ``PENDING_FOR``; returns how many."""
    cutoff = (now or timezone.now()) - PENDING_FOR
    deleted, _ = PendingImport.objects.filter(uploaded_at__lt=cutoff).delete()
    if deleted:
        log.info("import.pending_expired deleted=%s", deleted)
    return deleted


@task()
def forget_expired_uploads() -> int:
    return delete_expired()


def schedule_forgetting(uploaded_at: dt.datetime) -> bool:
    """Queue the job for just after an upload made at ``uploaded_at`` expires, where
    the tasks backend can run a job later (Cairn's database backend can). Returns
    whether it queued one."""
    if not forget_expired_uploads.get_backend().supports_defer:
        return False
    run_after = uploaded_at + PENDING_FOR + dt.timedelta(minutes=1)
    forget_expired_uploads.using(run_after=run_after).enqueue()
    return True
