"""A real SMTP server for tests, a pytest plugin registered by the root ``conftest.py``.

The ``smtp_server`` fixture starts ``aiosmtpd`` on loopback, on a free port, points
Django's SMTP backend at it for the test, and hands back an :class:`SMTPSink` that
holds every message the server accepted, parsed by the standard ``email`` package. An
email "arrived" in a test only when a mail server said so, so a test sees what a real
delivery would: headers, the text and HTML parts, attachments.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from email import message_from_bytes
from email import policy as email_policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.test.utils import override_settings

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


class SMTPSink:
    """The aiosmtpd handler: keeps each accepted message. ``before_accept``, when set,
    is called with the number of the message about to be accepted (1, 2, ...) and
    may refuse it by returning an SMTP reply (say ``"451 try again"``)."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.offered = 0
        self.before_accept: Callable[[int], str | None] | None = None
        self._lock = threading.Lock()
        self.port = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            self.offered += 1
            number = self.offered
        if self.before_accept is not None:
            refusal = self.before_accept(number)
            if refusal:
                return refusal
        parsed = message_from_bytes(envelope.content, policy=email_policy.default)
        with self._lock:
            self.messages.append(parsed)
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        """Wait until ``count`` messages arrived (for a worker in another process)."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return list(self.messages)


def part(message: EmailMessage, content_type: str) -> str:
    """The text of the message's part of that type ("text/plain", "text/html"), or ""."""
    for piece in message.walk():
        if piece.get_content_type() == content_type and not piece.is_multipart():
            return str(piece.get_content())
    return ""


@pytest.fixture
def smtp_server() -> Iterator[SMTPSink]:
    # aiosmtpd logs every line of every conversation (addresses included) at INFO.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    sink = SMTPSink()
    sink.port = free_port()
    controller = Controller(sink, hostname=HOST, port=sink.port)
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST=HOST,
            EMAIL_PORT=sink.port,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_TIMEOUT=5,
        ):
            yield sink
    finally:
        controller.stop()
