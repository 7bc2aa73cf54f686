"""The mail server is configured by environment variables, and a contradiction (TLS
and SSL both on) or a port that is not a number stops Cairn at start."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings

SHOW = (
    "import cairn.settings as s; print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, "
    "s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, "
    "s.EMAIL_TIMEOUT, s.DEFAULT_FROM_EMAIL)"
)


def load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CAIRN_")}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", SHOW],
        env={**clean, "DATABASE_URL": "sqlite:///:memory:", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_smtp_server_is_read_from_the_environment() -> None:
    result = load_settings(
        CAIRN_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        CAIRN_EMAIL_HOST="smtp.example.org",
        CAIRN_EMAIL_PORT="587",
        CAIRN_EMAIL_USER="cairn",
        CAIRN_EMAIL_PASSWORD="s3cret",
        CAIRN_EMAIL_USE_TLS="yes",
        CAIRN_EMAIL_TIMEOUT="10",
        CAIRN_FROM_EMAIL="cairn@example.org",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.org",
        "587",
        "cairn",
        "s3cret",
        "True",
        "False",
        "10",
        "cairn@example.org",
    ]


def test_locally_email_is_printed_not_sent() -> None:
    result = load_settings()
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:3] == [
        "django.core.mail.backends.console.EmailBackend",
        "localhost",
        "25",
    ]


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({"CAIRN_EMAIL_USE_TLS": "1", "CAIRN_EMAIL_USE_SSL": "1"}, "are exclusive"),
        ({"CAIRN_EMAIL_PORT": "smtp"}, "CAIRN_EMAIL_PORT"),
        ({"CAIRN_EMAIL_USE_TLS": "ture"}, "CAIRN_EMAIL_USE_TLS"),
        ({"CAIRN_EMAIL_TIMEOUT": "0"}, "CAIRN_EMAIL_TIMEOUT"),
    ],
)
def test_a_setting_that_makes_no_sense_stops_the_start(env: dict[str, str], complaint: str) -> None:
    result = load_settings(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert complaint in result.stderr
