"""Signing in: the password, then — for an account with two-factor sign-in, or in an
organisation that requires it — a second step, throttled throughout.

The password step never signs in an account that needs a second step: it keeps the
account's id in the (anonymous) session as *pending* for :data:`PENDING_SECONDS`
and sends the browser to the code step (or, in an organisation that requires
two-factor sign-in and for an account without it, to set it up). Only that step
signs in, and marks the session as verified (``django_otp.login``). Until then no
page but those steps knows the account; and ``middleware.TwoFactorMiddleware`` ends
any session of such an account that was not verified.

Every step checks the throttle first (``throttle.py``): while a lock is on, the
step answers 429 with the lock's message and checks no password or code at all.
"""

from __future__ import annotations

import time
import unicodedata
from typing import Any

import django_otp
from django import forms
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from cairn.lib.cache_control import private
from cairn.people import throttle, two_factor
from cairn.people.models import SignInEventKind, User

PENDING_KEY = "cairn_pending_sign_in"
SETUP_SECRET_KEY = "cairn_two_factor_secret"  # noqa: S105  (a session key)
CODES_KEY = "cairn_recovery_codes"
PENDING_SECONDS = 10 * 60
BACKEND = "cairn.people.backends.PersonBackend"


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=40,
        help_text="The 6-digit code your authenticator app shows, or one of your recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class ConfirmAppForm(forms.Form):
    code = forms.CharField(
        label="The code your app shows",
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def needs_second_step(user: Any) -> bool:
    """Whether this account signs in with a code after its password."""
    if user.two_factor_enabled:
        return True
    person = getattr(user, "person", None)
    return person is not None and person.organisation.requires_two_factor


def _safe_next(request: HttpRequest, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("home")


def _existing_account(username: str) -> int | None:
    return User.objects.filter(username=username).values_list("pk", flat=True).first()


def _locked_out(
    request: HttpRequest, template: str, context: dict[str, Any], lock: throttle.Lock
) -> HttpResponse:
    return render(request, template, {**context, "lock_message": lock.message}, status=429)


def _count_failure(
    request: HttpRequest, username: str, user_id: int | None
) -> throttle.Lock | None:
    lock = throttle.record_failure(username, two_factor.client_address(request))
    if user_id is not None:
        two_factor.record(user_id, SignInEventKind.FAILED, request)
        if lock is not None and lock.on_account:
            two_factor.record(user_id, SignInEventKind.LOCKED, request)
    return lock


def _sign_in(request: HttpRequest, user: User, device: Any, next_url: str) -> HttpResponse:
    request.session.pop(PENDING_KEY, None)
    request.session.pop(SETUP_SECRET_KEY, None)
    auth_login(request, user, backend=BACKEND)
    if device is not None:
        django_otp.login(request, device)
    throttle.clear_account(user.get_username())
    two_factor.record(user.pk, SignInEventKind.SIGNED_IN, request)
    return HttpResponseRedirect(next_url)


class SignInView(auth_views.LoginView):
    """The password step (Django's ``LoginView``, with the throttle and the second
    step in front of ``login``)."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # As the form reads it (stripped, NFKC), so every spelling that signs in to an
        # account counts against it and is recorded for its owner.
        raw = str(request.POST.get("username", ""))
        username = unicodedata.normalize("NFKC", raw.strip())[:150]
        lock = throttle.lock_for(username, two_factor.client_address(request))
        if lock is not None:
            context = self.get_context_data(form=AuthenticationForm(request))
            return _locked_out(request, self.template_name, context, lock)
        form = self.get_form()
        if form.is_valid():
            return self.form_valid(form)
        if username and request.POST.get("password"):
            lock = _count_failure(request, username, _existing_account(username))
            if lock is not None:
                context = self.get_context_data(form=AuthenticationForm(request))
                return _locked_out(request, self.template_name, context, lock)
        return self.form_invalid(form)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        next_url = self.get_success_url()
        if not needs_second_step(user):
            return _sign_in(self.request, user, None, next_url)
        # The account's failures are cleared only once the second step is passed
        # (``_sign_in``): the password again must not wipe the wrong codes.
        self.request.session[PENDING_KEY] = {
            "user": user.pk,
            "at": time.time(),
            "next": next_url,
        }
        step = "login-code" if user.two_factor_enabled else "login-two-factor"
        return HttpResponseRedirect(reverse(step))


sign_in = private(SignInView.as_view())


def _pending(request: HttpRequest) -> tuple[User, str] | None:
    """The account waiting for its second step in this session, and where it goes
    next; ``None`` (and the pending state forgotten) once it is too old."""
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    if time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    user_id = pending.get("user")
    user = (
        User.objects.select_related("person__organisation")
        .filter(pk=user_id, is_active=True)
        .first()
        if isinstance(user_id, int)
        else None
    )
    if user is None:
        request.session.pop(PENDING_KEY, None)
        return None
    return user, _safe_next(request, str(pending.get("next", "")))


def _back_to_password(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect(reverse("login"))


@private
@csrf_protect
@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the app, or a recovery code."""
    pending = _pending(request)
    if pending is None or not pending[0].two_factor_enabled:
        return _back_to_password(request)
    user, next_url = pending
    template = "people/login_code.html"
    if request.method != "POST":
        return render(request, template, {"form": CodeForm()})
    lock = throttle.lock_for(user.get_username(), two_factor.client_address(request))
    if lock is not None:
        return _locked_out(request, template, {"form": CodeForm()}, lock)
    form = CodeForm(request.POST)
    if form.is_valid():
        device = two_factor.verify(user, form.cleaned_data["code"], request)
        if device is not None:
            return _sign_in(request, user, device, next_url)
        lock = _count_failure(request, user.get_username(), user.pk)
        if lock is not None:
            request.session.pop(PENDING_KEY, None)
            return _locked_out(request, template, {"form": CodeForm()}, lock)
        form.add_error("code", "That code does not match. Try the code your app shows now.")
    return render(request, template, {"form": form}, status=422)


def setup_context(request: HttpRequest, user: User) -> dict[str, Any]:
    """What the set-up pages show: the secret kept in the session until confirmed
    (the same one on every reload), as a QR code and as text."""
    secret = request.session.get(SETUP_SECRET_KEY)
    if not isinstance(secret, str) or len(secret) != 40:
        secret = two_factor.new_secret()
        request.session[SETUP_SECRET_KEY] = secret
    uri = two_factor.provisioning_uri(user, secret)
    return {
        "secret": secret,
        "secret_text": two_factor.secret_for_people(secret),
        "qr": two_factor.qr_svg(uri),
    }


def stash_codes(request: HttpRequest, codes: list[str], next_url: str) -> None:
    """Keep the new recovery codes for the one page that shows them (which forgets
    them as it does), and where to go on from there."""
    request.session[CODES_KEY] = {"codes": codes, "next": next_url}


@private
@csrf_protect
@require_http_methods(["GET", "POST"])
def login_two_factor(request: HttpRequest) -> HttpResponse:
    """Set up two-factor sign-in before the first sign-in, where the organisation
    requires it."""
    pending = _pending(request)
    if pending is None or pending[0].two_factor_enabled or not needs_second_step(pending[0]):
        return _back_to_password(request)
    user, next_url = pending
    template = "people/login_two_factor.html"
    context = setup_context(request, user)
    form = ConfirmAppForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        lock = throttle.lock_for(user.get_username(), two_factor.client_address(request))
        if lock is not None:
            return _locked_out(request, template, {**context, "form": ConfirmAppForm()}, lock)
        if form.is_valid():
            try:
                device, codes = two_factor.enable(
                    user, context["secret"], form.cleaned_data["code"], request
                )
            except two_factor.TwoFactorError as error:
                form.add_error("code", str(error))
            else:
                _sign_in(request, user, device, next_url)
                stash_codes(request, codes, next_url)
                return HttpResponseRedirect(reverse("account-recovery-codes"))
    return render(request, template, {**context, "form": form}, status=422 if form.errors else 200)
