"""Queueing email. Every email Cairn sends goes through :func:`queue_email`, in the
transaction of the event it tells of; a background job (``tasks.send_email``) sends it
once that transaction has committed."""

from __future__ import annotations

import logging

from django.db import transaction

from cairn.mail.models import OutgoingEmail

log = logging.getLogger(__name__)


def queue_email(
    *,
    key: str,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    ics: str = "",
    ics_method: str = "",
) -> OutgoingEmail | None:
    """Queue one email, named by ``key`` (one event, one email: a key already queued
    queues nothing and returns None). An empty ``to`` queues nothing either."""
    if not to:
        return None
    email, created = OutgoingEmail.objects.get_or_create(
        key=key[:200],
        defaults={
            "to": to,
            # One line: a line break in a header is refused by Django at sending
            # time, which would fail every attempt.
            "subject": " ".join(subject.split())[:200],
            "text": text,
            "html": html,
            "ics": ics,
            "ics_method": ics_method,
        },
    )
    if not created:
        return None
    code = str(email.code)
    transaction.on_commit(lambda: _enqueue(code))
    log.info("email.queued email=%s", email.pk)
    return email


def _enqueue(code: str) -> None:
    from cairn.mail.tasks import send_email

    send_email.enqueue(code)
