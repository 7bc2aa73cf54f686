"""Production mode refuses to start with insecure settings."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

SECURE = {
    "CAIRN_PRODUCTION": "1",
    "CAIRN_SECRET_KEY": "x" * 60,
    "CAIRN_ALLOWED_HOSTS": "cairn.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
}


def load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CAIRN_")}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import cairn.settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE)",
        ],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_mode_starts_with_secure_settings() -> None:
    result = load_settings(**SECURE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]


@pytest.mark.parametrize(
    ("override", "complaint"),
    [
        ({"CAIRN_SECRET_KEY": ""}, "CAIRN_SECRET_KEY"),
        ({"CAIRN_SECRET_KEY": "short"}, "CAIRN_SECRET_KEY"),
        ({"CAIRN_DEBUG": "1"}, "CAIRN_DEBUG"),
        ({"CAIRN_ALLOWED_HOSTS": ""}, "CAIRN_ALLOWED_HOSTS"),
    ],
)
def test_production_mode_refuses_insecure_settings(
    override: dict[str, str], complaint: str
) -> None:
    env = {**SECURE, **override}
    env = {k: v for k, v in env.items() if v}
    result = load_settings(**env)
    assert result.returncode != 0
    assert "Refusing to start in production mode" in result.stderr
    assert complaint in result.stderr


def test_local_mode_needs_no_configuration() -> None:
    result = load_settings(DATABASE_URL="sqlite:///:memory:")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False"]
