"""Every page in the signed-in person's time zone.

The zone's name is kept in the session when the person signs in (and when they
change it), so showing a page in it costs no query: the session is read for the
sign-in anyway. A session from before the name was kept looks the person up once
and keeps it. A change to the organisation's zone reaches a person at their next
sign-in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from cairn.people.models import Person, effective_time_zone, time_zone_names

SESSION_KEY = "cairn_time_zone"


def zone_name_for_user(user_id: int) -> str:
    """The zone of the person behind an account; the instance's for an account
    with no person (a superuser made for the Django admin)."""
    zones = (
        Person.objects.filter(user_id=user_id)
        .values_list("time_zone", "organisation__time_zone")
        .first()
    )
    return effective_time_zone(*(zones or ("", "")))


def remember_zone(request: HttpRequest, name: str) -> None:
    """Keep ``name`` as this browser session's zone, and use it for the rest of the
    request."""
    request.session[SESSION_KEY] = name
    timezone.activate(name)


@receiver(user_logged_in, dispatch_uid="cairn.people.remember_zone")
def _remember_zone_on_sign_in(
    sender: Any, request: HttpRequest | None, user: Any, **_: Any
) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = zone_name_for_user(user.pk)


class TimeZoneMiddleware:
    """Activates the signed-in person's zone for the request (after
    ``AuthenticationMiddleware``); anyone else sees the instance's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            name = request.session.get(SESSION_KEY)
            if not isinstance(name, str) or name not in time_zone_names():
                name = zone_name_for_user(user.pk)
                request.session[SESSION_KEY] = name
            timezone.activate(name)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class TwoFactorMiddleware:
    """Ends any signed-in session that should have passed the second sign-in step
    and did not: an account with two-factor sign-in, or one in an organisation that
    requires it, whose session is not marked verified (``django_otp.login``) — a
    session from before the person turned it on, or before their organisation
    required it. The flags are read with the account (no query)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.contrib import messages
        from django.contrib.auth import logout
        from django.contrib.auth.views import redirect_to_login
        from django_otp import DEVICE_ID_SESSION_KEY

        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and DEVICE_ID_SESSION_KEY not in request.session
            and (user.two_factor_enabled or _requires_two_factor(user))
        ):
            logout(request)
            messages.info(request, "Sign in again with two-factor authentication to go on.")
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)


def _requires_two_factor(user: Any) -> bool:
    person = getattr(user, "person", None)
    return person is not None and person.organisation.requires_two_factor
