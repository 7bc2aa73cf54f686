"""Encryption at rest: the keys, and text in and out of Fernet tokens.

The keys come from ``settings.ENCRYPTION_KEYS`` (``CAIRN_ENCRYPTION_KEYS``: Fernet keys,
comma-separated, newest first). The newest encrypts; every key decrypts, so a key
that was replaced stays listed until ``python -m cairn rotate_keys`` has re-encrypted
every row under the newest one. Production mode refuses to start without a key
(``cairn/settings.py``); outside it, with none configured, a key is generated once
into ``settings.ENCRYPTION_KEY_FILE`` (``var/encryption.key``, mode 0600) and reused.

A token is Fernet's: AES-128-CBC with an HMAC-SHA256, in URL-safe base64. It shows
nothing of the text but its length rounded up to 16 bytes, and when it was written.
The empty string is encrypted like any other text, so a column does not say which
texts are empty. Nothing here logs a text, a token or a key.
"""

from __future__ import annotations

import contextlib
import functools
import os
import tempfile
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = [
    "InvalidToken",
    "UnreadableText",
    "current_keys",
    "decrypt",
    "development_key",
    "encrypt",
    "generate_key",
    "is_under_newest_key",
    "rotate",
]


class UnreadableText(Exception):
    """A stored token that no configured key opens (a key was dropped too early, or
    the column holds something that was never encrypted)."""


def generate_key() -> str:
    """A new random Fernet key, as text for ``CAIRN_ENCRYPTION_KEYS``."""
    return Fernet.generate_key().decode("ascii")


def current_keys() -> tuple[str, ...]:
    """The keys in force, newest first."""
    configured = tuple(settings.ENCRYPTION_KEYS)
    if configured:
        return configured
    if getattr(settings, "PRODUCTION", False):
        # settings.py refuses this already; a second guard costs nothing.
        raise ImproperlyConfigured("CAIRN_ENCRYPTION_KEYS holds no key.")
    return (development_key(Path(settings.ENCRYPTION_KEY_FILE)),)


@functools.cache
def development_key(path: Path) -> str:
    """The key in ``path``, generated there (readable by its owner alone) when the
    file does not exist yet. Two processes starting at once agree on one key: each
    writes a whole file aside and links it into place, and the loser reads the
    winner's. A file others may read is made its owner's alone again."""
    try:
        key = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    else:
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, aside = tempfile.mkstemp(dir=path.parent, prefix=".encryption-key-")
    try:
        os.fchmod(descriptor, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(generate_key() + "\n")
        with contextlib.suppress(FileExistsError):
            os.link(aside, path)
    finally:
        os.unlink(aside)
    return path.read_text(encoding="ascii").strip()


@functools.cache
def _fernets(keys: tuple[str, ...]) -> tuple[MultiFernet, Fernet]:
    each = [Fernet(key.encode("ascii")) for key in keys]
    return MultiFernet(each), each[0]


def _all() -> MultiFernet:
    return _fernets(current_keys())[0]


def _newest() -> Fernet:
    return _fernets(current_keys())[1]


def encrypt(text: str) -> str:
    """``text`` as a token under the newest key."""
    return _newest().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    """The text of a token written under any of the keys in force."""
    try:
        return _all().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError) as error:
        raise UnreadableText(
            "No key in CAIRN_ENCRYPTION_KEYS opens this stored text: was a key "
            "removed before `rotate_keys` had re-encrypted its rows?"
        ) from error


def is_under_newest_key(token: str) -> bool:
    """Whether the newest key alone opens ``token`` (so rotating it would change
    nothing but its timestamp)."""
    try:
        _newest().decrypt(token.encode("ascii"))
    except (InvalidToken, UnicodeEncodeError):
        return False
    return True


def rotate(token: str) -> str:
    """The same text as a token under the newest key."""
    try:
        return _all().rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeEncodeError) as error:
        raise UnreadableText("No key in CAIRN_ENCRYPTION_KEYS opens this stored text.") from error
