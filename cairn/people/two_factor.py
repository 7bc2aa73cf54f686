"""Two-factor sign-in (TOTP, with django-otp) and the account's sign-in records.

- **Turning it on.** The security page makes a secret and keeps it in the session
  (nothing is stored until it is confirmed); the person adds it to an authenticator
  app (QR code or the secret typed in) and types the code the app shows.
  :func:`enable` checks the code and only then stores a confirmed ``TOTPDevice``, with
  ten **recovery codes**, shown once.
- **Recovery codes** are django-otp static tokens, each usable once instead of a
  code. They are stored hashed: a code is 16 random base32 characters (80 bits), and
  the token kept is the first 16 hex digits of its SHA-256. Making new ones
  (:func:`regenerate_codes`) replaces every old one.
- **Turning it off** (:func:`disable`) needs a current code, and is refused where the
  organisation requires two-factor sign-in.
- **Records.** :func:`record` keeps a :class:`~cairn.people.models.SignInEvent` for
  the account's owner, and deletes that account's records older than
  ``SIGN_IN_EVENT_RETENTION_DAYS`` as it does.

Logs carry account ids and event kinds, never a code, secret or address.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import ipaddress
import logging
import os
import re
from base64 import b32encode
from binascii import unhexlify
from urllib.parse import quote, urlencode

import segno
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from cairn.people.models import (
    SIGN_IN_EVENT_RETENTION_DAYS,
    USER_AGENT_MAX,
    SignInEvent,
    SignInEventKind,
    User,
)

log = logging.getLogger("cairn.people")

ISSUER = "Cairn"
RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
_CODE_CHARACTERS = re.compile(r"[^a-z2-7]")


class TwoFactorError(Exception):
    """A two-factor change that cannot be made; its text is for the person."""


# --- records ---------------------------------------------------------------------------


def client_address(request: HttpRequest | None) -> str | None:
    """The client's address as the server saw it (``REMOTE_ADDR``), if it is one."""
    if request is None:
        return None
    raw = str(request.META.get("REMOTE_ADDR", ""))
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


def record(
    user_id: int,
    kind: SignInEventKind,
    request: HttpRequest | None,
    *,
    now: dt.datetime | None = None,
) -> SignInEvent:
    """Keep a record for the account's owner, and let go of their year-old ones."""
    now = now or timezone.now()
    agent = ""
    if request is not None:
        agent = str(request.META.get("HTTP_USER_AGENT", ""))[:USER_AGENT_MAX]
        agent = agent.replace("\x00", "")
    event = SignInEvent.objects.create(
        user_id=user_id, kind=kind, at=now, ip=client_address(request), user_agent=agent
    )
    SignInEvent.objects.filter(
        user_id=user_id, at__lt=now - dt.timedelta(days=SIGN_IN_EVENT_RETENTION_DAYS)
    ).delete()
    log.info("sign_in.%s user=%s event=%s", kind.value, user_id, event.pk)
    return event


# --- the secret and its QR code --------------------------------------------------------


def new_secret() -> str:
    """A new TOTP secret, hex-encoded as django-otp keeps it (20 bytes)."""
    return str(random_hex(20))


def secret_for_people(secret: str) -> str:
    """The secret as authenticator apps take it typed in: base32, in groups of four."""
    text = b32encode(unhexlify(secret)).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def provisioning_uri(user: User, secret: str) -> str:
    label = quote(f"{ISSUER}:{user.username}")
    query = urlencode(
        {
            "secret": b32encode(unhexlify(secret)).decode("ascii").rstrip("="),
            "issuer": ISSUER,
            "algorithm": "SHA1",
            "digits": 6,
            "period": 30,
        }
    )
    return f"otpauth://totp/{label}?{query}"


def qr_svg(uri: str) -> str:
    """The QR code as SVG markup: no ``style`` attribute, so it shows under the strict
    Content-Security-Policy."""
    out = io.BytesIO()
    segno.make(uri, error="m").save(
        out,
        kind="svg",
        xmldecl=False,
        svgns=True,
        scale=5,
        border=4,
        light="#fff",
        title="QR code for your authenticator app",
        svgclass="qr-code",
        lineclass=None,
    )
    return out.getvalue().decode("ascii")


def _totp_match(secret: str, code: str) -> int | None:
    """The time step at which ``code`` is the secret's code (now, or one step either
    side), or ``None``."""
    digits = code.strip().replace(" ", "")
    if not (digits.isascii() and digits.isdigit() and len(digits) == 6):
        return None
    totp = TOTP(unhexlify(secret))
    if totp.verify(int(digits), tolerance=1):
        return int(totp.t())
    return None


# --- recovery codes ---------------------------------------------------------------------


def _normalise(code: str) -> str:
    return _CODE_CHARACTERS.sub("", code.lower())


def _hashed(code: str) -> str:
    return hashlib.sha256(_normalise(code).encode("ascii")).hexdigest()[:16]


def _new_codes(user: User) -> list[str]:
    """Replace the account's recovery codes with ten new ones; returns them, to show
    once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [b32encode(os.urandom(10)).decode("ascii").lower() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=_hashed(c)) for c in codes)
    return ["-".join(c[i : i + 4] for i in range(0, 16, 4)) for c in codes]


def _locked_user(user: User) -> User:
    return User.objects.select_for_update().get(pk=user.pk)


# --- the services -----------------------------------------------------------------------


def enable(
    user: User, secret: str, code: str, request: HttpRequest | None
) -> tuple[TOTPDevice, list[str]]:
    """Confirm the app with a code it shows: store the device and ten recovery codes."""
    step = _totp_match(secret, code)
    if step is None:
        raise TwoFactorError("That code does not match. Type the 6-digit code your app shows now.")
    with transaction.atomic():
        locked = _locked_user(user)
        if locked.two_factor_enabled:
            raise TwoFactorError("Two-factor sign-in is already on for your account.")
        TOTPDevice.objects.filter(user=locked).delete()
        device = TOTPDevice.objects.create(
            user=locked, name=TOTP_DEVICE_NAME, key=secret, confirmed=True, last_t=step
        )
        codes = _new_codes(locked)
        User.objects.filter(pk=locked.pk).update(two_factor_enabled=True)
        user.two_factor_enabled = True
        record(locked.pk, SignInEventKind.TWO_FACTOR_ON, request)
    return device, codes


def verify(user: User, code: str, request: HttpRequest | None) -> Device | None:
    """The device that accepts ``code`` — the app's code, or a recovery code (used up)
    — or ``None``. django-otp's own throttling slows repeated failures on a device."""
    cleaned = code.strip().replace(" ", "")
    if cleaned.isascii() and cleaned.isdigit():
        for device in TOTPDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(cleaned):
                return device
        return None
    if len(_normalise(cleaned)) != 16:
        return None
    with transaction.atomic():
        for static in StaticDevice.objects.filter(user=user, confirmed=True):
            # Used up by the delete itself: of two requests with one code at once, only
            # the one whose delete removed the row goes on (``verify_token`` reads the
            # row, then deletes it, and says yes to both on PostgreSQL).
            deleted, _ = StaticToken.objects.filter(device=static, token=_hashed(cleaned)).delete()
            if deleted:
                static.set_last_used_timestamp()
                record(user.pk, SignInEventKind.RECOVERY_CODE_USED, request)
                return static
    return None


def regenerate_codes(user: User, request: HttpRequest | None) -> list[str]:
    with transaction.atomic():
        locked = _locked_user(user)
        if not locked.two_factor_enabled:
            raise TwoFactorError("Two-factor sign-in is off, so there are no recovery codes.")
        codes = _new_codes(locked)
        record(locked.pk, SignInEventKind.RECOVERY_CODES_NEW, request)
    return codes


def disable(user: User, code: str, request: HttpRequest | None) -> None:
    """Turn two-factor sign-in off, given a current code (or a recovery code)."""
    person = getattr(user, "person", None)
    if person is not None and person.organisation.requires_two_factor:
        raise TwoFactorError(
            "Your organisation requires two-factor sign-in, so it cannot be turned off."
        )
    if verify(user, code, request) is None:
        raise TwoFactorError("That code does not match. Nothing was changed.")
    with transaction.atomic():
        locked = _locked_user(user)
        TOTPDevice.objects.filter(user=locked).delete()
        StaticDevice.objects.filter(user=locked).delete()
        User.objects.filter(pk=locked.pk).update(two_factor_enabled=False)
        user.two_factor_enabled = False
        record(locked.pk, SignInEventKind.TWO_FACTOR_OFF, request)
