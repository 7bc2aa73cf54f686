"""Sending queued email (``OutgoingEmail``), one job per message.

One event, one email, even when a job runs twice or a worker dies:

1. **Claim.** Under a row lock, a job takes the email unless it is sent, given up,
   waiting for its retry's time, or claimed by a live job; it counts the attempt and
   commits the claim *before* talking to the mail server, so no lock (on SQLite: no
   write transaction) is held over the network.
2. **Send**, with a Message-ID made from the email's code: the same email always
   carries the same Message-ID, so a duplicate delivery can be recognised.
3. **Mark it sent** (and release the claim). A failed attempt releases the claim and
   queues a retry after a backoff; after ``MAX_ATTEMPTS`` it gives up and says so in
   the log, by ids only.

A worker killed between 1 and 3 leaves a claim nobody releases and a job the
database backend shows as running forever. The sweep (``sweep_unsent_email``, a job
that puts itself back on the queue every ``SWEEP_EVERY``, and the command
``python -m cairn send_unsent_email`` that ``make worker`` runs first) queues a job
again for every email neither sent nor given up whose claim is older than
``CLAIM_TIMEOUT`` (or that nobody claimed for ``GRACE``). So no email is lost. The
one window that can still send twice is a worker killed after the server accepted
the message and before step 3 committed (milliseconds): the second copy then
carries the same Message-ID. SMTP cannot promise better.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from cairn.mail.models import OutgoingEmail

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# The first retry waits a minute, each next one four times longer (4, 16, 64 min).
FIRST_BACKOFF = dt.timedelta(minutes=1)
# Far longer than any live attempt can take (EMAIL_TIMEOUT bounds each step of the
# conversation with the server): a claim this old belongs to a worker that died.
CLAIM_TIMEOUT = dt.timedelta(minutes=10)
# An email nobody claimed for this long lost its job (or the job waits behind many).
GRACE = dt.timedelta(minutes=5)
SWEEP_EVERY = dt.timedelta(minutes=10)
# At most this many jobs queued by one pass of the sweep; the next pass takes the rest.
SWEEP_BATCH = 1000


def backoff(attempts: int) -> dt.timedelta:
    """How long to wait after the ``attempts``-th failed attempt."""
    factor: int = 4 ** max(attempts - 1, 0)
    return FIRST_BACKOFF * factor


def message_id(email: OutgoingEmail) -> str:
    """The same for every attempt of one email, and different for every email."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "cairn.invalid"
    return f"<{email.code}@{domain}>"


def build_message(email: OutgoingEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        email.subject,
        email.text,
        to=[email.to],
        headers={"Message-ID": message_id(email)},
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    if email.ics:
        message.attach(
            "invite.ics",
            email.ics,
            f"text/calendar; method={email.ics_method or 'REQUEST'}; charset=utf-8",
        )
    return message


def _claim(code: str, now: dt.datetime) -> OutgoingEmail | None:
    """Take the email for this job, or None when it is not to be sent now."""
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(code=code).first()
        if email is None or email.sent_at is not None or email.gave_up_at is not None:
            return None
        if email.claimed_at is not None and email.claimed_at > now - CLAIM_TIMEOUT:
            return None  # another job is sending it right now
        if email.next_attempt_at is not None and email.next_attempt_at > now:
            return None  # a retry is queued for later; this run came early
        email.attempts += 1
        email.claimed_at = now
        email.save(update_fields=["attempts", "claimed_at"])
    return email


@task()
def send_email(code: str) -> bool:
    """Send one queued email unless it has gone already (or is being sent, or given
    up). Returns whether this run sent it."""
    now = timezone.now()
    email = _claim(code, now)
    if email is None:
        return False
    try:
        build_message(email).send()
    except Exception as error:  # the mail server said no, or could not be reached
        _failed(email, error)
        return False
    OutgoingEmail.objects.filter(pk=email.pk).update(
        sent_at=timezone.now(), claimed_at=None, next_attempt_at=None
    )
    log.info("email.sent email=%s attempts=%s", email.pk, email.attempts)
    return True


def _failed(email: OutgoingEmail, error: Exception) -> None:
    now = timezone.now()
    reason = type(error).__name__  # never the message: it may quote the address
    if email.attempts >= MAX_ATTEMPTS:
        OutgoingEmail.objects.filter(pk=email.pk).update(claimed_at=None, gave_up_at=now)
        log.error("email.gave_up email=%s attempts=%s error=%s", email.pk, email.attempts, reason)
        return
    retry_at = now + backoff(email.attempts)
    OutgoingEmail.objects.filter(pk=email.pk).update(claimed_at=None, next_attempt_at=retry_at)
    log.warning(
        "email.failed email=%s attempts=%s error=%s retry_at=%s",
        email.pk,
        email.attempts,
        reason,
        retry_at.isoformat(),
    )
    if can_schedule():
        send_email.using(run_after=retry_at).enqueue(str(email.code))
    # Otherwise (a backend that cannot wait) the sweep, run by cron, retries it.


def unsent(now: dt.datetime) -> Q:
    """Email to queue a job for again: neither sent nor given up, not claimed by a
    live job, due, and waiting for longer than its own job would take."""
    return (
        Q(sent_at__isnull=True, gave_up_at__isnull=True)
        & (Q(claimed_at__isnull=True) | Q(claimed_at__lte=now - CLAIM_TIMEOUT))
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        & (
            Q(claimed_at__isnull=False)
            | Q(next_attempt_at__isnull=False)
            | Q(created_at__lte=now - GRACE)
        )
    )


def requeue_unsent(now: dt.datetime | None = None) -> int:
    """Queue a job for each email whose job was lost; returns how many. A job too
    many is harmless: it finds the email sent, or claimed, and does nothing."""
    codes = list(
        OutgoingEmail.objects.filter(unsent(now or timezone.now()))
        .order_by("created_at", "id")
        .values_list("code", flat=True)[:SWEEP_BATCH]
    )
    for code in codes:
        send_email.enqueue(str(code))
    if codes:
        log.info("email.requeued count=%s", len(codes))
    return len(codes)


@task()
def sweep_unsent_email() -> int:
    """The periodic sweep: requeue lost email, then make sure the next pass waits."""
    count = requeue_unsent()
    schedule_sweep()
    return count


def can_schedule() -> bool:
    """Whether the tasks backend runs a task later and lets us see its queue."""
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(send_email.get_backend(), DatabaseBackend)


def sweep_waiting() -> bool:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=sweep_unsent_email.module_path, status=TaskResultStatus.READY
    ).exists()


def schedule_sweep(now: dt.datetime | None = None) -> bool:
    """Enqueue the sweep for ``SWEEP_EVERY`` from now unless a pass already waits
    (or the backend cannot hold one back). Returns whether it enqueued."""
    if not can_schedule() or sweep_waiting():
        return False
    run_after = (now or timezone.now()) + SWEEP_EVERY
    sweep_unsent_email.using(run_after=run_after).enqueue()
    return True
