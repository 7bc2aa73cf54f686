"""The account security page: two-factor sign-in, recovery codes, and the account's
sign-in records — for the account's owner only. Nobody else has a way in: every
view reads ``request.user``'s own rows, never a code from the URL."""

from __future__ import annotations

import django_otp
from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken

from cairn.lib.confirm import ask, confirmed
from cairn.people import services, two_factor
from cairn.people.decorators import PersonRequest, org_admin_required, person_required
from cairn.people.models import SignInEvent
from cairn.people.signin import (
    CODES_KEY,
    SETUP_SECRET_KEY,
    CodeForm,
    ConfirmAppForm,
    setup_context,
    stash_codes,
)

EVENTS_PAGE_SIZE = 50


def _security_context(request: PersonRequest, **extra: object) -> dict[str, object]:
    user = request.person.user
    events = SignInEvent.objects.filter(user_id=user.pk).order_by("-at", "-pk")
    context: dict[str, object] = {
        "enabled": request.person.user.two_factor_enabled,
        "required": request.person.organisation.requires_two_factor,
        "codes_left": StaticToken.objects.filter(device__user_id=user.pk).count(),
        "events": Paginator(events, EVENTS_PAGE_SIZE).get_page(request.GET.get("page")),
        "disable_form": CodeForm(),
    }
    context.update(extra)
    return context


@person_required
@require_http_methods(["GET", "HEAD"])
def security(request: PersonRequest) -> HttpResponse:
    """Two-factor sign-in, and the newest sign-in records first (a page at a time)."""
    return render(request, "people/security.html", _security_context(request))


@person_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: PersonRequest) -> HttpResponse:
    """Turn on two-factor sign-in: scan the QR code (or type the secret), then type a
    code from the app. Nothing is stored until that code matches."""
    user = request.person.user
    if user.two_factor_enabled:
        return HttpResponseRedirect(reverse("account-security"))
    context = setup_context(request, user)
    form = ConfirmAppForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            device, codes = two_factor.enable(
                user, context["secret"], form.cleaned_data["code"], request
            )
        except two_factor.TwoFactorError as error:
            form.add_error("code", str(error))
        else:
            request.session.pop(SETUP_SECRET_KEY, None)
            django_otp.login(request, device)
            stash_codes(request, codes, reverse("account-security"))
            return HttpResponseRedirect(reverse("account-recovery-codes"))
    return render(
        request,
        "people/two_factor_setup.html",
        {**context, "form": form},
        status=422 if form.errors else 200,
    )


@person_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: PersonRequest) -> HttpResponse:
    """GET: the recovery codes just made, shown this once. POST: make new ones (the
    old ones stop working; asks first)."""
    user = request.person.user
    if request.method == "POST":
        if not user.two_factor_enabled:
            return HttpResponseRedirect(reverse("account-security"))
        if not confirmed(request):
            return ask(
                request,
                question="Make new recovery codes?",
                detail="Your current recovery codes will stop working at once.",
                button="Make new codes",
                back_url=reverse("account-security"),
            )
        codes = two_factor.regenerate_codes(user, request)
        stash_codes(request, codes, reverse("account-security"))
        return HttpResponseRedirect(reverse("account-recovery-codes"))
    stashed = request.session.pop(CODES_KEY, None)
    if not isinstance(stashed, dict) or not stashed.get("codes"):
        return HttpResponseRedirect(reverse("account-security"))
    return render(
        request,
        "people/recovery_codes.html",
        {"codes": stashed["codes"], "next": stashed.get("next") or reverse("home")},
    )


@person_required
@require_POST
def two_factor_disable(request: PersonRequest) -> HttpResponse:
    """Turn two-factor sign-in off, with a current code (asks first)."""
    user = request.person.user
    form = CodeForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "people/security.html",
            _security_context(request, disable_form=form),
            status=422,
        )
    if not confirmed(request):
        return ask(
            request,
            question="Turn off two-factor sign-in?",
            detail="Your password alone will sign you in, and your recovery codes stop working.",
            button="Turn it off",
            back_url=reverse("account-security"),
            keep=["code"],
        )
    try:
        two_factor.disable(user, form.cleaned_data["code"], request)
    except two_factor.TwoFactorError as error:
        form.add_error("code", str(error))
        return render(
            request,
            "people/security.html",
            _security_context(request, disable_form=form),
            status=422,
        )
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    messages.success(request, "Two-factor sign-in is off.")
    return HttpResponseRedirect(reverse("account-security"))


class OrganisationSecurityForm(forms.Form):
    requires_two_factor = forms.BooleanField(
        label="Everyone signs in with two-factor authentication",
        required=False,
        help_text=(
            "Members without it set it up the next time they sign in, and are signed "
            "out of sessions that did not use it."
        ),
    )


@org_admin_required
@require_http_methods(["GET", "POST"])
def organisation_security(request: PersonRequest) -> HttpResponse:
    """The org admin's sign-in setting: whether every member must use two-factor."""
    organisation = request.person.organisation
    form = OrganisationSecurityForm(
        request.POST if request.method == "POST" else None,
        initial={"requires_two_factor": organisation.requires_two_factor},
    )
    if form.is_valid():
        required = form.cleaned_data["requires_two_factor"]
        services.set_two_factor_required(request.person, organisation, required=required)
        if required and not request.person.user.two_factor_enabled:
            messages.info(request, "Set up two-factor sign-in for your own account now.")
            return HttpResponseRedirect(reverse("account-two-factor"))
        messages.success(
            request,
            "Two-factor sign-in is now required."
            if required
            else "Two-factor sign-in is now each person's choice.",
        )
        return HttpResponseRedirect(reverse("people:security-settings"))
    return render(
        request,
        "people/organisation_security.html",
        {"form": form},
        status=422 if form.errors else 200,
    )
