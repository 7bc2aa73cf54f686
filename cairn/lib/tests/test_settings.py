"""Production mode refuses to start with insecure settings; flags refuse words they do not know."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from cairn.settings import env_flag

SECURE = {
    "CAIRN_PRODUCTION": "1",
    "CAIRN_SECRET_KEY": "x" * 60,
    "CAIRN_ALLOWED_HOSTS": "cairn.example.org",
    "CAIRN_BASE_URL": "https://cairn.example.org",
    "CAIRN_ENCRYPTION_KEYS": "nfCepopKF0Ldi_4LrKB1zGrWZbbOwU5X6c8MKqTDzm4=",
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
        ({"CAIRN_BASE_URL": "http://cairn.example.org"}, "CAIRN_BASE_URL"),
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


@pytest.mark.parametrize("word", ["1", "true", "TRUE", " Yes ", "on", "On"])
def test_a_flag_is_on_for_the_words_that_mean_yes(
    word: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CAIRN_SOME_FLAG", word)
    assert env_flag("CAIRN_SOME_FLAG", default=False) is True


@pytest.mark.parametrize("word", ["0", "false", "False", " no", "OFF", "", "  "])
def test_a_flag_is_off_for_the_words_that_mean_no(
    word: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CAIRN_SOME_FLAG", word)
    assert env_flag("CAIRN_SOME_FLAG", default=True) is False


@pytest.mark.parametrize("default", [True, False])
def test_an_unset_flag_takes_its_default(default: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CAIRN_SOME_FLAG", raising=False)
    assert env_flag("CAIRN_SOME_FLAG", default=default) is default


@pytest.mark.parametrize("word", ["ture", "enabled", "2", "y es", "nope"])
def test_a_flag_refuses_a_word_it_does_not_know(word: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAIRN_SOME_FLAG", word)
    with pytest.raises(ImproperlyConfigured) as refusal:
        env_flag("CAIRN_SOME_FLAG")
    message = str(refusal.value)
    assert "CAIRN_SOME_FLAG" in message
    assert repr(word) in message
    for accepted in ("1", "true", "yes", "on", "0", "false", "no", "off"):
        assert accepted in message


def test_production_mode_refuses_a_misspelt_flag() -> None:
    result = load_settings(**{**SECURE, "CAIRN_SSL_REDIRECT": "ture"})
    assert result.returncode != 0
    assert "CAIRN_SSL_REDIRECT" in result.stderr
