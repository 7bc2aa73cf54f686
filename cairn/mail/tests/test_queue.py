"""queue_email(): one key, one email, sent once the event's transaction commits."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from cairn.mail.models import OutgoingEmail
from cairn.mail.services import queue_email
from cairn.mail.tasks import send_email

pytestmark = pytest.mark.django_db


def test_an_email_goes_once_the_transaction_commits(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        queue_email(key="e1", to="riley@example.org", subject="Cairn: hello", text="/x/")
        assert mail.outbox == []
    assert [m.subject for m in mail.outbox] == ["Cairn: hello"]
    assert OutgoingEmail.objects.get().sent_at is not None


def test_the_same_key_queues_nothing_and_a_sent_email_is_not_sent_again(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        queue_email(key="e1", to="riley@example.org", subject="s", text="t")
        assert queue_email(key="e1", to="riley@example.org", subject="s", text="t") is None
    code = str(OutgoingEmail.objects.get().code)
    assert send_email.call(code) is False
    assert len(mail.outbox) == 1


def test_a_subject_is_kept_to_one_line_so_that_it_can_be_sent(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        queue_email(
            key="e1", to="riley@example.org", subject="Cairn:\n a  session\r\nmoved", text="t"
        )
    assert [m.subject for m in mail.outbox] == ["Cairn: a session moved"]
