"""Sending queued email (``OutgoingEmail``), one job per message."""

from __future__ import annotations

import logging

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from cairn.mail.models import OutgoingEmail

log = logging.getLogger(__name__)


@task()
def send_email(code: str) -> bool:
    """Send one queued email unless it has gone already. Returns whether it sent."""
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(code=code).first()
        if email is None or email.sent_at is not None:
            return False
        email.attempts += 1
        message = EmailMultiAlternatives(email.subject, email.text, to=[email.to])
        if email.html:
            message.attach_alternative(email.html, "text/html")
        if email.ics:
            message.attach(
                "invite.ics",
                email.ics,
                f"text/calendar; method={email.ics_method or 'REQUEST'}; charset=utf-8",
            )
        message.send()
        email.sent_at = timezone.now()
        email.save(update_fields=["sent_at", "attempts"])
    log.info("email.sent email=%s", email.pk)
    return True
