"""Sending for real: every email here is handed to an SMTP server on loopback
(``smtp_server``) and read back. One event, one email — twice run, still once; a
failed attempt is retried later, then given up; a claim left by a dead worker is taken
again, a live one is not."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cairn.mail import tasks
from cairn.mail.models import OutgoingEmail
from cairn.mail.services import queue_email
from cairn.mail.tasks import send_email
from cairn.testing.smtp import SMTPSink, free_port, part

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
TO = "riley@example.org"


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def queue(key: str = "e1") -> OutgoingEmail:
    email = queue_email(
        key=key,
        to=TO,
        subject="Cairn: Maria Manager proposed a coaching engagement",
        text="Maria Manager proposed a coaching engagement.\nhttp://cairn.test/e/1/\n",
        html="<p>Maria Manager proposed a coaching engagement.</p>",
    )
    assert email is not None
    return email


def refuse_all(number: int) -> str:
    return "451 Try again later"


def waiting_sends() -> list[Any]:
    return list(
        DBTaskResult.objects.filter(task_path=send_email.module_path, status=TaskResultStatus.READY)
    )


def test_an_email_queued_in_a_transaction_arrives_once_after_commit(
    smtp_server: SMTPSink, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        email = queue()
        assert smtp_server.messages == []  # nothing leaves before the event commits
    [message] = smtp_server.wait_for(1)
    assert message["Subject"] == "Cairn: Maria Manager proposed a coaching engagement"
    assert message["To"] == TO
    assert message["From"] == "cairn@localhost"
    assert message["Message-ID"] == f"<{email.code}@localhost>"
    assert part(message, "text/plain").startswith("Maria Manager proposed")
    assert "<p>Maria Manager proposed" in part(message, "text/html")
    email.refresh_from_db()
    assert email.sent_at is not None
    assert email.attempts == 1
    assert email.claimed_at is None


def test_running_the_job_twice_sends_once(
    smtp_server: SMTPSink, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        email = queue()
    assert send_email.call(str(email.code)) is False
    assert send_email.enqueue(str(email.code)).return_value is False
    assert len(smtp_server.wait_for(1)) == 1
    assert OutgoingEmail.objects.get().attempts == 1


def test_the_message_id_is_the_same_on_every_attempt_and_differs_between_emails() -> None:
    first, second = queue("e1"), queue("e2")
    assert tasks.message_id(first) == tasks.message_id(first)
    assert tasks.message_id(first) != tasks.message_id(second)


@override_settings(TASKS=DB_TASKS)
def test_a_refused_attempt_is_retried_later_with_a_growing_backoff(
    smtp_server: SMTPSink, clock: time_machine.Traveller
) -> None:
    email = queue()  # never committed, so no job: the test runs it itself
    smtp_server.before_accept = refuse_all

    assert send_email.call(str(email.code)) is False
    email.refresh_from_db()
    assert (email.attempts, email.sent_at, email.claimed_at) == (1, None, None)
    assert email.next_attempt_at == NOW + dt.timedelta(minutes=1)
    [retry] = waiting_sends()
    assert retry.run_after == NOW + dt.timedelta(minutes=1)
    assert retry.args_kwargs["args"] == [str(email.code)]

    # Run early (a duplicate job): nothing happens, the attempt is not counted.
    assert send_email.call(str(email.code)) is False
    assert OutgoingEmail.objects.get().attempts == 1

    clock.move_to(NOW + dt.timedelta(minutes=1))
    assert send_email.call(str(email.code)) is False
    email.refresh_from_db()
    assert email.next_attempt_at == NOW + dt.timedelta(minutes=1 + 4)

    smtp_server.before_accept = None
    clock.move_to(NOW + dt.timedelta(minutes=5))
    assert send_email.call(str(email.code)) is True
    assert len(smtp_server.wait_for(1)) == 1
    email.refresh_from_db()
    assert email.attempts == 3
    assert email.sent_at == NOW + dt.timedelta(minutes=5)


@override_settings(TASKS=DB_TASKS)
def test_after_the_last_attempt_it_gives_up_and_logs_ids_only(
    smtp_server: SMTPSink, clock: time_machine.Traveller, caplog: pytest.LogCaptureFixture
) -> None:
    email = queue()
    OutgoingEmail.objects.filter(pk=email.pk).update(attempts=tasks.MAX_ATTEMPTS - 1)
    smtp_server.before_accept = refuse_all
    with caplog.at_level(logging.INFO, logger="cairn.mail"):
        assert send_email.call(str(email.code)) is False
    email.refresh_from_db()
    assert email.gave_up_at == NOW
    assert email.attempts == tasks.MAX_ATTEMPTS
    assert waiting_sends() == []  # no retry queued
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("cairn."))
    assert f"email.gave_up email={email.pk}" in logged
    assert TO not in logged
    assert "Maria" not in logged
    # Given up is final: neither a late job nor the sweep sends it.
    smtp_server.before_accept = None
    assert send_email.call(str(email.code)) is False
    assert tasks.requeue_unsent(NOW + dt.timedelta(days=1)) == 0
    assert smtp_server.messages == []


def test_a_server_that_cannot_be_reached_counts_as_a_failed_attempt(
    clock: time_machine.Traveller,
) -> None:
    email = queue()
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=free_port(),  # nobody listens there
        EMAIL_TIMEOUT=2,
    ):
        assert send_email.call(str(email.code)) is False
    email.refresh_from_db()
    assert email.sent_at is None
    assert email.attempts == 1
    assert email.next_attempt_at == NOW + dt.timedelta(minutes=1)


def test_a_live_claim_is_left_alone_and_a_dead_workers_claim_is_taken_again(
    smtp_server: SMTPSink, clock: time_machine.Traveller
) -> None:
    email = queue()
    OutgoingEmail.objects.filter(pk=email.pk).update(
        claimed_at=NOW - dt.timedelta(minutes=1), attempts=1
    )
    assert send_email.call(str(email.code)) is False  # another job is sending it
    assert smtp_server.messages == []

    OutgoingEmail.objects.filter(pk=email.pk).update(
        claimed_at=NOW - tasks.CLAIM_TIMEOUT - dt.timedelta(seconds=1)
    )
    assert send_email.call(str(email.code)) is True
    assert len(smtp_server.wait_for(1)) == 1
    email.refresh_from_db()
    assert email.attempts == 2
    assert email.claimed_at is None


def test_the_sweep_requeues_lost_email_only(
    smtp_server: SMTPSink, clock: time_machine.Traveller
) -> None:
    # Queued outside a committed transaction: no job ran for any of these.
    lost = queue("lost")
    dead_claim = queue("dead-claim")
    live_claim = queue("live-claim")
    retry_later = queue("retry-later")
    sent = queue("sent")
    just_queued = queue("just-queued")
    old = NOW - tasks.GRACE - dt.timedelta(seconds=1)
    OutgoingEmail.objects.exclude(pk=just_queued.pk).update(created_at=old)
    OutgoingEmail.objects.filter(pk=dead_claim.pk).update(
        claimed_at=NOW - tasks.CLAIM_TIMEOUT, attempts=1
    )
    OutgoingEmail.objects.filter(pk=live_claim.pk).update(claimed_at=NOW, attempts=1)
    OutgoingEmail.objects.filter(pk=retry_later.pk).update(
        next_attempt_at=NOW + dt.timedelta(minutes=3), attempts=1
    )
    OutgoingEmail.objects.filter(pk=sent.pk).update(sent_at=old)

    assert tasks.requeue_unsent() == 2  # immediate backend: sent right away
    arrived = smtp_server.wait_for(2)
    assert sorted(m["Message-ID"] for m in arrived) == sorted(
        tasks.message_id(e) for e in (lost, dead_claim)
    )
    assert tasks.requeue_unsent() == 0  # and once only


@override_settings(TASKS=DB_TASKS)
def test_the_command_requeues_and_keeps_one_sweep_waiting(
    clock: time_machine.Traveller,
) -> None:
    email = queue()
    OutgoingEmail.objects.filter(pk=email.pk).update(created_at=NOW - dt.timedelta(hours=1))
    out = StringIO()
    call_command("send_unsent_email", stdout=out)
    assert "Queued 1 unsent emails again." in out.getvalue()
    assert "queued for the worker" in out.getvalue()
    [again] = waiting_sends()
    assert again.args_kwargs["args"] == [str(email.code)]
    call_command("send_unsent_email", stdout=StringIO())
    sweeps = DBTaskResult.objects.filter(task_path=tasks.sweep_unsent_email.module_path)
    [sweep] = sweeps
    assert sweep.run_after == NOW + tasks.SWEEP_EVERY


def test_a_copy_sent_again_after_a_lost_record_carries_the_same_message_id(
    smtp_server: SMTPSink, clock: time_machine.Traveller
) -> None:
    """The one case SMTP cannot rule out: the server accepted the message, and the
    worker died before recording it. The sweep sends it again; the copy is
    recognisable as the same message."""
    email = queue()
    assert send_email.call(str(email.code)) is True
    # What a worker killed just after the server's "250" leaves: a claim, no sent_at.
    OutgoingEmail.objects.filter(pk=email.pk).update(sent_at=None, claimed_at=NOW)
    clock.move_to(NOW + tasks.CLAIM_TIMEOUT)
    assert tasks.requeue_unsent() == 1
    first, second = smtp_server.wait_for(2)
    assert first["Message-ID"] == second["Message-ID"] == tasks.message_id(email)
