"""The keys and the tokens: the newest key encrypts, every listed key decrypts, a
development key is made once under var/, and production refuses to start without a
key. (The columns themselves, read back with SQL, are proven in
``cairn/tests/test_crypto_at_rest.py``: trust cannot import the apps above it.)"""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.test.utils import override_settings
from hypothesis import given
from hypothesis import strategies as st

from cairn.testing.fixtures import TEST_ENCRYPTION_KEY
from cairn.trust import crypto

KEY_A = "nfCepopKF0Ldi_4LrKB1zGrWZbbOwU5X6c8MKqTDzm4="
KEY_B = "3_rYDYgyBS2YTtbkIMFYUBw6efwcV1i1YGoBy0Pfy4Q="
CANARY = "canary: I am thinking of leaving in March"


def test_a_token_hides_the_text_and_opens_again() -> None:
    token = crypto.encrypt(CANARY)
    assert "canary" not in token
    assert "March" not in token
    assert crypto.decrypt(token) == CANARY
    # Fresh randomness each time: equal texts do not give equal tokens.
    assert crypto.encrypt(CANARY) != token


def test_the_empty_text_is_encrypted_too() -> None:
    token = crypto.encrypt("")
    assert token != ""
    assert crypto.decrypt(token) == ""
    # Its token is as long as any short text's: the column does not say it is empty.
    assert len(token) == len(crypto.encrypt("x"))


@given(text=st.text())
def test_any_text_comes_back_as_it_went_in(text: str) -> None:
    # st.text() includes NUL and characters outside the BMP; PostgreSQL's text cannot
    # hold NUL, but the token is base64 and so holds anything.
    token = crypto.encrypt(text)
    assert token.isascii()
    assert "\x00" not in token
    assert crypto.decrypt(token) == text


def test_the_newest_key_encrypts_and_every_listed_key_decrypts() -> None:
    with override_settings(ENCRYPTION_KEYS=[KEY_A]):
        under_a = crypto.encrypt(CANARY)
    with override_settings(ENCRYPTION_KEYS=[KEY_B, KEY_A]):
        assert crypto.decrypt(under_a) == CANARY
        assert not crypto.is_under_newest_key(under_a)
        under_b = crypto.encrypt(CANARY)
        assert crypto.is_under_newest_key(under_b)
        rotated = crypto.rotate(under_a)
        assert crypto.is_under_newest_key(rotated)
    assert Fernet(KEY_B.encode()).decrypt(rotated.encode()).decode() == CANARY
    assert Fernet(KEY_B.encode()).decrypt(under_b.encode()).decode() == CANARY


def test_a_token_no_listed_key_opens_is_refused_without_showing_it() -> None:
    with override_settings(ENCRYPTION_KEYS=[KEY_A]):
        under_a = crypto.encrypt(CANARY)
    with override_settings(ENCRYPTION_KEYS=[KEY_B]), pytest.raises(crypto.UnreadableText) as no:
        crypto.decrypt(under_a)
    assert "CAIRN_ENCRYPTION_KEYS" in str(no.value)
    assert under_a not in str(no.value)
    with pytest.raises(crypto.UnreadableText):
        crypto.decrypt("not a token at all")


def test_tests_run_under_the_fixed_test_key() -> None:
    assert crypto.current_keys() == (TEST_ENCRYPTION_KEY,)


def test_without_keys_development_generates_one_key_once_readable_by_its_owner_alone(
    tmp_path: Path,
) -> None:
    key_file = tmp_path / "var" / "encryption.key"
    with override_settings(ENCRYPTION_KEYS=[], ENCRYPTION_KEY_FILE=key_file, PRODUCTION=False):
        token = crypto.encrypt(CANARY)
        assert crypto.decrypt(token) == CANARY
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text().strip()
    Fernet(key.encode())  # a real key
    assert Fernet(key.encode()).decrypt(token.encode()).decode() == CANARY
    assert [p.name for p in key_file.parent.iterdir()] == ["encryption.key"]


def test_a_development_key_already_there_is_reused(tmp_path: Path) -> None:
    key_file = tmp_path / "encryption.key"
    key_file.write_text(KEY_A + "\n")
    with override_settings(ENCRYPTION_KEYS=[], ENCRYPTION_KEY_FILE=key_file, PRODUCTION=False):
        assert crypto.current_keys() == (KEY_A,)
        token = crypto.encrypt(CANARY)
    assert Fernet(KEY_A.encode()).decrypt(token.encode()).decode() == CANARY
    assert key_file.read_text() == KEY_A + "\n"


def test_a_development_key_others_could_read_is_made_its_owners_alone(tmp_path: Path) -> None:
    key_file = tmp_path / "encryption.key"
    key_file.write_text(KEY_A + "\n")
    key_file.chmod(0o644)
    assert crypto.development_key.__wrapped__(key_file) == KEY_A
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_processes_starting_at_once_agree_on_one_development_key(tmp_path: Path) -> None:
    key_file = tmp_path / "encryption.key"
    # Not through the cache: each call is a process of its own finding no file.
    make = crypto.development_key.__wrapped__
    with ThreadPoolExecutor(max_workers=8) as pool:
        keys = set(pool.map(lambda _: make(key_file), range(16)))
    assert keys == {key_file.read_text().strip()}
    assert [p.name for p in tmp_path.iterdir()] == ["encryption.key"]


def test_generate_encryption_key_prints_a_new_key_each_time() -> None:
    made = []
    for _ in range(2):
        out = io.StringIO()
        call_command("generate_encryption_key", stdout=out)
        made.append(out.getvalue().strip())
    assert made[0] != made[1]
    for key in made:
        assert Fernet(key.encode()).decrypt(Fernet(key.encode()).encrypt(b"x")) == b"x"


# Settings, loaded in a fresh interpreter as cairn/lib/tests/test_settings.py does.

PRODUCTION = {
    "CAIRN_PRODUCTION": "1",
    "CAIRN_SECRET_KEY": "x" * 60,
    "CAIRN_ALLOWED_HOSTS": "cairn.example.org",
    "CAIRN_BASE_URL": "https://cairn.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
}


def load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CAIRN_")}
    return subprocess.run(
        [sys.executable, "-c", "import cairn.settings as s; print(len(s.ENCRYPTION_KEYS))"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_an_encryption_key() -> None:
    result = load_settings(**PRODUCTION)
    assert result.returncode != 0
    assert "Refusing to start in production mode" in result.stderr
    assert "CAIRN_ENCRYPTION_KEYS" in result.stderr


def test_production_starts_with_keys_newest_first() -> None:
    result = load_settings(**PRODUCTION, CAIRN_ENCRYPTION_KEYS=f"{KEY_B}, {KEY_A}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2"


@pytest.mark.parametrize("production", [True, False])
def test_a_key_that_is_no_fernet_key_is_refused_without_being_echoed(production: bool) -> None:
    env = dict(PRODUCTION) if production else {"DATABASE_URL": "sqlite:///:memory:"}
    result = load_settings(**env, CAIRN_ENCRYPTION_KEYS=f"{KEY_A},hunter2-not-a-key")
    assert result.returncode != 0
    assert "CAIRN_ENCRYPTION_KEYS: key number 2 is not a Fernet key" in result.stderr
    assert "hunter2" not in result.stderr
