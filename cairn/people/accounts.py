"""Accounts: the invitation a new person gets, and password reset by email.

An org admin never sets or learns anyone's password. Adding a person queues an
invitation to their own address, with a link to choose a password; the link works
once (its token hashes the account's password and last log-in, both of which change
when it is used) and for :data:`INVITATION_DAYS` days. Someone whose link has
expired, or who has forgotten their password, asks for a reset link, which works the
same way for ``settings.PASSWORD_RESET_TIMEOUT``.

Every email goes through :func:`cairn.mail.services.queue_email`, with links built
on ``settings.CAIRN_BASE_URL`` (never on the request's Host header). The emails name
people and the organisation, never anything they wrote.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

from cairn.mail.services import queue_email
from cairn.people.models import Person, User

log = logging.getLogger("cairn.people")

INVITATION_DAYS = 7


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Like Django's reset tokens (one use: the hash covers the password and the last
    log-in), with a salt of its own, so a reset token is no invitation and the other
    way round, and a lifetime of :data:`INVITATION_DAYS` days."""

    key_salt = "cairn.people.accounts.InvitationTokenGenerator"
    timeout = dt.timedelta(days=INVITATION_DAYS)

    def check_token(self, user: Any, token: str | None) -> bool:
        if not (user and token):
            return False
        try:
            ts_b36, _ = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        for secret in [self.secret, *self.secret_fallbacks]:
            if constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token):
                break
        else:
            return False
        return self._num_seconds(self._now()) - ts <= self.timeout.total_seconds()


invitation_tokens = InvitationTokenGenerator()


def _uid(user: User) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def invitation_url(user: User) -> str:
    path = reverse(
        "invitation", kwargs={"uidb64": _uid(user), "token": invitation_tokens.make_token(user)}
    )
    return settings.CAIRN_BASE_URL + path


def queue_invitation(actor: Person, person: Person) -> None:
    """Queue the invitation to ``person``'s own address (in the caller's transaction)."""
    context = {
        "person": person,
        "actor": actor,
        "organisation": person.organisation,
        "username": person.user.username,
        "url": invitation_url(person.user),
        "days": INVITATION_DAYS,
        "reset_url": settings.CAIRN_BASE_URL + reverse("password_reset"),
    }
    queue_email(
        key=f"invitation:{person.code}",
        to=person.user.email,
        subject=f"{actor.name} invited you to Cairn",
        text=render_to_string("people/email/invitation.txt", context),
    )
    log.info("person.invited person=%s actor=%s", person.pk, actor.pk)


class ResetForm(PasswordResetForm):
    """Django's reset form, queueing its email instead of sending it on the spot.

    Whatever address is entered, the page answers the same; an email goes only to an
    active account with that address. An invited person who has not yet chosen a
    password (an unusable one) may ask too: that is how an expired invitation is
    renewed.
    """

    def get_users(self, email: str) -> Iterator[User]:
        wanted = email.casefold()
        for user in User.objects.filter(email__iexact=email, is_active=True):
            if user.email.casefold() == wanted:
                yield user

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        user = context["user"]
        context = {
            **context,
            "url": settings.CAIRN_BASE_URL
            + reverse(
                "password_reset_confirm",
                kwargs={"uidb64": context["uid"], "token": context["token"]},
            ),
            "reset_url": settings.CAIRN_BASE_URL + reverse("password_reset"),
            "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        }
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        queue_email(
            key=f"password-reset:{user.pk}:{uuid.uuid4().hex}",
            to=to_email,
            subject=subject,
            text=render_to_string(email_template_name, context),
        )
        log.info("password.reset_requested user=%s", user.pk)


# What the validators ask of a new password (help text, not a password).
CHOOSING_HELP = (
    "At least 8 characters, not a common password, not all digits and not like your "
    "name, username or email."
)


class _PlainHelp:
    """Django's help for a new password is an HTML list; Cairn's fields show a line."""

    fields: dict[str, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = CHOOSING_HELP
        self.fields["new_password2"].label = "The new password again"


class SetForm(_PlainHelp, SetPasswordForm):  # type: ignore[type-arg]
    pass


class ChangeForm(_PlainHelp, PasswordChangeForm):
    pass
