"""Email waiting to go, and email gone: one row per message, written in the same
transaction as the event it tells of, sent by a background job.

A message carries the kind of thing, a title and a link — never note, agenda, plan,
request, feedback or story text (the callers build it so; see ``services``)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone


class OutgoingEmail(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # One event, one email: whoever queues a message names it by a key made of the
    # event (say ``session-reminder:<session>:<date>:<person>``); queueing it again
    # finds the row already there.
    key = models.CharField(max_length=200, unique=True)
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    text = models.TextField()
    html = models.TextField(blank=True)
    # A calendar invitation, as iCalendar text, and its METHOD (REQUEST or CANCEL).
    ics = models.TextField(blank=True)
    ics_method = models.CharField(max_length=16, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # How many times a job has tried to hand it to the mail server.
    attempts = models.PositiveSmallIntegerField(default=0)
    # A job took it and is talking to the mail server since then. The claim is
    # committed before the server is reached, so no lock is held over the network; a
    # claim older than ``tasks.CLAIM_TIMEOUT`` belongs to a worker that died, and the
    # email may be taken again.
    claimed_at = models.DateTimeField(null=True, blank=True)
    # After a failed attempt: not before then (the retry's backoff).
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # After ``tasks.MAX_ATTEMPTS`` failed attempts, nobody tries again.
    gave_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # The sweep looks for email neither sent nor given up.
            models.Index(
                fields=["created_at"],
                name="email_unsent",
                condition=models.Q(sent_at__isnull=True, gave_up_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"Email {self.code}"
