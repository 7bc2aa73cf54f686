"""Account pages: password reset by email, password change, and the invitation link.

Django's auth views, with Cairn's templates and forms. A bad form answers 422; the
reset page answers the same whatever address is entered; every email is queued
(``cairn.people.accounts``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import reverse_lazy
from django.views.decorators.http import require_GET

from cairn.people.accounts import ChangeForm, ResetForm, SetForm, invitation_tokens
from cairn.people.decorators import person_required


class _Unprocessable:
    """A form that does not validate answers 422, like every other form in Cairn."""

    def form_invalid(self, form: Any) -> HttpResponse:
        response: HttpResponse = super().form_invalid(form)  # type: ignore[misc]
        response.status_code = 422
        return response


class ResetView(_Unprocessable, auth_views.PasswordResetView):
    form_class = ResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"


class ResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class ResetConfirmView(_Unprocessable, auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    form_class = SetForm


class ResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


class InvitationView(_Unprocessable, auth_views.PasswordResetConfirmView):
    """The link in the invitation email: choose a password, once, within the week."""

    template_name = "registration/invitation.html"
    token_generator = invitation_tokens
    form_class = SetForm


class ChangeView(_Unprocessable, auth_views.PasswordChangeView):
    """Change my password. Django keeps this session signed in
    (``update_session_auth_hash``); every other session of mine is signed out, as
    its stored hash no longer matches."""

    template_name = "registration/password_change_form.html"
    form_class = ChangeForm
    success_url = reverse_lazy("password_change_done")


class ChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


password_reset = ResetView.as_view()
password_reset_done = ResetDoneView.as_view()
password_reset_confirm = ResetConfirmView.as_view()
password_reset_complete = ResetCompleteView.as_view()
invitation = InvitationView.as_view()
# Members of an organisation only: an account with no person (say, one made for the
# Django admin) gets the page that says so.
password_change = person_required(ChangeView.as_view())  # type: ignore[arg-type]
password_change_done = require_GET(person_required(ChangeDoneView.as_view()))  # type: ignore[arg-type]
