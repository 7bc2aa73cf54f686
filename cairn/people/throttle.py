"""The sign-in throttle: too many failures lock an account, or an address, for a while.

The policy (README, "Signing in"):

- an **account** (the username tried, whether or not it exists) that fails
  :data:`ACCOUNT_LIMIT` times within :data:`WINDOW` of its first failure is locked for
  :data:`LOCK`: even the right password is refused until then, with a message that
  is the same for an account that does not exist;
- an **address** (``REMOTE_ADDR``) that fails :data:`ADDRESS_LIMIT` times within
  :data:`WINDOW` is locked for :data:`LOCK`, whichever accounts it tried. Behind a
  reverse proxy the operator must make ``REMOTE_ADDR`` the client's address (the
  proxy's own would lock everyone together);
- a wrong second-step code (TOTP or recovery code) counts as a failure of the
  account and of the address;
- a successful sign-in clears the account's count (not the address's).

The counts live in Django's cache (``settings.CACHES``: in production the database
table every process shares). Counting is not atomic across processes, so an attacker
racing many requests at once may get a few more tries than the limit, never many.
Keys hold a hash of the username, never the username itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import time
import unicodedata
from dataclasses import dataclass

from django.core.cache import cache

ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20
WINDOW = dt.timedelta(minutes=15)
LOCK = dt.timedelta(minutes=15)

ACCOUNT_MESSAGE = "Too many failed sign-ins for this account. Try again in {minutes}."
ADDRESS_MESSAGE = "Too many failed sign-ins from your network address. Try again in {minutes}."


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _account_key(username: str) -> str:
    # NFKC, as the sign-in form reads it (Django's ``UsernameField``): "alice" in
    # fullwidth letters signs in as "alice", so it counts against "alice" too.
    return "cairn:signin:account:" + _digest(
        unicodedata.normalize("NFKC", username.strip()).strip().casefold()
    )


def _address_key(address: str) -> str:
    return "cairn:signin:address:" + _digest(address)


@dataclass(frozen=True)
class Lock:
    """A lock in force: what it is on, and until when (seconds since the epoch)."""

    on_account: bool
    until: float

    @property
    def message(self) -> str:
        minutes = max(1, math.ceil((self.until - time.time()) / 60))
        wording = "1 minute" if minutes == 1 else f"{minutes} minutes"
        template = ACCOUNT_MESSAGE if self.on_account else ADDRESS_MESSAGE
        return template.format(minutes=wording)


def _lock_of(key: str, *, on_account: bool) -> Lock | None:
    until = cache.get(key + ":lock")
    if isinstance(until, (int, float)) and until > time.time():
        return Lock(on_account=on_account, until=float(until))
    return None


def lock_for(username: str, address: str | None) -> Lock | None:
    """The lock that refuses this sign-in, if any (the account's first)."""
    lock = _lock_of(_account_key(username), on_account=True)
    if lock is None and address:
        lock = _lock_of(_address_key(address), on_account=False)
    return lock


def _count(key: str, limit: int) -> bool:
    """Count one failure under ``key``; lock it when that reaches ``limit``. Returns
    whether this failure locked it."""
    window = int(WINDOW.total_seconds())
    cache.add(key, 0, timeout=window)  # the window starts at the first failure
    try:
        failures = cache.incr(key)
    except ValueError:  # expired between the add and the incr
        cache.set(key, 1, timeout=window)
        failures = 1
    if failures < limit:
        return False
    seconds = int(LOCK.total_seconds())
    cache.set(key + ":lock", time.time() + seconds, timeout=seconds)
    cache.delete(key)
    return True


def record_failure(username: str, address: str | None) -> Lock | None:
    """Count a failed sign-in; returns the lock it set off, if it set one off."""
    account_locked = _count(_account_key(username), ACCOUNT_LIMIT)
    address_locked = bool(address) and _count(_address_key(address or ""), ADDRESS_LIMIT)
    if account_locked:
        return _lock_of(_account_key(username), on_account=True)
    if address_locked:
        return _lock_of(_address_key(address or ""), on_account=False)
    return None


def clear_account(username: str) -> None:
    """A successful sign-in: the account's failures are forgotten."""
    cache.delete(_account_key(username))
